/**
 * An instance's elements decided together (contract 6) on source pages and through the index,
 * with regionBytes small enough to cut instances: the same bytes whatever the chunking and path.
 */
import fc from 'fast-check';
import type { Override } from '@splice/manifest';
import { preparePageSync } from '@splice/edge';
import { manifest } from './fixtures';
import { cut, enc, fuzzRuns, patchChunks } from './helpers';
const m = (s: string) => ` data-splice="${s}"`;
const card = (id: string, inner: string, name: string) => `<div${m(`Card.c1 0 ${id}`)} class="card card-plain" id="c"><img${m(`Card.c1 1 ${id}`)} src="/p.png" alt="A" loading="lazy"/>${inner}<h2${m(`Card.c1 2 ${id}`)}>${name}</h2><a${m(`Card.c1 3 ${id}`)} href="/buy" class="buy">Buy</a></div>`;
const promo = (id: string) => `<input${m(`Promo.p1 0 ${id}`)} type="text"/>`;
const all: Override[] = [
  { component: 'Card', props: { tone: 'x' } },
  { component: 'Card', props: { name: 'N' } },
  { component: 'Card', instance: 0, props: { label: 'L', badge: 'b' } },
  { component: 'Promo', props: { note: 'p' } },
  { component: 'Card', props: { alt: 'z' } },
];
it('chunk independence on source pages with small regionBytes', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 64, max: 600 }), fc.subarray(all, { minLength: 1 }), fc.array(fc.nat({ max: 2000 }), { maxLength: 30 }), async (len, region, overrides, points) => {
    const src = `<html><body><main>${card('_R_1_', promo('_R_2_'), 'T'.repeat(len))}${card('_R_3_', '', 'Cocoa')}${promo('_R_4_')}</main></body></html>`;
    const bytes = enc.encode(src);
    const limits = { regionBytes: region };
    const whole = await patchChunks([bytes], { manifest, overrides, limits });
    const run = await patchChunks(cut(bytes, points), { manifest, overrides, limits });
    expect(run.html).toBe(whole.html);
    const one = await patchChunks(Array.from(bytes, (b) => Uint8Array.of(b)), { manifest, overrides, limits });
    expect(one.html).toBe(whole.html);
    const prepared = preparePageSync(bytes);
    const fast = await patchChunks(cut(prepared.html, points), { manifest, overrides, limits, index: prepared.index });
    expect(fast.html).toBe(whole.html);
  }), { numRuns: fuzzRuns(120) });
}, 120000);
