/**
 * Slots and what is inside them: an instance inside elements kept as cached around its parent's
 * re-render keeps its cached bytes, so an override of it does not apply there. Contract 6: the
 * client is not told it, and the report says why.
 */
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override } from '@splice/manifest';
import { collect, dec, splitBootstrap, streamOf } from '../helpers';
import { loadFixture, oraclePage, renderPage } from './harness';

it('an override of an instance inside kept children is not applied with its parent\'s re-render, and says so', async () => {
  const fixture = loadFixture('slot-with-nested-instance');
  const prepared = preparePageSync(renderPage(fixture.App, []));
  const overrides: Override[] = [
    { component: 'Box', props: { heading: 'Just for you, today and tomorrow' } },
    { component: 'Tag', props: { text: 'sale' } },
  ];
  let report: PatchReport | undefined;
  const out = await collect(patchHtml(streamOf([prepared.html]), { manifest: fixture.manifest, overrides, index: prepared.index, renderer: createRenderer(), onReport: (r) => { report = r; } }));
  const { html, bootstrap } = splitBootstrap(dec.decode(out));
  // The box is re-rendered; its children are the cached ones: the tag as the default page has it.
  expect(html).toBe(oraclePage(fixture.App, [overrides[0]!]));
  expect(report!.rerendered).toBe(1);
  expect(report!.problems.join('\n')).toMatch(/override #1: instance Tag\.\S+ \(\S+\) is inside elements kept as cached/);
  expect(bootstrap!.overrides.map((o) => o.component)).toEqual([expect.stringMatching(/^Box\./)]);
});

it('a re-render that adds an instance before one kept in a slot is refused when an override names an instance of that component by its place', async () => {
  const fixture = loadFixture('slot-kept-instance-counted');
  const source = renderPage(fixture.App, []);
  const prepared = preparePageSync(source);
  const overrides: Override[] = [
    { component: 'Box', props: { showTag: true } },
    // In the full render tag 1 is the kept tag inside the box (the box's own comes first); in the cached page, the tag after it.
    { component: 'Tag', instance: 1, props: { text: 'sale' } },
  ];
  for (const run of [{ html: prepared.html, index: prepared.index }, { html: new TextEncoder().encode(source), index: undefined }]) {
    let report: PatchReport | undefined;
    const out = await collect(patchHtml(streamOf([run.html]), {
      manifest: fixture.manifest, overrides, ...(run.index !== undefined ? { index: run.index } : {}), renderer: createRenderer(), onReport: (r) => { report = r; },
    }));
    const { html, bootstrap } = splitBootstrap(dec.decode(out));
    // Not the re-rendered box with the tag after it patched: the box is left default, and tag 1 is the tag after it, as in a full render of that override alone.
    expect(html).toBe(oraclePage(fixture.App, [overrides[1]!]));
    expect(report!.rerendered).toBe(0);
    expect(report!.problems.join('\n')).toMatch(/changes which instances of Tag\.\S+ there are around instances of it kept as cached, and override #1 names one of them by its place in the page/);
    expect(bootstrap!.overrides.map((o) => o.component)).toEqual([expect.stringMatching(/^Tag\./)]);
  }
});
