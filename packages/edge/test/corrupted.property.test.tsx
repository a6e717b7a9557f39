/**
 * Contract 6 against pages edited between origin and edge, through their index: for a byte
 * changed, or bytes inserted, anywhere in the base page, and any chunking, the delivered page
 * (bootstrap removed) is React's render with exactly the overrides the bootstrap lists, but for
 * the edit itself. An instance whose bytes were not fully patched is never named.
 */
import fc from 'fast-check';
import type { Override } from '@splice/manifest';
import { preparePageSync } from '@splice/edge';
import { Page, manifest, render } from './fixtures';
import { cut, dec, enc, fuzzRuns, oneEdit, patchChunks, splitBootstrap, stripMarkers } from './helpers';

// Not the fixture's Hero: its first marked element (<h1>) does not hold its others, which the
// compiler never writes for one host element and the edge decides alone (packages/edge/README.md).
const overrideSets: Override[][] = [
  [
    { component: 'Greeting', props: { first: '', last: 'L', count: 0 } },
    { component: 'Card', props: { name: 'N&M', badge: 'b', label: 'L' }, instance: 1 },
    { component: 'Card', props: { alt: 'é ✓ 😀' } },
    { component: 'Promo', props: { note: 'p' } },
  ],
  [{ component: 'Card', props: { name: 'N', tone: 't', label: 'lab' } }],
  [{ component: 'Greeting', props: { last: 'T' } }, { component: 'Card', instance: 2, props: { name: 'x', badge: 'y' } }],
];

const prepared = preparePageSync(render(<Page />));
const base = dec.decode(prepared.html);

const edit = fc.record({
  at: fc.integer({ min: 0, max: base.length - 1 }),
  removed: fc.integer({ min: 0, max: 1 }),
  added: fc.oneof(fc.constantFrom('', 'x', '<', '>', '"', '<!-- -->', '</body>', '<p>', '-', ' '), fc.string({ maxLength: 3 })),
});

describe('a base page edited between origin and edge', () => {
  it('the bootstrap names exactly what the bytes show', async () => {
    await fc.assert(fc.asyncProperty(edit, fc.constantFrom(...overrideSets.keys()), fc.array(fc.nat({ max: base.length + 10 }), { maxLength: 12 }), async (e, set, points) => {
      // ASCII-only page: string offsets are byte offsets.
      const page = base.slice(0, e.at) + e.added + base.slice(e.at + e.removed);
      fc.pre(page !== base);
      const overrides = overrideSets[set]!;
      const run = await patchChunks(cut(enc.encode(page), points), { manifest, overrides, index: prepared.index });
      const split = splitBootstrap(run.html);
      const { bootstrap } = split;
      let html = split.html;
      // An edit can leave the page ending inside a construct (a quote removed: the rest of the page
      // is one attribute value). The bootstrap then goes after the last byte, behind what closes
      // that construct, as on a page scanned at the edge: that closer is no part of the page.
      const closer = preparePageSync(page).index.closer;
      if (bootstrap !== null && closer && run.html.endsWith('</script>') && html.endsWith(closer)) html = html.slice(0, -closer.length);
      const want = stripMarkers(render(<Page />, bootstrap?.overrides ?? []));
      if (!oneEdit(html, want, e.removed, e.added.length)) {
        throw new Error(`delivered page is not React's render with the bootstrap's overrides:\n  edit: ${JSON.stringify(e)}\n  told: ${JSON.stringify(bootstrap?.overrides)}\n  got:  ${html}\n  want: ${want}\n  problems: ${run.report.problems.join(' | ')}`);
      }
    }), { numRuns: fuzzRuns(1500) });
  });
});
