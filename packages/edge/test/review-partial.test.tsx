/**
 * Review of the partial-patch change (contract 6): cases where an instance is still shown in part
 * while the bootstrap names its override, or where the outcome depends on the chunking.
 */
import fc from 'fast-check';
import type { Override } from '@splice/manifest';
import { preparePageSync } from '@splice/edge';
import { manifest } from './fixtures';
import { cut, dec, enc, patchChunks, splitBootstrap, stripMarkers } from './helpers';

describe('a mismatch between the elements of an instance decided together', () => {
  // Card _R_1_ holds a Promo (another instance) between its <img> and its <h2>: the Card's <div>
  // and <h2> are decided together, the Promo's <input> alone, in between.
  const card = (tone: string, name: string, input: string) =>
    `<div data-splice="Card.c1 0 _R_1_" class="card card-${tone}" id="c"><img data-splice="Card.c1 1 _R_1_" src="/p.png" alt="A" loading="lazy"/>${input}<h2 data-splice="Card.c1 2 _R_1_">${name}</h2></div>`;
  const source = `<!DOCTYPE html><html><head></head><body>${card('plain', 'Tea', '<input data-splice="Promo.p1 0 _R_2_" type="text"/>')}</body></html>`;
  const prepared = preparePageSync(source);
  const base = dec.decode(prepared.html);
  // Between origin and edge, the Promo's tag was renamed (same length): the index no longer matches there.
  const page = base.replace('<input type="text"/>', '<inpux type="text"/>');
  const overrides: Override[] = [{ component: 'Card', props: { tone: 'x', name: 'N' } }, { component: 'Promo', props: { note: 'p' } }];

  it('the Card is written whole or not at all, and told only if written whole', async () => {
    const bytes = enc.encode(page);
    await fc.assert(fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 20 }), async (points) => {
      const run = await patchChunks(cut(bytes, points), { manifest, overrides, index: prepared.index });
      const { html, bootstrap } = splitBootstrap(run.html);
      const told = (bootstrap?.overrides ?? []).some((o) => o.component === 'Card.c1');
      const whole = stripMarkers(`<!DOCTYPE html><html><head></head><body>${card('x', 'N', '<inpux type="text"/>')}</body></html>`);
      const none = page;
      if (told) expect(html).toBe(whole);
      else expect(html).toBe(none);
    }), { numRuns: 50 });
  });
});
