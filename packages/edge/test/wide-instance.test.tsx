/**
 * An instance whose override reaches more elements than a function call can take arguments
 * (V8: about 125,000): decided together as any other, not a stack overflow caught as an internal
 * error (which passed the rest of the page through untouched).
 */
import { formatMarker } from '@splice/manifest';
import { preparePageSync } from '@splice/edge';
import { CARD, manifest } from './fixtures';
import { dec, enc, patchChunks, splitBootstrap } from './helpers';

it('an instance with 150,000 patched elements is written whole', async () => {
  const id = '_R_1_';
  const n = 150_000;
  const h2 = `<h2 data-splice="${formatMarker({ key: CARD.key, element: 2, instance: id }).replace(/"/g, '&quot;')}">Tea</h2>`;
  const source = `<!DOCTYPE html><html><body><div data-splice="${formatMarker({ key: CARD.key, element: 0, instance: id }).replace(/"/g, '&quot;')}" class="card card-plain" id="c">${h2.repeat(n)}</div></body></html>`;
  const prepared = preparePageSync(source);
  expect(prepared.problems).toEqual([]);
  const run = await patchChunks([prepared.html], { manifest, overrides: [{ component: 'Card', props: { name: 'Oolong' } }], index: prepared.index, limits: { regionBytes: 16 * 1024 * 1024 } });
  expect(run.report.problems).toEqual([]);
  expect(run.report.patchedElements).toBe(n);
  const { html, bootstrap } = splitBootstrap(run.html);
  expect(bootstrap?.overrides.length).toBe(1);
  expect(html).toBe(dec.decode(prepared.html).split('<h2>Tea</h2>').join('<h2>Oolong</h2>'));
  expect(enc.encode(html).length).toBeGreaterThan(n * 10);
}, 60_000);
