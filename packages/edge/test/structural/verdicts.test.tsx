/**
 * The verdict of an instance's first re-render is kept with the page index (region.ts,
 * `verdicts`). A check that fails on a page whose bytes were edited between origin and edge must
 * not keep the instance as cached for every later request of that index: it is checked again
 * after a few requests, and less often each time it fails again.
 */
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { SpliceRenderer } from '@splice/manifest';
import { collect, dec, enc, splitBootstrap, streamOf } from '../helpers';
import { byKey, loadFixture, oraclePage, renderPage } from './harness';

const fixture = loadFixture('context-child-create-element');
const overrides = byKey(fixture, fixture.cases[0]!.overrides);
const base = dec.decode(preparePageSync(renderPage(fixture.App, [])).html);
// One letter of the tile's name changed in transit: every offset of the index still holds, the
// instance's bytes are not those its re-render gives.
const edited = base.replace('Bouilloire', 'Bouilloirf');

function counting(): { renderer: SpliceRenderer; calls: () => number } {
  const inner = createRenderer();
  let n = 0;
  return { renderer: { render: (r) => { n++; return inner.render(r); } }, calls: () => n };
}

async function request(page: string, index: ReturnType<typeof preparePageSync>['index'], renderer: SpliceRenderer) {
  let report: PatchReport | undefined;
  const out = dec.decode(await collect(patchHtml(streamOf([enc.encode(page)]), { manifest: fixture.manifest, overrides, index, renderer, onReport: (r) => { report = r; } })));
  return { out, report: report! };
}

it('an instance found untrusted on an edited page is checked again, and re-rendered once its bytes are the index\'s', async () => {
  expect(edited).not.toBe(base);
  const index = preparePageSync(renderPage(fixture.App, [])).index;
  const { renderer } = counting();
  const first = await request(edited, index, renderer);
  expect(first.report.rerendered).toBe(0);
  expect(first.report.skipped.map((s) => s.reason).join('\n') + first.report.problems.join('\n')).toMatch(/does not reproduce the cached page/);
  // The same index object, the page as cached now: left as cached for a few requests, then checked again and re-rendered.
  let clean = 0;
  let last = first;
  while (clean < 40) {
    clean++;
    last = await request(base, index, renderer);
    if (last.report.rerendered === 1) break;
  }
  expect(last.report.rerendered).toBe(1);
  expect(clean).toBeLessThanOrEqual(17);
  const { html, bootstrap } = splitBootstrap(last.out);
  expect(bootstrap?.overrides.length).toBe(1);
  expect(html).toBe(oraclePage(fixture.App, overrides));
  // Trusted from then on.
  const after = await request(base, index, renderer);
  expect(after.report.rerendered).toBe(1);
});

it('an instance that never reproduces its bytes is checked again less and less often', async () => {
  const index = preparePageSync(renderPage(fixture.App, [])).index;
  const { renderer, calls } = counting();
  for (let i = 0; i < 200; i++) {
    const r = await request(edited, index, renderer);
    expect(r.report.rerendered).toBe(0);
    expect(splitBootstrap(r.out).html).toBe(edited);
  }
  // Checks (two renders each: the override's and the check's) at the 1st, 18th, 51st and 116th
  // requests: the wait doubles from 16.
  expect(calls()).toBe(8);
});

it('an instance whose check fails and later passes on the same cached bytes renders differently each time: never trusted', async () => {
  const index = preparePageSync(renderPage(fixture.App, [])).index;
  // A renderer whose render with no override (the check) gives other bytes the first time only,
  // as a child choosing at random among two outputs would.
  const inner = createRenderer();
  let checks = 0;
  const renderer: SpliceRenderer = {
    render: async (r) => {
      const html = await inner.render(r);
      if (r.overrides.length === 0 && checks++ === 0) return html.replace('Bouilloire', 'Bouilloirf');
      return html;
    },
  };
  for (let i = 0; i < 60; i++) {
    const r = await request(base, index, renderer);
    expect(r.report.rerendered).toBe(0);
    expect(splitBootstrap(r.out).html).toBe(base);
  }
  // Checked twice: failed, then passed on the same bytes (the 18th request), then left as cached for good.
  expect(checks).toBe(2);
});
