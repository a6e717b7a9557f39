/**
 * Contract 4 for structural holes, on every fixture in ./fixtures (a folder of modules, a page
 * and its cases): patching the cached page with a case's overrides gives, byte for byte, the full
 * render with them; through the page index and through the source page; under random chunkings
 * and with random override values of each prop's type (fast-check). A case marked
 * `expect: "refused"` must leave the page default and say why; one marked `expect: "partial"`
 * must show only the overrides at the positions in `applies`, and say why. Every case's page is
 * the full render with exactly the overrides its bootstrap lists (contract 6).
 */
import fc from 'fast-check';
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { JsonValue, Override } from '@splice/manifest';
import { collect, cut, dec, enc, splitBootstrap, streamOf } from '../helpers';
import { listStructuralFixtures, loadFixture, oraclePage, renderPage } from './harness';
import type { FixtureCase } from './harness';
import { propsLike } from './values';

const renderer = createRenderer();

// React's development build warns about what random values do to the fixtures (duplicate keys
// after a random rename): both sides render the same, and the noise hides real failures.
let consoleError: jest.SpyInstance;
beforeAll(() => { consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined); });
afterAll(() => consoleError.mockRestore());

async function patchWith(chunks: Uint8Array[], options: { manifest: unknown; overrides: Override[]; index?: unknown }) {
  let report: PatchReport | undefined;
  const out = await collect(patchHtml(streamOf(chunks), { ...options, renderer, onReport: (r) => { report = r; } }));
  return { ...splitBootstrap(dec.decode(out)), report: report! };
}

describe.each(listStructuralFixtures())('structural fixture %s', (name) => {
  const fixture = loadFixture(name);
  const source = renderPage(fixture.App, []);
  const sourceBytes = enc.encode(source);
  const prepared = preparePageSync(source);

  it('renders deterministically, and its page index has the instance states', () => {
    expect(renderPage(fixture.App, [])).toBe(source);
    expect(prepared.problems).toEqual([]);
    // Every re-renderable component's instances carry their state.
    const renderable = new Set(Object.keys(fixture.manifest.components).filter((k) => fixture.manifest.components[k]!.render !== undefined));
    for (const inst of prepared.index.instances) expect(inst.state !== undefined).toBe(renderable.has(inst.key));
  });

  const cases = fixture.cases.map((c) => [c.label, c] as [string, FixtureCase]);

  it.each(cases)('%s: equals a full render, through the index and through the source page', async (_label, c) => {
    const refused = c.expect === 'refused';
    const partial = c.expect === 'partial';
    const shown = refused ? [] : partial ? (c.applies ?? []).map((i) => c.overrides[i]!) : c.overrides;
    // As bytes, the way the page travels: a lone surrogate (a `slice` through a pair) is U+FFFD there.
    const asSent = (html: string) => dec.decode(enc.encode(html));
    const expected = asSent(oraclePage(fixture.App, shown));
    for (const run of [
      await patchWith([prepared.html], { manifest: fixture.manifest, overrides: c.overrides, index: prepared.index }),
      await patchWith([sourceBytes], { manifest: fixture.manifest, overrides: c.overrides }),
    ]) {
      expect(run.html).toBe(expected);
      // Contract 6: the page is the full render with exactly what the bootstrap tells the client.
      expect(asSent(oraclePage(fixture.App, run.bootstrap?.overrides ?? []))).toBe(run.html);
      if (refused || partial) {
        expect([...run.report.problems, ...run.report.skipped.map((s) => s.reason)].length).toBeGreaterThan(0);
        if (refused) expect(run.bootstrap?.overrides ?? []).toEqual([]);
      } else {
        expect(run.report.problems).toEqual([]);
        expect(run.report.skipped).toEqual([]);
        expect(run.bootstrap).not.toBeNull();
      }
    }
  });

  const positive = fixture.cases.filter((c) => c.expect === undefined);
  if (positive.length > 0) {
    it('holds under random chunkings and random values of each prop\'s type (fast-check)', async () => {
      const caseArb = fc.constantFrom(...positive).chain((c) =>
        fc.tuple(...c.overrides.map((o) => propsLike(o.props as Record<string, JsonValue>).map((props) => ({ ...o, props }) as Override))));
      await fc.assert(
        fc.asyncProperty(caseArb, fc.array(fc.nat(prepared.html.length), { maxLength: 12 }), fc.boolean(), async (overrides, cuts, viaSource) => {
          const expected = dec.decode(enc.encode(oraclePage(fixture.App, overrides)));
          const run = viaSource
            ? await patchWith(cut(sourceBytes, cuts.map((n) => Math.floor((n * sourceBytes.length) / Math.max(1, prepared.html.length)))), { manifest: fixture.manifest, overrides })
            : await patchWith(cut(prepared.html, cuts), { manifest: fixture.manifest, overrides, index: prepared.index });
          expect(run.html).toBe(expected);
          // Contract 6: nothing is told that was not done; here everything applies.
          expect(run.report.problems).toEqual([]);
        }),
        { numRuns: 12 },
      );
    });
  }
});

