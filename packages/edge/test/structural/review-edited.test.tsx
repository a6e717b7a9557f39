/**
 * Contract 6 on compiled fixtures (re-renders and value holes), for base pages with one byte
 * changed anywhere between origin and edge (same length: every offset of the index still points
 * where it did), any chunking: the delivered page, bootstrap removed, is the full render with
 * exactly the overrides the bootstrap lists, but for the edit; with no bootstrap, the page as it came.
 */
import fc from 'fast-check';
import { patchHtml, preparePageSync } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import { collect, cut, dec, enc, fuzzRuns, oneEdit, splitBootstrap, streamOf } from '../helpers';
import { listStructuralFixtures, loadFixture, oraclePage, renderPage } from './harness';


const names = listStructuralFixtures().filter((n) => loadFixture(n).cases.some((c) => c.expect !== 'refused'));
const only = process.env.FIXTURES?.split(',');
// Boundaries the index cannot check (see structural/corrupted.test.tsx): noticed, not fixed.
const unnoticed = new Set(['adjacent-boundary-then-slot', 'adjacent-text-boundaries', 'array-root-tag-list', 'empty-instance-at-boundary-end', 'fragment-root-table-rows', 'null-instance-appears', 'svg-fragment-root-markers', 'forward-to-module-rating-stars', 'usereducer-stepper', 'fragment-root-price-between-text', 'early-return-null-between-text', 'text-root-stock-label']);

describe.each(names.filter((n) => !unnoticed.has(n) && (only === undefined || only.includes(n))))('base page of %s with a byte changed', (name) => {
  const fixture = loadFixture(name);
  const prepared = preparePageSync(renderPage(fixture.App, []));
  const base = dec.decode(prepared.html);
  const cases = fixture.cases.filter((c) => c.expect !== 'refused');
  const renderer = createRenderer();
  // String offsets are byte offsets on an ASCII page only (the others are left out).
  const ascii = /^[\x00-\x7f]*$/.test(base);

  it('any byte, any chunking', async () => {
    if (!ascii) return;
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: base.length - 1 }), fc.constantFrom('x', '<', '>', '"', ' ', '-', '/', '='), fc.constantFrom(...cases.keys()),
      fc.array(fc.nat({ max: base.length }), { maxLength: 8 }),
      async (at, ch, k, points) => {
        fc.pre(base[at] !== ch);
        // A separator the edge decides again from the re-render: an edit in it is its own footprint.
        for (let i = base.indexOf('<!-- -->'); i >= 0; i = base.indexOf('<!-- -->', i + 1)) fc.pre(at < i - 1 || at > i + 8);
        const page = base.slice(0, at) + ch + base.slice(at + 1);
        const c = cases[k]!;
        for (let round = 0; round < 2; round++) {
          const out = dec.decode(await collect(patchHtml(streamOf(cut(enc.encode(page), points)), { manifest: fixture.manifest, overrides: c.overrides, index: prepared.index, renderer })));
          const split = splitBootstrap(out);
          const { bootstrap } = split;
          let html = split.html;
          // A page left ending inside a construct gets the bootstrap behind its closer, no part of the page.
          const closer = preparePageSync(page).index.closer;
          if (bootstrap !== null && closer && out.endsWith('</script>') && html.endsWith(closer)) html = html.slice(0, -closer.length);
          const want = bootstrap === null ? page : oraclePage(fixture.App, bootstrap.overrides);
          if (bootstrap === null ? html !== page : !(html === want || oneEdit(html, want, 1, 1))) {
            throw new Error(`${c.label}: not the full render with the bootstrap's overrides (edit ${JSON.stringify(ch)} at ${at}, round ${round}):\n  told: ${JSON.stringify(bootstrap?.overrides)}\n  got:  ${html}\n  want: ${want}`);
          }
        }
      }), { numRuns: fuzzRuns(20) });
  });
});
