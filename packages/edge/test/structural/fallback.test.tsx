/**
 * A region left default (its render threw, rejected, returned junk, overran its budget, or did
 * not reproduce the cached page on its first-render check) still carries the overrides of the
 * instances inside it that need no render of it: a card's value holes inside a grid whose
 * structural override failed, a card that is re-rendered alone, the grid's own value holes.
 * The oracle (contracts 4 and 6): the delivered page equals the full render with exactly the
 * overrides the bootstrap lists; here that is every override but the failed region's structural
 * one.
 */
import fc from 'fast-check';
import { handleSpliceRequest, patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport, SpliceRenderer } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override } from '@splice/manifest';
import { collect, cut, dec, enc, splitBootstrap, streamOf } from '../helpers';
import { listStructuralFixtures, loadFixture, oraclePage, renderPage } from './harness';

const fixture = loadFixture('nested-instance-override-grid');
const source = renderPage(fixture.App, []);
const sourceBytes = enc.encode(source);
const real = createRenderer();

let consoleError: jest.SpyInstance;
beforeAll(() => { consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined); });
afterAll(() => consoleError.mockRestore());

/** Same number of products: a successful re-render moves no card, so every override applies. */
const GRID: Override = { component: 'Grid', props: { products: [{ id: 'q1', title: 'Bench', price: 99 }, { id: 'q2', title: 'Stool', price: 45 }, { id: 'q3', title: 'Lamp', price: 30 }] } };
const HEADING: Override = { component: 'Grid', props: { heading: 'Fresh' } };
const TITLE_2: Override = { component: 'Card', instance: 2, props: { title: 'Renamed' } };
const BADGE_3: Override = { component: 'Card', instance: 3, props: { badge: 'Hot' } };
const PRICE_ALL: Override = { component: 'Card', props: { price: 9 } };
const TITLE_3: Override = { component: 'Card', instance: 3, props: { title: 'Third' } };

type Failure = 'rejects' | 'throws' | 'junk' | 'another component' | 'over budget' | 'check differs' | 'none';
const FAILURES: Failure[] = ['rejects', 'throws', 'junk', 'another component', 'over budget', 'check differs', 'none'];

/** The real renderer, except for the grid's render (and the cards' with `cards`), which fails as asked. */
function rendererFailing(failure: Failure, cards = false): SpliceRenderer {
  return {
    render: (request) => {
      const failing = request.key.startsWith('Grid.') || (cards && request.key.startsWith('Card.'));
      if (!failing || failure === 'none') return real.render(request);
      switch (failure) {
        case 'rejects': return Promise.reject(new Error('boom'));
        case 'throws': throw new Error('boom');
        case 'junk': return Promise.resolve(42 as unknown as string);
        case 'another component': return Promise.resolve('<p>hi</p>');
        case 'over budget': return new Promise<string>(() => undefined);
        case 'check differs': return Promise.resolve(real.render(request)).then((html) => (request.overrides.length === 0 ? html.replace('</', ' </') : html));
      }
    },
  };
}

async function run(overrides: Override[], failure: Failure, chunks: (html: Uint8Array) => Uint8Array[] = (h) => [h], viaSource = false, cards = false) {
  // A fresh index each time: the first-render verdict and finished renders are kept per index object.
  const prepared = preparePageSync(source);
  let report: PatchReport | undefined;
  const out = await collect(patchHtml(streamOf(chunks(viaSource ? sourceBytes : prepared.html)), {
    manifest: fixture.manifest, overrides, renderer: rendererFailing(failure, cards), renderBudgetMs: 30,
    ...(viaSource ? {} : { index: prepared.index }), onReport: (r) => { report = r; },
  }));
  const { html, bootstrap } = splitBootstrap(dec.decode(out));
  return { html, told: bootstrap?.overrides ?? [], report: report!, prepared };
}

const idOf = (ordinal: number) => preparePageSync(source).index.instances.filter((i) => i.key.startsWith('Card.'))[ordinal]!.id;