describe('contexts that only descendants read', () => {
  it('are recorded where they are JSON, so a child an override shows reads the provided value', () => {
    const fixture = loadFixture('context-child-shown-by-override-badge');
    const prepared = preparePageSync(renderPage(fixture.App, []));
    const tiles = prepared.index.instances.filter((i) => i.key.startsWith('ProductTile'));
    expect(tiles).toHaveLength(2);
    // The tile itself reads no context: the one recorded is its badge's, which the page does not show.
    for (const tile of tiles) expect(tile.state).toMatchObject({ contexts: [{ sale: 'Solde', soldOut: 'Épuisé' }] });
    expect(fixture.manifest.components[tiles[0]!.key]!.render?.contexts).toBe(1);
  });

  it('record their data and where their functions are, not refused', () => {
    const fixture = loadFixture('context-child-callbacks-stubbed');
    const prepared = preparePageSync(renderPage(fixture.App, []));
    const offer = prepared.index.instances.find((i) => i.key.startsWith('Offer'));
    expect(offer?.state).toEqual(expect.objectContaining({ contexts: [{ count: 2 }], functions: [[0, 'add']] }));
  });

  it('refuse the instance where JSON cannot hold them otherwise (a Date): a child an override shows would render under the default', () => {
    const fixture = loadFixture('refused-child-unrecordable-context');
    const prepared = preparePageSync(renderPage(fixture.App, []));
    const toolbar = prepared.index.instances.find((i) => i.key.startsWith('Toolbar'));
    expect(toolbar?.state).toEqual({ refused: expect.stringMatching(/^context 0 \(read by a component it renders\) holds an object that is not plain JSON/) });
  });
});

describe('functions in a component\'s own contexts', () => {
  it('stand in for a re-render without touching the record other requests share', async () => {
    const fixture = loadFixture('context-own-callbacks-account-menu');
    const prepared = preparePageSync(renderPage(fixture.App, []));
    // Functions written into the record would vanish from plain JSON: show them.
    const snapshot = () => JSON.stringify(prepared.index, (_k, v: unknown) => (typeof v === 'function' ? '<function>' : v));
    const before = snapshot();
    const overrides: Override[] = [{ component: 'AccountMenu', props: { expanded: true } }];
    for (let i = 0; i < 2; i++) {
      const run = await patchWith([prepared.html], { manifest: fixture.manifest, overrides, index: prepared.index });
      expect(run.html).toBe(dec.decode(enc.encode(oraclePage(fixture.App, overrides))));
    }
    expect(snapshot()).toBe(before);
    expect(({} as Record<string, unknown>).open).toBeUndefined();
  });

  it('are recorded as where they are, in the value and inside lists', () => {
    const fixture = loadFixture('context-own-callbacks-account-menu');
    const prepared = preparePageSync(renderPage(fixture.App, []));
    const menu = prepared.index.instances.find((i) => i.key.startsWith('AccountMenu'));
    expect(menu?.state).toEqual(expect.objectContaining({
      contexts: [{ user: { name: 'Robin', plan: 'pro' }, links: [{ label: 'Orders' }, { label: 'Settings' }] }],
      functions: [[0, 'signOut'], [0, 'links', 0, 'open'], [0, 'links', 1, 'open']],
    }));
  });
});
