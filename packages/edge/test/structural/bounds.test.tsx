/**
 * What one request can make the structural path hold in memory. A re-render's own HTML is capped
 * (`limits.renderBytes`, by default `regionBytes`): over it the region stays as cached, its
 * overrides stay out of the bootstrap (contract 6) and the report says why. Whatever chunking,
 * on both paths.
 */
import fc from 'fast-check';
import { createEdgeHandler, handleSpliceRequest, patchHtml, preparePageSync } from '@splice/edge';
import type { PatchLimits, PatchReport, SpliceRenderer } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override } from '@splice/manifest';
import { collect, cut, dec, enc, liveBytes, splitBootstrap, streamOf } from '../helpers';
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

/** Pages of hundreds of kilobytes are no use to read whole in a failure: where they first differ is. */
function expectPage(actual: string, expected: string): void {
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  const at = (html: string) => `${JSON.stringify(html.slice(Math.max(0, i - 60), i + 120))} (of ${html.length} characters)`;
  expect(actual === expected ? 'the same' : `differs at ${i}: ${at(actual)}`).toBe(actual === expected ? 'the same' : `expected ${at(expected)}`);
}

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
      expectPage(r.html, gridDefault);
      expect(r.bootstrap?.overrides ?? []).toEqual([]);
      expect(r.report.rerendered).toBe(0);
      expect(r.report.problems.join('\n')).toMatch(/instance Grid\.\S+ \(_R_2_\) at \d+: re-render returned more than 65536 bytes of HTML \(limits\.renderBytes\); left default/);
    }
  });

  it('the cap follows limits.regionBytes unless set: a tighter regionBytes caps the re-render too, a larger renderBytes lets it through', async () => {
    for (const run of bothPaths()) {
      const capped = await patch(run.chunks, { overrides: many, limits: { regionBytes: 64 * 1024 }, index: run.index });
      expectPage(capped.html, gridDefault);
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
      expectPage(r.html, gridDefault);
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
    expectPage(r.html, gridDefault);
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
    expectPage(capped.html, gridDefault);
    expect(capped.report.problems.join('\n')).toMatch(/more than 65536 bytes of HTML/);
  });

  it('handleSpliceRequest and createEdgeHandler take the limits too: an operator behind them can set the cap', async () => {
    const reports: PatchReport[] = [];
    const fetchBase = async () => new Response(gridPrepared.html as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    const direct = await handleSpliceRequest(new Request('https://shop.test/'), {
      manifest: grid.manifest, overrides: many, index: gridPrepared.index, renderer: real, fetchBase,
      limits: { renderBytes: 64 * 1024 }, onReport: (r) => { reports.push(r); },
    });
    expectPage(splitBootstrap(await direct.text()).html, gridDefault);
    const worker = createEdgeHandler({
      manifest: grid.manifest, renderer: real, config: { personalize: () => many }, cache: null,
      origin: fetchBase, index: () => gridPrepared.index, limits: { renderBytes: 64 * 1024 }, onReport: (r) => { reports.push(r); },
    });
    const viaWorker = await worker.fetch(new Request('https://shop.test/'), {}, undefined);
    expectPage(splitBootstrap(await viaWorker.text()).html, gridDefault);
    expect(reports.map((r) => r.problems.join('\n'))).toEqual([expect.stringMatching(/more than 65536 bytes of HTML/), expect.stringMatching(/more than 65536 bytes of HTML/)]);
  });

  it('the same outcome under any chunking, on both paths (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(gridSource.length), { maxLength: 8 }), fc.boolean(), async (cuts, viaSource) => {
        const chunks = viaSource ? cut(gridSource, cuts) : cut(gridPrepared.html, cuts);
        const r = await patch(chunks, { overrides: many, limits: { renderBytes: 64 * 1024 }, ...(viaSource ? {} : { index: gridPrepared.index }) });
        expectPage(r.html, gridDefault);
        expect(r.bootstrap?.overrides ?? []).toEqual([]);
      }),
      { numRuns: 20 },
    );
  }, 60_000);
});

/**
 * A source page (a cache fill) whose grid's re-render changes which cards there are, while an
 * override names a card by its place: whether the re-render moves that card is known only once the
 * scan has reached the cards after the grid, or the page's end. Until then the region, and every
 * byte after it, is held. `filler` bytes of other markup come after the last card.
 */
function heldPage(filler: number): { source: Uint8Array; base: string; withGrid: string } {
  const insert = (html: string) => html.replace('</main>', `<div class="story">${'Lorem ipsum. '.repeat(Math.ceil(filler / 13)).slice(0, filler)}</div></main>`);
  return {
    source: enc.encode(insert(renderPage(grid.App, []))),
    base: insert(gridDefault),
    withGrid: insert(oraclePage(grid.App, [heldOverrides[0]!])),
  };
}