describe('a region left default keeps what needs no render of it', () => {
  it.each(FAILURES.filter((f) => f !== 'none'))('the grid\'s render %s: the card inside it still gets its value hole, and the bootstrap says so', async (failure) => {
    for (const viaSource of [false, true]) {
      const { html, told, report } = await run([GRID, TITLE_2], failure, undefined, viaSource);
      expect(html).toBe(oraclePage(fixture.App, [TITLE_2]));
      expect(html).toContain('<h3>Renamed</h3>');
      expect(told).toEqual([{ component: expect.stringMatching(/^Card\./), props: { title: 'Renamed' }, instance: idOf(2) }]);
      // Contract 6: DOM and bootstrap agree.
      expect(oraclePage(fixture.App, told)).toBe(html);
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatch(/^instance Grid\.\S+ \(_R_2_\) at \d+: .*; left default$/);
      expect(report.patchedElements).toBe(1);
      expect(report.rerendered).toBe(0);
    }
  });

  it('an override of every card reaches the cards inside the failed grid too, told for every instance', async () => {
    const { html, told } = await run([GRID, PRICE_ALL], 'rejects');
    expect(html).toBe(oraclePage(fixture.App, [PRICE_ALL]));
    expect(told).toEqual([{ component: expect.stringMatching(/^Card\./), props: { price: 9 } }]);
  });

  it('the grid\'s own value holes set by another override are written; its structural override is not', async () => {
    const { html, told } = await run([GRID, HEADING], 'throws');
    expect(html).toBe(oraclePage(fixture.App, [HEADING]));
    expect(html).toContain('<h2>FRESH</h2>');
    // Written on the page's only grid: told for every instance, as it named none.
    expect(told).toEqual([{ component: expect.stringMatching(/^Grid\./), props: { heading: 'Fresh' } }]);
  });

  it('an override that sets a structural prop and a value prop of the grid is left out whole (never half of one)', async () => {
    const both: Override = { component: 'Grid', props: { ...GRID.props, heading: 'Fresh' } };
    const { html, told } = await run([both, TITLE_2], 'rejects');
    expect(html).toBe(oraclePage(fixture.App, [TITLE_2]));
    expect(told.map((o) => o.component)).toEqual([expect.stringMatching(/^Card\./)]);
  });

  it('beside a value override of the same element, the structural one is neither written nor told', async () => {
    const both: Override = { component: 'Grid', props: { ...GRID.props, heading: 'Fresh' } };
    const other: Override = { component: 'Grid', props: { heading: 'Other' } };
    for (const order of [[both, other], [other, both]]) {
      const { html, told } = await run(order, 'rejects');
      expect(html).toBe(oraclePage(fixture.App, [other]));
      expect(html).toContain('<h2>OTHER</h2>');
      expect(told).toEqual([{ component: expect.stringMatching(/^Grid\./), props: { heading: 'Other' } }]);
    }
  });

  it('the grid left default is patched whole or not at all: one of its elements refused leaves the other as cached, and the bootstrap tells neither', async () => {
    // The manifest describes the grid's <h2> as an <h3> (stale or forged): that element is
    // refused, so the grid's <section> is not written either, though it alone could be; the card
    // inside the grid is another instance, decided on its own.
    const manifest = JSON.parse(JSON.stringify(fixture.manifest)) as typeof fixture.manifest;
    const gridKey = Object.keys(manifest.components).find((k) => k.startsWith('Grid.'))!;
    const h2 = manifest.components[gridKey]!.elements.find((e) => e.tag === 'h2')!;
    h2.tag = 'h3';
    const both: Override = { component: 'Grid', props: { heading: 'Fresh', columns: 4 } };
    for (const viaSource of [false, true]) {
      for (const size of [1, 7, 64, 1 << 20]) {
        const prepared = preparePageSync(source);
        let report: PatchReport | undefined;
        const bytes = viaSource ? sourceBytes : prepared.html;
        const out = await collect(patchHtml(streamOf(cut(bytes, Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => i * size))), {
          manifest, overrides: [GRID, both, TITLE_2], renderer: rendererFailing('rejects'), renderBudgetMs: 30,
          ...(viaSource ? {} : { index: prepared.index }), onReport: (r) => { report = r; },
        }));
        const { html, bootstrap } = splitBootstrap(dec.decode(out));
        expect(html).toBe(oraclePage(fixture.App, [TITLE_2]));
        expect(html).toContain('class="grid cols-3"');
        expect((bootstrap?.overrides ?? []).map((o) => o.component)).toEqual([expect.stringMatching(/^Card\./)]);
        expect(report!.problems.some((p) => /^instance Grid\.\S+ \(_R_2_\): marked <h2> at \d+: the manifest describes <h3>, the page has <h2>; every element of it left untouched$/.test(p))).toBe(true);
      }
    }
  });

  it('a card inside the failed grid with a structural override of its own is re-rendered alone', async () => {
    const { html, told, report } = await run([GRID, BADGE_3, TITLE_2], 'over budget');
    expect(html).toBe(oraclePage(fixture.App, [BADGE_3, TITLE_2]));
    expect(html).toContain('<span class="badge">Hot</span>');
    expect(oraclePage(fixture.App, told)).toBe(html);
    expect(report.rerendered).toBe(1);
  });

  it('a card inside the failed grid whose own re-render fails too keeps its value holes', async () => {
    const { html, told, report } = await run([GRID, BADGE_3, TITLE_3], 'rejects', undefined, false, true);
    expect(html).toBe(oraclePage(fixture.App, [TITLE_3]));
    expect(told).toEqual([{ component: expect.stringMatching(/^Card\./), props: { title: 'Third' }, instance: idOf(3) }]);
    expect(report.problems).toHaveLength(2);
  });

  it('a re-render refused because it moves the card an override names by its place: the card is the cached page\'s, and gets it', async () => {
    const fewer: Override = { component: 'Grid', props: { products: [{ id: 'p1', title: 'Desk', price: 240 }] } };
    const badge2: Override = { component: 'Card', instance: 2, props: { badge: 'New' } };
    for (const viaSource of [false, true]) {
      const { html, told, report } = await run([fewer, badge2], 'none', undefined, viaSource);
      expect(html).toBe(oraclePage(fixture.App, [badge2]));
      expect(told).toEqual([{ component: expect.stringMatching(/^Card\./), props: { badge: 'New' }, instance: idOf(2) }]);
      expect(report.problems.join('\n')).toMatch(/override #1 names one of them by its place in the page; left default/);
    }
  });

  it('when the grid\'s render succeeds nothing changes: the full render with every override', async () => {
    const all = [GRID, HEADING, TITLE_2, BADGE_3, PRICE_ALL];
    const { html, report } = await run(all, 'none');
    expect(html).toBe(oraclePage(fixture.App, all));
    expect(report.problems).toEqual([]);
  });

  it('the stream delivers every byte before the grid at once, and waits only there', async () => {
    let ctl!: ReadableStreamDefaultController<Uint8Array>;
    const input = new ReadableStream<Uint8Array>({ start(c) { ctl = c; } });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const prepared = preparePageSync(source);
    const grid = prepared.index.instances.find((i) => i.key.startsWith('Grid.'))!;
    const renderer: SpliceRenderer = { render: async (r) => { if (r.key.startsWith('Grid.')) { await gate; throw new Error('late failure'); } return real.render(r); } };
    const reader = patchHtml(input, { manifest: fixture.manifest, overrides: [GRID, TITLE_2], index: prepared.index, renderer, renderBudgetMs: 10_000 }).getReader();
    const received: Uint8Array[] = [];
    const reading = (async () => { for (;;) { const { done, value } = await reader.read(); if (done) return; received.push(value); } })();
    ctl.enqueue(prepared.html);
    ctl.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(dec.decode(Uint8Array.from(received.flatMap((p) => [...p])))).toBe(dec.decode(prepared.html.subarray(0, grid.start)));
    open();
    await reading;
    const { html } = splitBootstrap(dec.decode(Uint8Array.from(received.flatMap((p) => [...p]))));
    expect(html).toBe(oraclePage(fixture.App, [TITLE_2]));
  });

  it('behind handleSpliceRequest, a grid over budget still delivers the card\'s value hole', async () => {
    const prepared = preparePageSync(source);
    const response = await handleSpliceRequest(new Request('https://shop.test/'), {
      manifest: fixture.manifest, overrides: [GRID, TITLE_2], index: prepared.index, renderer: rendererFailing('over budget'), renderBudgetMs: 30,
      fetchBase: async () => new Response(streamOf([prepared.html]), { headers: { 'content-type': 'text/html; charset=utf-8' } }),
    });
    const { html, bootstrap } = splitBootstrap(await response.text());
    expect(html).toBe(oraclePage(fixture.App, [TITLE_2]));
    expect(bootstrap?.overrides).toHaveLength(1);
  });

  it('holds under random chunkings, failures, and sets of overrides (fast-check): the page is the full render with what the bootstrap lists', async () => {
    const nested = [HEADING, TITLE_2, BADGE_3, TITLE_3, PRICE_ALL];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FAILURES),
        fc.boolean(),
        fc.subarray(nested),
        fc.string({ unit: 'grapheme', maxLength: 8 }),
        fc.array(fc.nat(sourceBytes.length), { maxLength: 12 }),
        fc.boolean(),
        async (failure, cards, picked, title, cuts, viaSource) => {
          const overrides = [GRID, ...picked.map((o) => (o === TITLE_2 ? { ...o, props: { title } } : o))];
          const { html, told, report } = await run(overrides, failure, (bytes) => cut(bytes, cuts), viaSource, cards);
          // Contract 6: what the client is told is what the page shows.
          expect(html).toBe(oraclePage(fixture.App, told));
          // And nothing that needed no failed render was lost: only the structural overrides of
          // the regions that failed are missing (the grid's, and with `cards` the card's badge).
          const failed = (o: Override) => failure !== 'none' && (o === GRID || (cards && o === BADGE_3));
          expect(html).toBe(oraclePage(fixture.App, overrides.filter((o) => !failed(o))));
          if (failure === 'none') expect(report.problems).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});

describe('every structural fixture, with renders failing at random', () => {
  // Regions of every shape (boundaries between texts, slots, lists, nested instances): whichever
  // renders fail, and however the page is cut, the page is the full render with exactly what the
  // bootstrap tells, and the bytes given back by a region refused after gathering them are the page's.
  const fixtures = listStructuralFixtures().map(loadFixture).filter((f) => f.cases.some((c) => c.expect === undefined));
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const page = renderPage(f.App, []);
    const pageBytes = enc.encode(page);
    const keys = Object.keys(f.manifest.components);
    const cases = f.cases.filter((c) => c.expect === undefined);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cases),
        fc.subarray(keys),
        fc.constantFrom<Failure>('rejects', 'check differs', 'junk'),
        fc.array(fc.nat(pageBytes.length), { maxLength: 8 }),
        fc.boolean(),
        async (c, failing, failure, cuts, viaSource) => {
          const prepared = preparePageSync(page);
          const renderer: SpliceRenderer = {
            render: (request) => {
              if (!failing.includes(request.key)) return real.render(request);
              if (failure === 'rejects') return Promise.reject(new Error('boom'));
              if (failure === 'junk') return Promise.resolve(42 as unknown as string);
              return Promise.resolve(real.render(request)).then((html) => (request.overrides.length === 0 ? html.replace('</', ' </') : html));
            },
          };
          const bytes = viaSource ? pageBytes : prepared.html;
          const out = await collect(patchHtml(streamOf(cut(bytes, cuts)), {
            manifest: f.manifest, overrides: c.overrides, renderer, ...(viaSource ? {} : { index: prepared.index }),
          }));
          const { html, bootstrap } = splitBootstrap(dec.decode(out));
          expect(dec.decode(enc.encode(oraclePage(f.App, bootstrap?.overrides ?? [])))).toBe(html);
          if (failing.length === 0) expect(html).toBe(dec.decode(enc.encode(oraclePage(f.App, c.overrides))));
        },
      ),
      { numRuns: 8 },
    );
  });
});
