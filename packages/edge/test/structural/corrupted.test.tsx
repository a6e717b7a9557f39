/**
 * Contract 6 on compiled fixtures (re-renders and value holes), for base pages edited between
 * origin and edge: bytes shifted at the start of the page (every offset of the index then points
 * elsewhere). The delivered page, bootstrap removed, is the full render with exactly the
 * overrides the bootstrap lists, but for the edit; with no bootstrap, it is the page as it came.
 */
import { patchHtml, preparePageSync } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import { collect, dec, enc, oneEdit, splitBootstrap, streamOf } from '../helpers';
import { listStructuralFixtures, loadFixture, oraclePage, renderPage } from './harness';

const names = listStructuralFixtures().filter((n) => loadFixture(n).cases.some((c) => c.expect !== 'refused'));
// Shifts a boundary cannot notice (it has no tag of its own to check, and may hold nothing):
// noticed, not fixed (see the edge README).
const unnoticed = new Set(['adjacent-boundary-then-slot', 'adjacent-text-boundaries', 'array-root-tag-list', 'empty-instance-at-boundary-end', 'fragment-root-table-rows', 'null-instance-appears', 'svg-fragment-root-markers', 'forward-to-module-rating-stars', 'usereducer-stepper', 'fragment-root-price-between-text', 'early-return-null-between-text', 'text-root-stock-label']);

describe.each(names.filter((n) => !unnoticed.has(n)))('base page of %s shifted', (name) => {
  const fixture = loadFixture(name);
  const prepared = preparePageSync(renderPage(fixture.App, []));
  const base = dec.decode(prepared.html);
  const cases = fixture.cases.filter((c) => c.expect !== 'refused');
  const renderer = createRenderer();

  it.each([['<p>', 0], ['', 1]] as const)('by %j at 0 (removing %d)', async (added, removed) => {
    const page = added + base.slice(removed);
    // Twice per case: the second request finds the first one's checks of the cached bytes.
    for (const c of [...cases, ...cases]) {
      const out = dec.decode(await collect(patchHtml(streamOf([enc.encode(page)]), { manifest: fixture.manifest, overrides: c.overrides, index: prepared.index, renderer })));
      const { html, bootstrap } = splitBootstrap(out);
      const want = bootstrap === null ? page : dec.decode(enc.encode(oraclePage(fixture.App, bootstrap.overrides)));
      // An edit inside bytes the edge rewrote (a re-rendered region, a patched text) is gone.
      if (bootstrap === null ? html !== page : !(html === want || oneEdit(html, want, removed, added.length))) {
        throw new Error(`${c.label}: not the full render with the bootstrap's overrides:\n  told: ${JSON.stringify(bootstrap?.overrides)}\n  got:  ${html}\n  want: ${want}`);
      }
    }
  });
});