// Card 6 is in neither page: known only at the page's end (no card comes after the footer card).
const heldOverrides: Override[] = [
  { component: 'Grid', props: { products: products(1) } },
  { component: 'Card', instance: 6, props: { badge: 'New' } },
];

/** A source page pulled in chunks of the given sizes, in turn; the most source bytes pulled but not yet answered by output. */
async function patchPulled(source: Uint8Array, sizes: number[], limits?: PatchLimits) {
  let pulled = 0;
  let next = 0;
  let turn = 0;
  const input = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next >= source.length) { controller.close(); return; }
      const size = sizes[turn++ % sizes.length]!;
      const chunk = source.slice(next, next + size);
      next += chunk.length;
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  let report: PatchReport | undefined;
  const reader = patchHtml(input, {
    manifest: grid.manifest, overrides: heldOverrides, renderer: real, ...(limits !== undefined ? { limits } : {}), onReport: (r) => { report = r; },
  }).getReader();
  const parts: Uint8Array[] = [];
  let out = 0;
  let held = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    out += value.length;
    if (next < source.length) held = Math.max(held, pulled - out);
  }
  return { ...splitBootstrap(dec.decode(Uint8Array.from(parts.flatMap((p) => [...p])))), report: report!, held };
}

describe('holding a source page until the index can tell', () => {
  const page = heldPage(256 * 1024);
  const limits: PatchLimits = { regionBytes: 64 * 1024 };
  const markers = page.source.length - enc.encode(page.base).length;

  it('past limits.regionBytes from the region\'s start: the region stays default, the rest streams on, the report says why', async () => {
    const r = await patchPulled(page.source, [4096], limits);
    // At most the region's limit, the markers removed from it and a chunk: not the rest of the page.
    expect(r.held).toBeLessThanOrEqual(64 * 1024 + markers + 2 * 4096);
    expectPage(r.html, page.base);
    expect(r.bootstrap?.overrides ?? []).toEqual([]);
    expect(r.report.rerendered).toBe(0);
    expect(r.report.problems.join('\n')).toMatch(/instance Grid\.\S+ \(_R_2_\) at \d+: whether its re-render moves the instance override #1 names by its place is known only more than 65536 bytes past its start \(limits\.regionBytes\), further than the edge holds the page; left default/);
  });

  it('the default limit bounds it too: a page going on for 2 MiB after the region is not held whole', async () => {
    const long = heldPage(2 * 1024 * 1024);
    const r = await patchPulled(long.source, [16 * 1024]);
    expect(r.held).toBeLessThanOrEqual(1024 * 1024 + (long.source.length - enc.encode(long.base).length) + 2 * 16 * 1024);
    expectPage(r.html, long.base);
  }, 30_000);

  it('decided within the limit, the region is re-rendered as before (the page whole and in chunks), and the index path agrees', async () => {
    const near = heldPage(1024);
    for (const sizes of [[near.source.length], [7], [500, 3]]) {
      const r = await patchPulled(near.source, sizes, limits);
      expect(r.html).toBe(near.withGrid);
      expect(r.report.rerendered).toBe(1);
    }
    const prepared = preparePageSync(near.source);
    const indexed = await patch([prepared.html], { overrides: heldOverrides, index: prepared.index, limits });
    expect(indexed.html).toBe(near.withGrid);
  });

  it('the same bytes however the page is chunked (fast-check)', async () => {
    await fc.assert(
      // Chunks of up to 24 KiB, and now and then the whole page at once.
      fc.asyncProperty(fc.array(fc.oneof(fc.integer({ min: 1, max: 24 * 1024 }), fc.constant(page.source.length)), { minLength: 1, maxLength: 6 }), async (sizes) => {
        const r = await patchPulled(page.source, sizes, limits);
        expectPage(r.html, page.base);
        expect(r.held).toBeLessThanOrEqual(64 * 1024 + markers + 2 * Math.max(...sizes));
      }),
      { numRuns: 15 },
    );
  }, 60_000);

  it('where the card that decides starts right at the limit, the outcome is the page\'s, not the chunking\'s (fast-check)', async () => {
    // Card 2 after a grid of one: the full render's card 2 is the footer card, which the index
    // knows once the scan reaches it. Between the grid and it, markup that puts its start within a
    // few bytes either side of the limit.
    const overrides: Override[] = [heldOverrides[0]!, { component: 'Card', instance: 2, props: { badge: 'New' } }];
    const plain = renderPage(grid.App, []);
    const gridStart = preparePageSync(plain).index.instances.find((i) => i.key.startsWith('Grid.'))!.start;
    const at = (html: string) => html.indexOf('<ul class="footer">');
    const spaced = (gap: number, html: string) => html.slice(0, at(html)) + `<p>${'x'.repeat(gap)}</p>` + html.slice(at(html));
    const footerAt = (gap: number) => preparePageSync(spaced(gap, plain)).index.instances.filter((i) => i.key.startsWith('Card.')).at(-1)!.start;
    const max = 1024;
    const exact = max - (footerAt(0) - gridStart);
    for (const gap of [exact - 1, exact, exact + 1, exact + 2]) {
      const source = enc.encode(spaced(gap, plain));
      const run = async (chunks: Uint8Array[]) => {
        let report: PatchReport | undefined;
        const out = await collect(patchHtml(streamOf(chunks), { manifest: grid.manifest, overrides, renderer: real, limits: { regionBytes: max }, onReport: (r) => { report = r; } }));
        return { html: dec.decode(out), report: report! };
      };
      const whole = await run([source]);
      // Up to the limit the footer card is waited for, and the grid is left default because it is
      // moved (as a whole page always decided); past it, because the wait is over.
      expect(whole.report.problems.join('\n')).toMatch(footerAt(gap) - gridStart <= max ? /override #1 names one of them by its place/ : /known only more than 1024 bytes past its start/);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(source.length), { maxLength: 10 }), async (cuts) => {
          const r = await run(cut(source, cuts));
          expect(r.html).toBe(whole.html);
          expect(r.report.problems).toEqual(whole.report.problems);
        }),
        { numRuns: 40 },
      );
    }
  }, 60_000);

  it('through the index nothing after the region is held: the same page is re-rendered there (a limit only the scan has)', async () => {
    const prepared = preparePageSync(page.source);
    const r = await patch([prepared.html], { overrides: heldOverrides, index: prepared.index, limits });
    expectPage(r.html, page.withGrid);
  });
});

