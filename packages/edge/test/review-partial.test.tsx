/**
 * Review of the partial-patch change (contract 6): cases where an instance is still shown in part
 * while the bootstrap names its override, or where the outcome depends on the chunking.
 */
import fc from 'fast-check';
import type { Override } from '@splice/manifest';
import { preparePageSync } from '@splice/edge';
import { Card, Page, manifest, render } from './fixtures';
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
describe('a mismatch found while deciding an instance\'s elements together', () => {
  // Between origin and edge, card 0's `<h2>` became `<!--` (same length): from there on the page
  // as it is is one comment. The index no longer matches the page there: the rest must pass
  // through, and the bootstrap go where a scan of the page as it is puts it, never inside that comment.
  const source = render(<Page />);
  const prepared = preparePageSync(source);
  const base = dec.decode(prepared.html);
  const page = base.replace('<h2>Tea</h2>', '<!--Tea</h2>');
  const overrides: Override[] = [{ component: 'Hero', props: { title: 'New' } }, { component: 'Card', props: { name: 'N', label: 'L' } }];

  it('places the bootstrap in markup, and writes nothing more after the mismatch', async () => {
    const bytes = enc.encode(page);
    await fc.assert(fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 20 }), async (points) => {
      const run = await patchChunks(cut(bytes, points), { manifest, overrides, index: prepared.index });
      const at = run.html.indexOf('<script type="application/json" id="__SPLICE__">');
      if (at >= 0) {
        // Not inside a comment: every `<!--` before it is closed before it.
        const open = run.html.lastIndexOf('<!--', at);
        const close = open < 0 ? -1 : run.html.indexOf('-->', open + 4);
        expect(open < 0 || (close >= 0 && close < at)).toBe(true);
      }
      const { html, bootstrap } = splitBootstrap(run.html);
      // What was written is React's render with what the bootstrap lists, but for the edit; the
      // cards after the comment are no part of the DOM and are left as cached.
      const want = stripMarkers(render(<Page />, bootstrap?.overrides ?? [])).replace('<h2>Tea</h2>', '<!--Tea</h2>');
      const cut0 = want.indexOf('<!--Tea');
      expect(html.slice(0, cut0)).toBe(want.slice(0, cut0));
      expect(html.slice(html.indexOf('<!--Tea')).replace(/-->$/, '')).toBe(page.slice(page.indexOf('<!--Tea')));
    }), { numRuns: 50 });
  });
});

describe('a page shortened between origin and edge, then a mismatch', () => {
  // A filler paragraph, then a fourth Card after the Promo. Between origin and edge 300 bytes of
  // the filler were cut: the fourth Card is still in the page, before its </body>, but the index
  // puts it past where the page now ends.
  const filler = 'f'.repeat(400);
  const tree = <Page><p>{filler}</p><Card name="Late" badge={null} alt="L" label={null} tone="plain" /></Page>;
  const prepared = preparePageSync(render(tree));
  const base = dec.decode(prepared.html);
  const page = base.replace(filler, filler.slice(300));
  const overrides: Override[] = [{ component: 'Card', props: { tone: 'x' } }];

  it('an override told to every instance is written on every instance the page has', async () => {
    const bytes = enc.encode(page);
    await fc.assert(fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 20 }), async (points) => {
      const run = await patchChunks(cut(bytes, points), { manifest, overrides, index: prepared.index });
      const { html, bootstrap } = splitBootstrap(run.html);
      const want = stripMarkers(render(tree, bootstrap?.overrides ?? [])).replace(filler, filler.slice(300));
      if (html !== want) throw new Error(`told ${JSON.stringify(bootstrap?.overrides)}\n  got:  ${html.slice(-400)}\n  want: ${want.slice(-400)}`);
    }), { numRuns: 30 });
  });
});
describe('an instance whose range is longer than regionBytes, on a source page', () => {
  // A Card with a long name and a long aria-label, as React renders it: the overrides reach its
  // <div> (tone) and its <a> (label), more than regionBytes apart, with the <h2>'s text between.
  const name = 'T'.repeat(200);
  const label = 'L'.repeat(300);
  const source = `<html><body><div data-splice="Card.c1 0 _R_1_" class="card card-plain" id="c"><img data-splice="Card.c1 1 _R_1_" src="/p.png" alt="A" loading="lazy"/><h2 data-splice="Card.c1 2 _R_1_">${name}</h2><a data-splice="Card.c1 3 _R_1_" aria-label="${label}" href="/buy" class="buy">Buy</a></div></body></html>`;
  const bytes = enc.encode(source);
  const overrides: Override[] = [{ component: 'Card', props: { tone: 'x', label: 'short' } }];
  const limits = { regionBytes: 128 };

  it('is decided the same whatever the chunking', async () => {
    const whole = await patchChunks([bytes], { manifest, overrides, limits });
    await fc.assert(fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }), async (points) => {
      const run = await patchChunks(cut(bytes, points), { manifest, overrides, limits });
      expect(run.html).toBe(whole.html);
    }), { numRuns: 100 });
  });

  // Not fixed (packages/edge/README.md): its <a> starts more than regionBytes past its <div>, so it
  // is decided alone; refused there, the Card is shown in part and told. Held to a decision made
  // within regionBytes, the stream cannot know whether such an element will come.
  it.failing('is never shown in part while told (its <a> refused as too long)', async () => {
    const tight = { regionBytes: 128, elementBytes: 128 };
    await fc.assert(fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }), async (points) => {
      const run = await patchChunks(cut(bytes, points), { manifest, overrides, limits: tight });
      const { html, bootstrap } = splitBootstrap(run.html);
      if (bootstrap !== null && bootstrap.overrides.length > 0) expect(html).toBe(stripMarkers(source).replace('card-plain', 'card-x').replace(`aria-label="${label}"`, 'aria-label="short"'));
      else expect(html).toBe(stripMarkers(source));
    }), { numRuns: 100 });
  });
});
