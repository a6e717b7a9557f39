/**
 * Contract 6 on a page whose Card holds another instance between its elements, edited anywhere
 * between origin and edge (a byte changed, bytes inserted or removed), any chunking.
 */
import fc from 'fast-check';
import type { Override } from '@splice/manifest';
import { preparePageSync } from '@splice/edge';
import { manifest } from './fixtures';
import { cut, dec, enc, fuzzRuns, oneEdit, patchChunks, splitBootstrap } from './helpers';

type P = Record<string, string | null>;
const CARD: P = { tone: 'plain', badge: null, alt: 'A', name: 'Tea', label: null };
const PROMO: P = { note: null };
const m = (marks: boolean, s: string) => (marks ? ` data-splice="${s}"` : '');
function card(marks: boolean, id: string, p: P, inner: string): string {
  return `<div${m(marks, `Card.c1 0 ${id}`)} class="card card-${p.tone}"${p.badge ? ` data-badge="${p.badge}"` : ''} id="c"><img${m(marks, `Card.c1 1 ${id}`)} src="/p.png" alt="${p.alt}" loading="lazy"/>${inner}<h2${m(marks, `Card.c1 2 ${id}`)}>${p.name}</h2><a${m(marks, `Card.c1 3 ${id}`)}${p.label ? ` aria-label="${p.label}"` : ''} href="/buy" class="buy">${p.badge ? 'Buy now' : 'Buy'}</a></div>`;
}
const promo = (marks: boolean, id: string, p: P) => `<input${m(marks, `Promo.p1 0 ${id}`)} type="text"${p.note ? ` placeholder="${p.note}"` : ''}/>`;
function props(key: string, id: string, ordinal: number, defaults: P, told: Override[]): P {
  let p = defaults;
  for (const o of told) {
    if (o.component !== key && o.component !== key.split('.')[0]) continue;
    if (o.instance !== undefined && o.instance !== id && o.instance !== ordinal) continue;
    p = { ...p, ...(o.props as P) };
  }
  return p;
}
function page(marks: boolean, told: Override[]): string {
  const c0 = props('Card.c1', '_R_1_', 0, CARD, told);
  const p0 = props('Promo.p1', '_R_2_', 0, PROMO, told);
  const c1 = props('Card.c1', '_R_3_', 1, { ...CARD, name: 'Cocoa' }, told);
  const p1 = props('Promo.p1', '_R_4_', 1, PROMO, told);
  return `<!DOCTYPE html><html><head></head><body><main>${card(marks, '_R_1_', c0, promo(marks, '_R_2_', p0))}${card(marks, '_R_3_', c1, '')}${promo(marks, '_R_4_', p1)}</main></body></html>`;
}
const prepared = preparePageSync(page(true, []));
const base = dec.decode(prepared.html);
expect(base).toBe(page(false, []));

const all: Override[] = [
  { component: 'Card', props: { tone: 'x' } },
  { component: 'Card', props: { name: 'N' } },
  { component: 'Card', instance: 0, props: { label: 'L', badge: 'b' } },
  { component: 'Card', instance: 1, props: { name: 'M' } },
  { component: 'Promo', props: { note: 'p' } },
  { component: 'Promo', instance: 0, props: { note: 'q' } },
  { component: 'Card', props: { alt: 'z' } },
];


it('the page is the render with exactly the bootstrap\'s overrides, but for the edit', async () => {
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 0, max: 3 }),
    fc.oneof(fc.constantFrom('', 'x', '<', '>', '"', '</body>', '<p>', ' ', '<!--'), fc.string({ maxLength: 2 })),
    fc.subarray(all, { minLength: 1 }), fc.array(fc.nat({ max: base.length + 8 }), { maxLength: 12 }),
    async (at, removed0, added, overrides, points) => {
      const removed = Math.min(removed0, base.length - at);
      const edited = base.slice(0, at) + added + base.slice(at + removed);
      fc.pre(edited !== base);
      const run = await patchChunks(cut(enc.encode(edited), points), { manifest, overrides, index: prepared.index });
      const split = splitBootstrap(run.html);
      const { bootstrap } = split;
      let html = split.html;
      const closer = preparePageSync(edited).index.closer;
      if (bootstrap !== null && closer && run.html.endsWith('</script>') && html.endsWith(closer)) html = html.slice(0, -closer.length);
      const want = page(false, bootstrap?.overrides ?? []);
      if (!oneEdit(html, want, removed, added.length)) {
        throw new Error(`not the render with the bootstrap's overrides:\n  told: ${JSON.stringify(bootstrap?.overrides)}\n  got:  ${html}\n  want: ${want}\n  problems: ${run.report.problems.join(' | ')}`);
      }
    }), { numRuns: fuzzRuns(200) });
});