describe('what a request keeps of the regions it has written', () => {
  // A grid of 120 cards (122 with the two around it), each re-rendered by an override of every
  // card, each render padded to 200 KB (inside its root element, so still one instance: an app's
  // long description).
  const source = enc.encode(renderPage(grid.App, [{ component: 'Grid', props: { products: products(120) } }]));
  const pad = `<!--${'x'.repeat(200 * 1024)}-->`;
  const padded = (): SpliceRenderer & { calls: number } => {
    const renderer = {
      calls: 0,
      render: async (request: Parameters<SpliceRenderer['render']>[0]) => {
        if (request.overrides.length > 0) renderer.calls++;
        const html = await real.render(request);
        if (request.overrides.length === 0) return html; // the check render: as cached
        const close = html.indexOf('>') + 1;
        return html.slice(0, close) + pad + html.slice(close);
      },
    };
    return renderer;
  };
  const everyCard: Override[] = [{ component: 'Card', props: { badge: 'New' } }];

  /** Patches, counting the output without keeping it. */
  async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
    const reader = stream.getReader();
    let out = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out;
      out += value.length;
    }
  }

  it('a source page re-rendering many instances does not keep every re-render until its end', async () => {
    const before = await liveBytes();
    let report: PatchReport | undefined;
    // The page but its last bytes, then a pause while the request is still alive (measured then),
    // then the rest.
    let ctl!: ReadableStreamDefaultController<Uint8Array>;
    const input = new ReadableStream<Uint8Array>({ start(c) { ctl = c; } });
    const tail = source.length - 64;
    for (const chunk of cut(source.subarray(0, tail), Array.from({ length: 64 }, (_, i) => Math.floor((i * tail) / 64)))) ctl.enqueue(chunk);
    const reader = patchHtml(input, { manifest: grid.manifest, overrides: everyCard, renderer: padded(), onReport: (r) => { report = r; } }).getReader();
    let out = 0;
    while (out < 121 * 200 * 1024) {
      const { done, value } = await reader.read();
      if (done) break;
      out += value.length; // counted, not kept
    }
    const during = await liveBytes();
    ctl.enqueue(source.slice(tail));
    ctl.close();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out += value.length;
    }
    expect(report!.rerendered).toBe(122);
    expect(out).toBeGreaterThan(122 * 200 * 1024);
    // 24 MB went out before the pause; what the request holds then is a fraction of it (what the
    // collector has not returned), not all of it.
    expect(during - before).toBeLessThan(12 * 1024 * 1024);
  }, 60_000);

  it('finished re-renders kept for later requests are bounded in bytes, not only in number', async () => {
    // Through the index (the hit path) finished re-renders are kept, per renderer and index
    // object, for the requests after: one request re-rendering 122 instances must not leave
    // 24 MB behind in the isolate for as long as the index lives.
    const { html, index } = preparePageSync(source);
    const renderer = padded();
    const before = await liveBytes();
    const out = await drain(patchHtml(streamOf([html]), { manifest: grid.manifest, overrides: everyCard, renderer, index }));
    expect(out).toBeGreaterThan(122 * 200 * 1024);
    // The memo's 8 MiB, and what the collector has not returned.
    expect((await liveBytes()) - before).toBeLessThan(12 * 1024 * 1024);
    // What is kept is still used: the same request again renders fewer of them anew.
    expect(renderer.calls).toBe(122);
    const again = await drain(patchHtml(streamOf([html]), { manifest: grid.manifest, overrides: everyCard, renderer, index }));
    expect(again).toBe(out);
    expect(renderer.calls).toBeGreaterThan(122);
    expect(renderer.calls).toBeLessThan(2 * 122);
  }, 60_000);
});

