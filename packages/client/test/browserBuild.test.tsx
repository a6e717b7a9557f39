/**
 * @jest-environment node
 *
 * The browser build (`src/browser`, package.json's `browser` condition) against the full build,
 * both running as in a browser: the same exports, the same HTML at hydration, the same
 * overrides after a navigation, the same exposure beacons, for generated bootstraps (malformed
 * ones included). Browser globals are stand-ins installed before each pair of builds loads (both
 * read them at load); Chromium runs both builds for real in navigation.browser.test.ts.
 */
import type { Context } from 'react';
import fc from 'fast-check';
import type { Bootstrap, ComponentRef, Override } from '@splice/manifest';
import { pathPattern } from '@splice/manifest';
import type { SpliceState } from '../src/types';
import { checkedBootstrap } from '../src/bootstrap';

type Runtime = typeof import('../src/index');

// The browser build must be usable wherever the full one is: this fails to type-check otherwise.
const sameApi = (browser: typeof import('../src/browser/index')): Runtime => browser;
void sameApi;

interface Page { full: Runtime; browser: Runtime; beacons: string[]; go(path: string): void }

// React of the current page's module registry (the builds must share it with the renderer).
let React: typeof import('react');
let renderToString: typeof import('react-dom/server').renderToString;

/** A fresh pair of builds in a fresh "browser" showing `bootstrap` at `landing`. */
function openPage(bootstrap: unknown, landing = '/'): Page {
  const location = { pathname: landing };
  const beacons: string[] = [];
  const text = bootstrap === undefined ? null : typeof bootstrap === 'string' ? bootstrap : JSON.stringify(bootstrap);
  const globals: Record<string, unknown> = {
    location,
    history: {
      pushState(_state: unknown, _title: string, url: string) { location.pathname = url; },
      replaceState(_state: unknown, _title: string, url: string) { location.pathname = url; },
    },
    addEventListener() { /* popstate: not used here */ },
    document: { querySelectorAll: (selector: string) => (selector === 'script#__SPLICE__' && text !== null ? [{ textContent: text, text }] : []), querySelector: () => null },
    navigator: { sendBeacon: (url: string, body: string) => { beacons.push(`${url} ${body}`); return true; } },
  };
  for (const [k, v] of Object.entries(globals)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  let full!: Runtime;
  let browser!: Runtime;
  jest.isolateModules(() => {
    React = require('react');
    renderToString = require('react-dom/server').renderToString;
    full = require('../src/index');
    browser = require('../src/browser/index');
  });
  return { full, browser, beacons, go(path) { (globalThis as any).history.pushState(null, '', path); } };
}

const refs: ComponentRef[] = [
  { key: 'Card.k1', name: 'Card', file: 'src/Card.tsx' },
  { key: 'Banner.k2', name: 'Banner', file: 'src/Banner.tsx' },
];

/** A page of instances of both components, rendered with one build as hydration renders it. */
function renderPage(runtime: Runtime, own?: Override[]): string {
  const make = (ref: ComponentRef) => function Instance(input: { label: string; n?: number }) {
    const s = runtime.useSpliceProps(ref, input);
    return s.root(React.createElement('p', { className: ref.name }, `${s.props.label}|${JSON.stringify(s.props)}`));
  };
  const Card = make(refs[0]!);
  const Banner = make(refs[1]!);
  return renderToString(React.createElement(runtime.SpliceProvider, { overrides: own },
    React.createElement(Card, { label: 'one' }), React.createElement(Banner, { label: 'top' }), React.createElement('div', null, React.createElement(Card, { label: 'two' }), React.createElement(Card, { label: 'three' })), React.createElement(Banner, { label: 'bottom' })));
}

/** The provider's state, for views a server render cannot reach (it always renders view 0). */
function stateOf(runtime: Runtime): SpliceState {
  let state: SpliceState | null = null;
  function Probe() {
    state = React.useContext(runtime.SpliceContext as Context<SpliceState | null>);
    return null;
  }
  renderToString(React.createElement(runtime.SpliceProvider, null, React.createElement(Probe)));
  return state!;
}

/** Overrides that can apply to an instance (the full build drops the others, the browser build keeps them to no effect). */
function applicable(overrides: readonly Override[]): unknown[] {
  return overrides.filter((o) => typeof o.component === 'string' && (o.instance === undefined || typeof o.instance === 'string' || (Number.isInteger(o.instance) && (o.instance as number) >= 0)));
}

const component = fc.constantFrom('Card', 'Card.k1', 'src/Card.tsx#Card', 'Banner', 'Banner.k2', 'Other', 7 as unknown as string);
const instance = fc.option(fc.constantFrom<unknown>(0, 1, 2, 5, -1, 1.5, null, '_R_1_', '_R_2_', '_R_3_', '_R_5_', '_R_7_', 'x'), { nil: undefined });
const props = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom('label', 'n', 'extra'), fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(true))) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'ab', ['x'], 3) },
);
const override = fc.oneof(
  { weight: 8, arbitrary: fc.record({ component, instance, props }, { requiredKeys: ['component', 'props'] }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 7, 'Card', []) },
);
const patterns = fc.constantFrom('/', '/shop', '/shop/*', '/shop/**', '/caf%C3%A9', '/café', '/**');
const paths = fc.oneof(
  // As the edge writes them: each list of patterns compiled (`pathPattern`).
  { weight: 8, arbitrary: fc.option(fc.array(fc.array(patterns, { minLength: 1, maxLength: 3 }).map(pathPattern), { maxLength: 2 }), { nil: undefined }) },
  // Malformed lists, mixed ones included, and a source that does not compile: both builds leave such an entry out in development.
  { weight: 1, arbitrary: fc.constantFrom<unknown>('x', [['/']], [5], 5, null, ['^/shop$', 5], ['(']) },
);
const entry = fc.oneof(
  { weight: 8, arbitrary: fc.record({
    paths,
    experiment: fc.option(fc.constantFrom('hero', 'cta'), { nil: undefined }),
    variant: fc.constantFrom('a', 'b'),
    touches: fc.option(fc.array(component, { maxLength: 2 }), { nil: undefined }),
    partial: fc.option(fc.constant(true as const), { nil: undefined }),
    overrides: fc.array(override, { maxLength: 3 }),
  }, { requiredKeys: ['overrides'] }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(7, null, 'x') },
);
const bootstrap = fc.record({
  buildId: fc.constant('b1'),
  assignments: fc.constant({}),
  overrides: fc.oneof({ weight: 8, arbitrary: fc.array(override, { maxLength: 5 }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'x', {}) }),
  site: fc.option(fc.array(entry, { maxLength: 4 }), { nil: undefined }),
  shown: fc.option(fc.dictionary(fc.constantFrom('hero', 'cta'), fc.boolean()), { nil: undefined }),
  beacon: fc.option(fc.constantFrom('/__splice/exposure', '/__splice/exposure', '//evil.test/x', 'http://evil.test/'), { nil: undefined }),
}, { requiredKeys: ['buildId', 'assignments', 'overrides'] });

// The development checks speak about the malformed bootstraps generated here: heard, not shown.
beforeAll(() => { jest.spyOn(console, 'error').mockImplementation(() => undefined); });
afterAll(() => {
  for (const k of ['location', 'history', 'addEventListener', 'document', 'navigator']) delete (globalThis as any)[k];
});

describe('the browser build against the full build, in a browser', () => {
  it('has the same exports', () => {
    const page = openPage(undefined);
    expect(Object.keys(jest.requireActual('../src/browser/index')).sort()).toEqual(Object.keys(jest.requireActual('../src/index')).sort());
    expect(typeof page.browser.useSpliceHook).toBe('function');
  });

  it('hydrates the same HTML: view 0 renders exactly the bootstrap\'s overrides, by component, position and id', () => {
    fc.assert(fc.property(bootstrap, fc.option(fc.array(override, { maxLength: 2 }) as fc.Arbitrary<Override[]>, { nil: undefined }), (boot, own) => {
      const page = openPage(boot);
      expect(renderPage(page.browser, own)).toBe(renderPage(page.full, own));
    }), { numRuns: 150 });
  });

  it('in production takes the bootstrap as the edge writes it, and renders what the full build renders, after navigations too', () => {
    const before = process.env.NODE_ENV;
    try {
      fc.assert(fc.property(bootstrap, fc.option(fc.array(override, { maxLength: 2 }) as fc.Arbitrary<Override[]>, { nil: undefined }), fc.array(fc.constantFrom('/', '/shop', '/shop/x', '/caf%C3%A9'), { maxLength: 3 }), (boot, own, visits) => {
        // What the edge writes: overrides and site entries validated, the beacon a path of this site.
        const written = checkedBootstrap(JSON.parse(JSON.stringify(boot)));
        process.env.NODE_ENV = 'production';
        const page = openPage(written);
        expect(renderPage(page.browser, own)).toBe(renderPage(page.full, own));
        const [full, browser] = [stateOf(page.full), stateOf(page.browser)];
        visits.forEach((path, i) => {
          page.go(path);
          expect(browser.view(i + 1).overrides).toEqual(full.view(i + 1).overrides);
        });
        process.env.NODE_ENV = before;
      }), { numRuns: 100 });
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('in development says what of a malformed bootstrap it left out', () => {
    const spy = console.error as jest.Mock;
    spy.mockClear();
    const page = openPage({ buildId: 'b', assignments: {}, overrides: [{ component: 'Card', props: { label: 'kept' } }, { component: 7, props: {} }], site: [7, { overrides: [] }], beacon: '//evil.test/x' });
    expect(renderPage(page.browser)).toContain('kept|');
    expect(spy.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/left out: 1 of its 2 overrides, 1 of its 2 site entries, its beacon "\/\/evil.test\/x"/);
  });

  it('reads no bootstrap, or one that is not JSON, as none: the provider\'s own overrides apply', () => {
    for (const raw of [undefined, '{not json', 'null', '7']) {
      const page = openPage(raw);
      const own = [{ component: 'Card', instance: 1, props: { label: 'own' } }];
      expect(renderPage(page.browser, own)).toBe(renderPage(page.full, own));
    }
    // A bootstrap that is JSON but not an object: both read it as none (no exception).
    expect(renderPage(openPage('"text"').browser)).toContain('one|');
  });

  it('renders the same overrides after a navigation, on every path', () => {
    fc.assert(fc.property(bootstrap, fc.array(fc.constantFrom('/', '/shop', '/shop/x', '/shop/x/y', '/caf%C3%A9', '/about'), { minLength: 1, maxLength: 3 }), (boot, visits) => {
      const page = openPage(boot);
      const full = stateOf(page.full);
      const browser = stateOf(page.browser);
      visits.forEach((path, i) => {
        page.go(path);
        expect(applicable(browser.view(i + 1).overrides)).toEqual(applicable(full.view(i + 1).overrides));
      });
    }), { numRuns: 150 });
  });

  it('read the first 256 site entries alike (readSite\'s cap)', () => {
    const site = Array.from({ length: 300 }, (_, i) => ({ paths: [pathPattern([`/p/${i}`])], overrides: [{ component: 'Card', props: { label: `rule${i}` } }] }));
    for (const path of ['/p/10', '/p/255', '/p/256', '/p/299']) {
      const page = openPage({ buildId: 'b', assignments: {}, overrides: [], site });
      const [full, browser] = [stateOf(page.full), stateOf(page.browser)];
      page.go(path);
      expect(browser.view(1).overrides).toEqual(full.view(1).overrides);
    }
  });

  it('report view 0 once, also when a boundary hydrates it after many navigations', async () => {
    const boot = { buildId: 'b', assignments: { hero: 'a' }, overrides: [], site: [{ experiment: 'hero', variant: 'a', touches: ['Card'], overrides: [] }], shown: { hero: true }, beacon: '/__splice/exposure' };
    for (const build of ['full', 'browser'] as const) {
      const page = openPage(boot);
      const state = stateOf(page[build]);
      state.view(0).rendered(refs[0]!);
      for (let v = 1; v <= 12; v++) { page.go(`/n/${v}`); state.view(v).rendered(refs[1]!); }
      // A late boundary renders view 0 (hydration takes the server snapshot).
      state.view(0).rendered(refs[0]!);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(page.beacons.filter((b) => b.includes('"view":0'))).toHaveLength(1);
    }
  });

  it('keep the newest view when view 0 is first asked for after it (a boundary of the landing page hydrating after a navigation)', () => {
    for (const build of ['full', 'browser'] as const) {
      const page = openPage({ buildId: 'b', assignments: {}, overrides: [] });
      const state = stateOf(page[build]);
      page.go('/shop');
      // The new route's instances: two Cards, ordinals 0 and 1 in view 1.
      const v1 = state.view(1);
      expect([v1.ordinalOf('Card.k1', 'a'), v1.ordinalOf('Card.k1', 'b')]).toEqual([0, 1]);
      // The late boundary hydrates with view 0, then re-renders in the current view.
      expect(state.view(0).ordinalOf('Card.k1', 'c')).toBe(0);
      // Before: view 1 was dropped here and started afresh, so the boundary's Card took ordinal 0 (a's) in it.
      expect(state.view(1)).toBe(v1);
      expect([state.view(1).ordinalOf('Card.k1', 'c'), state.view(1).ordinalOf('Card.k1', 'b')]).toEqual([2, 1]);
    }
  });

  it('numbers instances alike in a view (instance: n), a repeated render keeping its place', () => {
    const page = openPage({ buildId: 'b', assignments: {}, overrides: [] });
    const views = [stateOf(page.full).view(0), stateOf(page.browser).view(0)];
    // An id is one instance's (`useId` in its `useSpliceProps`), so of one component.
    const calls: [string, string][] = [['A', 'x'], ['A', 'y'], ['B', 'u'], ['A', 'x'], ['A', 'z'], ['B', 'w']];
    const [fromFull, fromBrowser] = views.map((v) => calls.map(([key, id]) => v.ordinalOf(key, id)));
    expect(fromBrowser).toEqual(fromFull);
    expect(fromFull).toEqual([0, 1, 0, 0, 2, 1]);
  });

  it('sends the same exposure beacons, once per experiment per view', async () => {
    await fc.assert(fc.asyncProperty(bootstrap, fc.array(fc.tuple(fc.constantFrom(0, 1, 2), fc.constantFrom(0, 1)), { maxLength: 6 }), async (boot, renders) => {
      // Each build in a page of its own: beacons go out on a timer, so they would interleave.
      const sent = { full: [] as string[], browser: [] as string[] };
      for (const build of ['full', 'browser'] as const) {
        const page = openPage(boot, '/shop');
        const state = stateOf(page[build]);
        for (const [view, ref] of renders) {
          if (view > 0) page.go(view === 1 ? '/shop/x' : '/');
          state.view(view).rendered(refs[ref]!);
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
        sent[build] = page.beacons;
      }
      expect(sent.browser).toEqual(sent.full);
    }), { numRuns: 60 });
  }, 60_000);
});

// A check of the generator itself: it must produce bootstraps that apply overrides and send beacons.
test('the generated bootstraps exercise what they are meant to', () => {
  const samples = fc.sample(bootstrap, { numRuns: 300, seed: 1 }) as Bootstrap[];
  expect(samples.filter((b) => Array.isArray(b.overrides) && b.overrides.some((o) => typeof o === 'object' && o !== null && o.component === 'Card')).length).toBeGreaterThan(50);
  expect(samples.filter((b) => b.beacon === '/__splice/exposure' && (b.site ?? []).some((e) => typeof e === 'object' && e !== null && e.experiment !== undefined)).length).toBeGreaterThan(30);
});
