import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import { collect, dec, splitBootstrap, streamOf, stripMarkers } from '../helpers';
import { listStructuralFixtures, loadFixture, renderPage } from './harness';

const renderer = createRenderer();

describe.each(listStructuralFixtures())('structural fixture %s', (name) => {
  const fixture = loadFixture(name);
  const source = renderPage(fixture.App, []);
  const prepared = preparePageSync(source);

  it.each(fixture.cases.map((c) => [c.label, c] as const))('%s: equals a full render', async (_label, c) => {
    let report: PatchReport | undefined;
    const out = await collect(patchHtml(streamOf([prepared.html]), {
      manifest: fixture.manifest, overrides: c.overrides, index: prepared.index, renderer, onReport: (r) => { report = r; },
    }));
    const { html, bootstrap } = splitBootstrap(dec.decode(out));
    expect(report?.problems).toEqual([]);
    expect(report?.skipped).toEqual([]);
    expect(html).toBe(stripMarkers(renderPage(fixture.App, c.overrides)));
    expect(bootstrap).not.toBeNull();
  });
});
