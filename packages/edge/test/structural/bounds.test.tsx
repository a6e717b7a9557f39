/**
 * What one request can make the structural path hold in memory. A re-render's own HTML is capped
 * (`limits.renderBytes`, by default `regionBytes`): over it the region stays as cached, its
 * overrides stay out of the bootstrap (contract 6) and the report says why. Whatever chunking,
 * on both paths.
 */
import fc from 'fast-check';
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchLimits, PatchReport, SpliceRenderer } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override } from '@splice/manifest';
import { collect, cut, dec, enc, splitBootstrap, streamOf } from '../helpers';
import { loadFixture, oraclePage, renderPage } from './harness';

const real = createRenderer();
const grid = loadFixture('nested-instance-override-grid');
const gridSource = enc.encode(renderPage(grid.App, []));
const gridPrepared = preparePageSync(gridSource);
const gridDefault = oraclePage(grid.App, []);

const products = (n: number, title = (i: number) => `Product ${i}`) => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, title: title(i), price: i }));

async function patch(chunks: Uint8Array[], o: { overrides: Override[]; index?: unknown; limits?: PatchLimits; renderer?: SpliceRenderer }) {
  let report: PatchReport | undefined;
  const out = await collect(patchHtml(streamOf(chunks), {
    manifest: grid.manifest, overrides: o.overrides, renderer: o.renderer ?? real,
    ...(o.index !== undefined ? { index: o.index } : {}), ...(o.limits !== undefined ? { limits: o.limits } : {}),
    onReport: (r) => { report = r; },
  }));
  return { ...splitBootstrap(dec.decode(out)), report: report! };
}

/** A page as the failure message shows it: a re-rendered grid of 500 cards is no use to read whole. */
const short = (html: string) => (html.length > 4000 ? `${html.slice(0, 2000)}… (${html.length} characters)` : html);

/** Both paths, the page whole: the base page through its index, and the source page. */
function bothPaths(): { chunks: Uint8Array[]; index?: unknown }[] {
  return [{ chunks: [gridPrepared.html], index: gridPrepared.index }, { chunks: [gridSource] }];
}

describe('the size of a re-render', () => {
  // 500 cards: about 90 KB of HTML with its markers.
  const many: Override[] = [{ component: 'Grid', props: { products: products(500) } }];

  it('over limits.renderBytes: the region stays as cached, the override is not in the bootstrap, the report says why', async () => {
    for (const run of bothPaths()) {
      const r = await patch(run.chunks, { overrides: many, limits: { renderBytes: 64 * 1024 }, index: run.index });
      expect(short(r.html)).toBe(gridDefault);
      expect(r.bootstrap?.overrides ?? []).toEqual([]);
      expect(r.report.rerendered).toBe(0);
      expect(r.report.problems.join('\n')).toMatch(/instance Grid\.\S+ \(_R_2_\) at \d+: re-render returned more than 65536 bytes of HTML \(limits\.renderBytes\); left default/);
    }
  });

  it('the cap follows limits.regionBytes unless set: a tighter regionBytes caps the re-render too, a larger renderBytes lets it through', async () => {
    for (const run of bothPaths()) {
      const capped = await patch(run.chunks, { overrides: many, limits: { regionBytes: 64 * 1024 }, index: run.index });
      expect(short(capped.html)).toBe(gridDefault);
      expect(capped.report.problems.join('\n')).toMatch(/more than 65536 bytes of HTML/);
      const through = await patch(run.chunks, { overrides: many, limits: { regionBytes: 64 * 1024, renderBytes: 1024 * 1024 }, index: run.index });
      expect(through.html).toBe(oraclePage(grid.App, many));
      expect(through.report.rerendered).toBe(1);
    }
  }, 30_000);

  it('without limits, a re-render of more than 1 MiB is refused (a renderer listing thousands of items)', async () => {
    // The overrides a request may carry are bounded (10,000 JSON values each), but what the app
    // renders from them is not: this renderer renders 2,000 cards with long titles for one override.
    const lavish: SpliceRenderer = {
      render: (request) => real.render({
        ...request,
        overrides: request.overrides.map((o) => (o.component.startsWith('Grid.') ? { ...o, props: { products: products(2000, (i) => `${i} `.padEnd(600, 'x')) } } : o)),
      }),
    };
    const overrides: Override[] = [{ component: 'Grid', props: { products: products(2) } }];
    for (const run of bothPaths()) {
      const r = await patch(run.chunks, { overrides, renderer: lavish, index: run.index });
      expect(short(r.html)).toBe(gridDefault);
      expect(r.bootstrap?.overrides ?? []).toEqual([]);
      expect(r.report.problems.join('\n')).toMatch(/re-render returned more than 1048576 bytes of HTML/);
    }
  });

  it('a check render over the cap refuses the instance too (and it is checked again next time)', async () => {
    // The first re-render of an instance also renders it without overrides, to check it against
    // the cached page: that render's HTML is held as well.
    const bloatedCheck: SpliceRenderer = {
      render: async (request) => (request.overrides.length === 0 ? `${await real.render(request)}<!--${'x'.repeat(70 * 1024)}-->` : real.render(request)),
    };
    const overrides: Override[] = [{ component: 'Grid', props: { products: products(2) } }];
    // A fresh index object: the verdict of the check is kept per index object.
    const { html, index } = preparePageSync(gridSource);
    const r = await patch([html], { overrides, renderer: bloatedCheck, index, limits: { renderBytes: 64 * 1024 } });
    expect(short(r.html)).toBe(gridDefault);
    expect(r.report.problems.join('\n')).toMatch(/more than 65536 bytes of HTML/);
    const again = await patch([html], { overrides, renderer: real, index, limits: { renderBytes: 64 * 1024 } });
    expect(again.html).toBe(oraclePage(grid.App, overrides));
  });

  it('a re-render kept from a request with a larger cap is not used by one with a smaller cap', async () => {
    // Finished re-renders are kept per renderer and index object, for every request after.
    const renderer = createRenderer();
    const { html, index } = preparePageSync(gridSource);
    const through = await patch([html], { overrides: many, renderer, index, limits: { renderBytes: 1024 * 1024 } });
    expect(through.report.rerendered).toBe(1);
    const capped = await patch([html], { overrides: many, renderer, index, limits: { renderBytes: 64 * 1024 } });
    expect(short(capped.html)).toBe(gridDefault);
    expect(capped.report.problems.join('\n')).toMatch(/more than 65536 bytes of HTML/);
  });

  it('the same outcome under any chunking, on both paths (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(gridSource.length), { maxLength: 8 }), fc.boolean(), async (cuts, viaSource) => {
        const chunks = viaSource ? cut(gridSource, cuts) : cut(gridPrepared.html, cuts);
        const r = await patch(chunks, { overrides: many, limits: { renderBytes: 64 * 1024 }, ...(viaSource ? {} : { index: gridPrepared.index }) });
        expect(short(r.html)).toBe(gridDefault);
        expect(r.bootstrap?.overrides ?? []).toEqual([]);
      }),
      { numRuns: 20 },
    );
  }, 60_000);
});