/**
 * The bounds leave a region default like any failed render (a re-render over `renderBytes`, a
 * source page's wait cut at `regionBytes`): what needs no render of it is still written and told
 * (contract 6), and the gathered or held bytes go back into the stream once, in order, whatever
 * the chunking. The oracle: the page is the full render with exactly the bootstrap's overrides,
 * and with every override but the grid's structural one.
 */
describe('a region left default by a bound keeps what needs no render of it', () => {
  const cardId = (ordinal: number) => gridPrepared.index.instances.filter((i) => i.key.startsWith('Card.'))[ordinal]!.id;
  // Inside the grid: a value hole of card 2 and a card re-rendered alone (both by id, so that
  // whether the grid's re-render moves them is known at once); the grid's heading; every card's price.
  const inner: Override[] = [
    { component: 'Card', instance: cardId(2), props: { title: 'Renamed' } },
    { component: 'Card', instance: cardId(3), props: { badge: 'Hot' } },
    { component: 'Grid', props: { heading: 'Fresh' } },
    { component: 'Card', props: { price: 9 } },
  ];
  const withFiller = (html: string, filler: number) => html.replace('</main>', `<div class="story">${'Lorem ipsum. '.repeat(Math.ceil(filler / 13)).slice(0, filler)}</div></main>`);

  it('over limits.renderBytes, on both paths, under any chunking (fast-check)', async () => {
    const many: Override = { component: 'Grid', props: { products: products(500) } };
    await fc.assert(
      fc.asyncProperty(fc.subarray(inner), fc.array(fc.nat(gridSource.length), { maxLength: 10 }), fc.boolean(), async (picked, cuts, viaSource) => {
        const overrides = [many, ...picked];
        const chunks = viaSource ? cut(gridSource, cuts) : cut(gridPrepared.html, cuts);
        const r = await patch(chunks, { overrides, limits: { renderBytes: 64 * 1024 }, ...(viaSource ? {} : { index: gridPrepared.index }) });
        expect(r.html).toBe(oraclePage(grid.App, r.bootstrap?.overrides ?? []));
        expect(r.html).toBe(oraclePage(grid.App, picked));
        expect(r.report.problems.join('\n')).toMatch(/more than 65536 bytes of HTML \(limits\.renderBytes\); left default/);
      }),
      { numRuns: 30 },
    );
  }, 120_000);

  it('held on a source page past limits.regionBytes: the held bytes go back once, in order, patched (fast-check)', async () => {
    // A grid of one while card 6 is named by its place: known only at the page's end, 48 KB of
    // other markup after the grid, past the 8 KiB the edge holds.
    const filler = 48 * 1024;
    const source = enc.encode(withFiller(renderPage(grid.App, []), filler));
    const fewer: Override = { component: 'Grid', props: { products: products(1) } };
    const sixth: Override = { component: 'Card', instance: 6, props: { badge: 'New' } };
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(inner),
        fc.array(fc.oneof(fc.nat(source.length), fc.integer({ min: 0, max: 12 * 1024 })), { maxLength: 10 }),
        async (picked, cuts) => {
          const overrides = [fewer, sixth, ...picked];
          const r = await patch(cut(source, cuts), { overrides, limits: { regionBytes: 8 * 1024 } });
          expect(r.html).toBe(withFiller(oraclePage(grid.App, r.bootstrap?.overrides ?? []), filler));
          expect(r.html).toBe(withFiller(oraclePage(grid.App, picked), filler));
          expect(r.report.rerendered).toBe(picked.some((o) => o.props.badge === 'Hot') ? 1 : 0);
          expect(r.report.problems.join('\n')).toMatch(/known only more than 8192 bytes past its start \(limits\.regionBytes\)[^\n]*; left default/);
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
