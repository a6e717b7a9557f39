/**
 * Client-side navigation with react-router's BrowserRouter, in real headless Chromium: components
 * that mount after a route change get the visitor's overrides for the new path from the
 * bootstrap's `site`, back and forward included, and the exposure beacon goes out once per
 * experiment per view, only for experiments whose components that view rendered. (The
 * storefront's browser test does the same with a plain History-API router, behind the edge.)
 */
import * as fs from 'fs';
import * as path from 'path';
import webpack from 'webpack';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { pathPattern } from '@splice/manifest';
import type { Override } from '@splice/manifest';
import { SpliceProvider } from '@splice/client';
import { App, Banner } from './browser/lateBoundary';

jest.setTimeout(60_000);

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = path.join(__dirname, '.build-browser');
const root = path.join(__dirname, '..', '..', '..');

/**
 * The runtime the apps are bundled with: the browser build (what package.json's `browser`
 * condition gives a bundler, so what browsers run) for every test, and the full build (what a
 * bundler without that condition takes) for the main cases.
 */
const RUNTIMES = { browser: 'packages/client/src/browser/index.ts', full: 'packages/client/src/index.ts' };
type Runtime = keyof typeof RUNTIMES;

/** The test apps, one bundle each: react-router's BrowserRouter (two), its data router, a hydrated page. */
const ENTRIES = { routerApp: 'routerApp.tsx', routerCases: 'routerCases.tsx', dataRouterApp: 'dataRouterApp.tsx', hydrateApp: 'hydrateApp.tsx', devChecksApp: 'devChecksApp.tsx', claimedApp: 'claimedApp.tsx', lateBoundaryApp: 'lateBoundaryApp.tsx', twoRootsApp: 'twoRootsApp.tsx' };

function bundle(runtime: Runtime): Promise<void> {
  return new Promise((resolve, reject) => {
    webpack({
      mode: 'development',
      devtool: false,
      target: 'web',
      context: __dirname,
      entry: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(__dirname, 'browser', file)])),
      resolve: {
        extensions: ['.tsx', '.ts', '.js'],
        alias: {
          '@splice/client$': path.join(root, RUNTIMES[runtime]),
          '@splice/manifest$': path.join(root, 'packages/manifest/src/index.ts'),
        },
      },
      module: {
        rules: [{
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: require.resolve('babel-loader'), options: { babelrc: false, configFile: false, presets: [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }], require.resolve('@babel/preset-typescript')] } },
        }],
      },
      output: { path: path.join(OUT, runtime), filename: '[name].js' },
      infrastructureLogging: { level: 'error' },
      stats: 'errors-only',
    }, (error, stats) => {
      if (error) return reject(error);
      if (stats!.hasErrors()) return reject(new Error(stats!.toString({ all: false, errors: true })));
      resolve();
    });
  });
}

const bootstrap = {
  buildId: 't1',
  assignments: { hero: 'b' },
  // The landing page ('/') as the edge patched it.
  overrides: [{ component: 'Banner.k1', props: { text: 'Hello B' } }],
  site: [
    { paths: [pathPattern(['/'])], experiment: 'hero', variant: 'b', touches: ['Banner'], overrides: [{ component: 'Banner', props: { text: 'Hello B' } }] },
    { experiment: 'cta', variant: 'big', touches: ['Cta'], overrides: [{ component: 'Cta', props: { label: 'Buy now!' } }] },
  ],
  shown: { hero: true },
  beacon: '/__splice/exposure',
};

let browser: Browser;
beforeAll(async () => {
  await Promise.all([bundle('browser'), bundle('full')]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => { await browser?.close(); });

/**
 * Every path of http://app.test serves the page with the bootstrap (and `rootHtml` in the root,
 * for a hydrated app); the beacon endpoint answers 204. `appOptions` reach the app as
 * `window.__OPTS`.
 */
async function open(bootstrapValue: unknown, options: { entry?: keyof typeof ENTRIES; runtime?: Runtime; appOptions?: unknown; rootHtml?: string; rawBootstrap?: string; beforeRoot?: string; root2Html?: string } = {}): Promise<{ page: Page; beacons: any[]; messages: string[] }> {
  const page = await browser.newPage();
  const beacons: any[] = [];
  const messages: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(m.text()); });
  page.on('pageerror', (e) => messages.push(e.message));
  // `undefined` and no raw text: a page the edge did not patch (no bootstrap).
  const bootstrapText = options.rawBootstrap ?? (bootstrapValue === undefined ? null : JSON.stringify(bootstrapValue));
  const script = fs.readFileSync(path.join(OUT, options.runtime ?? 'browser', `${options.entry ?? 'routerApp'}.js`), 'utf8');
  await page.route('http://app.test/**', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/__splice/exposure') {
      beacons.push(JSON.parse(route.request().postData() ?? 'null'));
      return route.fulfill({ status: 204 });
    }
    if (url.pathname === '/app.js') return route.fulfill({ body: script, contentType: 'text/javascript' });
    return route.fulfill({
      contentType: 'text/html',
      body: `<!DOCTYPE html><html><body>${options.beforeRoot ?? ''}<div id="root">${options.rootHtml ?? ''}</div><div id="root2">${options.root2Html ?? ''}</div><script>window.__OPTS=${JSON.stringify(options.appOptions ?? {})}</script>${bootstrapText === null ? '' : `<script type="application/json" id="__SPLICE__">${bootstrapText}</script>`}<script src="/app.js"></script></body></html>`,
    });
  });
  return { page, beacons, messages };
}

describe.each(['browser', 'full'] as const)('react-router (BrowserRouter), %s build: navigation keeps the visitor\'s variants', (runtime) => {
  it('applies the site decisions of each path, back and forward, and reports exposure once per experiment per view', async () => {
    const { page, beacons, messages } = await open(bootstrap, { runtime });
    await page.goto('http://app.test/');
    expect(await page.textContent('.banner')).toBe('Hello B');
    await page.click('a.to-shop');
    await page.waitForSelector('main.shop');
    // The hero experiment runs on '/' only: its Banner change does not follow the visitor to /shop.
    expect(await page.textContent('.banner')).toBe('Shop banner');
    expect(await page.textContent('.cta')).toBe('Buy now!');
    await page.goBack();
    await page.waitForSelector('main.home');
    expect(await page.textContent('.banner')).toBe('Hello B');
    await page.goForward();
    await page.waitForSelector('main.shop');
    expect(await page.textContent('.cta')).toBe('Buy now!');
    await page.click('a.to-about');
    await page.waitForSelector('main.about');
    await page.waitForTimeout(300);
    expect(beacons).toEqual([
      { path: '/', view: 0, experiments: [{ experiment: 'hero', variant: 'b' }] },
      { path: '/shop', view: 1, experiments: [{ experiment: 'cta', variant: 'big' }] },
      { path: '/', view: 2, experiments: [{ experiment: 'hero', variant: 'b' }] },
      { path: '/shop', view: 3, experiments: [{ experiment: 'cta', variant: 'big' }] },
    ]);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('reports no exposure for a variant the edge could not show whole on the landing page', async () => {
    const { page, beacons } = await open({ ...bootstrap, overrides: [], shown: { hero: false } }, { runtime });
    await page.goto('http://app.test/');
    expect(await page.textContent('.banner')).toBe('Welcome');
    await page.click('a.to-shop');
    await page.waitForSelector('main.shop');
    await page.waitForTimeout(300);
    expect(beacons).toEqual([{ path: '/shop', view: 1, experiments: [{ experiment: 'cta', variant: 'big' }] }]);
    await page.close();
  });

  it('sends nothing without a beacon in the bootstrap; in development leaves malformed site entries out, and says so', async () => {
    const { page, beacons, messages } = await open({ ...bootstrap, beacon: undefined, site: [{ paths: 'x', overrides: [] }, { overrides: [{ component: 'Cta', props: { label: 'Kept' } }] }, 7] }, { runtime });
    await page.goto('http://app.test/');
    await page.click('a.to-shop');
    await page.waitForSelector('main.shop');
    expect(await page.textContent('.cta')).toBe('Kept');
    await page.waitForTimeout(300);
    expect(beacons).toEqual([]);
    expect(messages).toEqual([expect.stringMatching(/^\[splice\] the page's bootstrap .* holds what the edge never writes; left out: 2 of its 3 site entries\. /)]);
    await page.close();
  });
});

/** Cases found by review: each failed before its fix. */
describe('navigation: routers, StrictMode, Suspense, two roots, late hydration', () => {
  const site = bootstrap.site;
  const landing = { ...bootstrap, assignments: { hero: 'b', cta: 'big' }, shown: { hero: true, cta: true } };

  it('landing on a page without Splice components: the first navigation is view 1, not view 0', async () => {
    const { page, beacons } = await open({ ...landing, assignments: { cta: 'big' }, overrides: [], shown: { cta: true } }, { entry: 'routerCases' });
    await page.goto('http://app.test/about');
    await page.click('a.to-shop');
    await page.waitForSelector('main.shop');
    await page.waitForTimeout(300);
    expect(await page.textContent('.cta')).toBe('Buy now!');
    expect(beacons).toEqual([{ path: '/shop', view: 1, experiments: [{ experiment: 'cta', variant: 'big' }] }]);
    await page.close();
  });

  it.each([[0, false], [1, false], [0, true], [1, true]] as const)('instance %i after a navigation (StrictMode %s): the n-th instance of the view', async (instance, strict) => {
    const boot = { ...landing, site: [...site, { paths: [pathPattern(['/two'])], overrides: [{ component: 'Cta', instance, props: { label: 'Picked' } }] }] };
    const { page, messages } = await open(boot, { entry: 'routerCases', appOptions: { strict } });
    await page.goto('http://app.test/');
    await page.click('a.to-two');
    await page.waitForSelector('main.two');
    expect([await page.textContent('.cta0'), await page.textContent('.cta1')]).toEqual(instance === 0 ? ['Picked', 'Buy now!'] : ['Buy now!', 'Picked']);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('a layout instance kept across the navigation takes its place in the new view when it renders in it', async () => {
    // A full load of /shop2 numbers in document order: the layout's Banner 0, Shop A 1, Shop B 2.
    const boot = { ...landing, overrides: [], shown: { cta: true }, site: [{ paths: [pathPattern(['/shop2'])], overrides: [{ component: 'Banner', instance: 0, props: { text: 'Picked' } }] }] };
    const { page } = await open(boot, { entry: 'routerCases', appOptions: { layoutBanner: true } });
    await page.goto('http://app.test/');
    await page.click('a.to-shop2');
    await page.waitForSelector('main.shop2');
    expect([await page.textContent('.layout-banner'), await page.textContent('.banner-a'), await page.textContent('.banner-b')]).toEqual(['Picked', 'Shop A', 'Shop B']);
    await page.close();
  });

  it('two SpliceProviders (two roots) report a view once', async () => {
    const { page, beacons } = await open(landing, { entry: 'routerCases', appOptions: { secondRoot: true } });
    await page.goto('http://app.test/');
    await page.waitForSelector('.banner2');
    await page.waitForTimeout(300);
    expect(beacons).toEqual([{ path: '/', view: 0, experiments: [{ experiment: 'hero', variant: 'b' }] }]);
    await page.close();
  });

  it.each(['browser', 'full'] as const)('a path changed at startup (replaceState) before a Suspense boundary hydrates: it hydrates what the HTML holds (%s build)', async (runtime) => {
    const boot = { ...landing, overrides: [{ component: 'Banner.k1', props: { text: 'Hello B' } }, { component: 'Cta.k1', props: { label: 'Buy now!' } }] };
    const html = '<main class="home"><button type="button" class="cta">Buy now!</button><!--$--><p class="banner">Hello B</p><!--/$--></main>';
    const { page, messages } = await open(boot, { entry: 'hydrateApp', rootHtml: html, runtime });
    await page.goto('http://app.test/');
    await page.waitForTimeout(1000);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('createBrowserRouter (its popstate listener registered before ours): back renders the variant again', async () => {
    const { page, beacons } = await open(landing, { entry: 'dataRouterApp' });
    await page.goto('http://app.test/');
    await page.click('a.to-shop');
    await page.waitForSelector('main.shop');
    await page.goBack();
    await page.waitForSelector('main.home');
    await page.waitForTimeout(300);
    expect(await page.textContent('.banner')).toBe('Hello B');
    expect(beacons.map((b) => [b.path, b.view])).toEqual([['/', 0], ['/shop', 1], ['/', 2]]);
    await page.close();
  });

  it.each(['browser', 'full'] as const)('a browser without navigator.sendBeacon (Firefox with beacon.enabled off) keeps the page: exposure is not reported, nothing throws (%s build)', async (runtime) => {
    const { page, beacons, messages } = await open(landing, { runtime });
    await page.addInitScript('delete Navigator.prototype.sendBeacon;');
    await page.goto('http://app.test/');
    await page.click('a.to-shop');
    await page.waitForSelector('main.shop');
    await page.waitForTimeout(300);
    // Before: "navigator.sendBeacon is not a function" from the effect unmounted the root.
    expect([await page.textContent('.banner'), await page.textContent('.cta')]).toEqual(['Shop banner', 'Buy now!']);
    expect(beacons).toEqual([]);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('an experiment the edge marked partial (an override refused) is never reported', async () => {
    const boot = { ...landing, site: [...site, { experiment: 'broken', variant: 'x', touches: ['Cta'], overrides: [], partial: true }], shown: { hero: true, cta: true, broken: false } };
    const { page, beacons } = await open(boot, { entry: 'routerCases' });
    await page.goto('http://app.test/');
    await page.click('a.to-shop');
    await page.waitForSelector('main.shop');
    await page.waitForTimeout(300);
    expect(beacons.flatMap((b) => b.experiments.map((e: any) => e.experiment))).not.toContain('broken');
    await page.close();
  });
});

describe.each(['browser', 'full'] as const)('an override of the n-th instance, with a Suspense boundary that hydrates after the instances behind it (%s build)', (runtime) => {
  // The server's render: markers name each instance's useId (document order); markers={false} is the page a browser gets.
  const serverHtml = (overrides: Override[], markers: boolean) => renderToString(createElement(SpliceProvider, { overrides, markers }, createElement(App, { First: Banner })));
  const ids = [...serverHtml([], true).matchAll(/data-splice="Banner\.k1 0 (\S+)/g)].map((m) => m[1]!);
  const picked = { text: 'Picked' };

  // Hydration renders the second instance first (its boundary waits for code): matched by its
  // place in hydration order, `instance: 0` would reach the second.
  it.each([0, 1])('the edge resolved instance %i to its useId: hydration gives it to the same instance', async (n) => {
    expect(ids).toHaveLength(2);
    // What the edge writes for `{ component: 'Banner', instance: n }`: the key and the instance's id (overridesForClient).
    const boot = { buildId: 't1', assignments: {}, overrides: [{ component: 'Banner.k1', instance: ids[n]!, props: picked }] };
    const rootHtml = serverHtml([{ component: 'Banner', instance: n, props: picked }], false);
    const { page, messages } = await open(boot, { entry: 'lateBoundaryApp', rootHtml, runtime });
    await page.goto('http://app.test/');
    await page.waitForTimeout(1000);
    expect([await page.textContent('.first'), await page.textContent('.second')]).toEqual(n === 0 ? ['Picked', 'Second'] : ['First', 'Picked']);
    expect(messages).toEqual([]);
    await page.close();
  });
});

describe.each(['browser', 'full'] as const)('several React roots on one page (%s build)', (runtime) => {
  // Each root rendered on the server as it hydrates: its own provider, its own identifierPrefix.
  const rootHtml = (cls: string, identifierPrefix: string, overrides: Override[] = [], markers = false) => renderToString(createElement(SpliceProvider, { overrides, markers }, createElement(Banner, { text: 'Welcome', cls })), { identifierPrefix });
  const idOf = (html: string) => /data-splice="Banner\.k1 0 (\S+)/.exec(html)![1]!;
  const picked = { text: 'Picked' };

  it('with one identifierPrefix, development says that instances of two roots took one id', async () => {
    const id = idOf(rootHtml('a', '', [], true));
    expect(idOf(rootHtml('b', '', [], true))).toBe(id);
    // The edge takes the two for one instance, and patched both (edge/src/indexBuilder.ts: instances by key and id).
    const boot = { buildId: 't1', assignments: {}, overrides: [{ component: 'Banner.k1', instance: id, props: picked }] };
    const { page, messages } = await open(boot, { entry: 'twoRootsApp', runtime, appOptions: { prefixes: ['', ''] }, rootHtml: rootHtml('a', '', [{ component: 'Banner', props: picked }]), root2Html: rootHtml('b', '', [{ component: 'Banner', props: picked }]) });
    await page.goto('http://app.test/');
    await page.waitForTimeout(500);
    expect(messages).toEqual([expect.stringMatching(/^\[splice\] <Banner> \(src\/Banner\.tsx\) took the id \S+ in a second React root: .* Give each root its own identifierPrefix/)]);
    await page.close();
  });

  it('with an identifierPrefix each, an override by id reaches the instance of its root only, and nothing is said', async () => {
    const idB = idOf(rootHtml('b', 'b-', [], true));
    expect(idOf(rootHtml('a', 'a-', [], true))).not.toBe(idB);
    const boot = { buildId: 't1', assignments: {}, overrides: [{ component: 'Banner.k1', instance: idB, props: picked }] };
    const { page, messages } = await open(boot, { entry: 'twoRootsApp', runtime, appOptions: { prefixes: ['a-', 'b-'] }, rootHtml: rootHtml('a', 'a-'), root2Html: rootHtml('b', 'b-', [{ component: 'Banner', props: picked }]) });
    // The check for unclaimed overrides runs 3 s after hydration: Playwright's clock runs past it at once.
    await page.clock.install();
    await page.goto('http://app.test/');
    await page.clock.runFor(3600);
    expect([await page.textContent('.a'), await page.textContent('.b')]).toEqual(['Welcome', 'Picked']);
    expect(messages).toEqual([]);
    await page.close();
  });
});

describe.each(['browser', 'full'] as const)('the bootstrap read is the one the edge wrote (%s build)', (runtime) => {
  const boot = { buildId: 't1', assignments: {}, overrides: [{ component: 'Banner.k1', props: { text: 'Hello B' } }] };
  const rootHtml = '<main class="home"><p class="banner">Hello B</p></main>';
  const fake = JSON.stringify({ buildId: 'x', assignments: {}, overrides: [{ component: 'Banner', props: { text: 'Injected' } }] });

  it.each([
    // User content (a comment, a CMS block) whose sanitizer keeps `id`, as DOMPurify does.
    ['an element of the page content with its id', `<div class="comment"><p id="__SPLICE__">${fake}</p></div>`],
    // A page that already held a bootstrap (an origin serving a page saved from an edge) gets the edge's second, before </body>.
    ['an earlier bootstrap script in the page', `<script type="application/json" id="__SPLICE__">${fake}</script>`],
  ])('%s is not taken for it: hydration renders what the edge wrote', async (_label, beforeRoot) => {
    const { page, messages } = await open(boot, { entry: 'claimedApp', rootHtml, beforeRoot, runtime });
    await page.goto('http://app.test/');
    await page.waitForTimeout(500);
    expect(await page.textContent('.banner')).toBe('Hello B');
    expect(messages).toEqual([]);
    await page.close();
  });

  it('without a bootstrap from the edge, an element of the page content with its id is not read as one', async () => {
    const { page, messages } = await open(undefined, { entry: 'claimedApp', rootHtml: '<main class="home"><p class="banner">Welcome</p></main>', beforeRoot: `<p id="__SPLICE__">${fake}</p>`, runtime });
    await page.goto('http://app.test/');
    await page.waitForTimeout(500);
    expect(await page.textContent('.banner')).toBe('Welcome');
    expect(messages).toEqual([]);
    await page.close();
  });
});

describe('development messages name what React\'s hydration error would not', () => {
  const splice = (messages: string[]) => messages.filter((m) => m.startsWith('[splice]'));

  it('a component rendered without a SpliceProvider', async () => {
    const { page, messages } = await open(bootstrap, { entry: 'devChecksApp', appOptions: { noProvider: true } });
    await page.goto('http://app.test/');
    await page.waitForSelector('.banner');
    expect(splice(messages)).toEqual([expect.stringMatching(/^\[splice\] <Banner> \(src\/Banner\.tsx\) rendered in the browser without a <SpliceProvider>/)]);
    await page.close();
  });

  it('a bootstrap that is not JSON', async () => {
    const { page, messages } = await open(null, { entry: 'devChecksApp', rawBootstrap: '{"buildId": "t1", overrides' });
    await page.goto('http://app.test/');
    await page.waitForSelector('.banner');
    expect(splice(messages)).toEqual([expect.stringMatching(/^\[splice\] the page's bootstrap .* cannot be read \(/)]);
    await page.close();
  });

  it('a source page with markers served to the browser', async () => {
    const { page, messages } = await open({ ...bootstrap, overrides: [] }, { entry: 'devChecksApp', appOptions: { hydrate: true }, rootHtml: '<main class="home"><p class="banner" data-splice="Banner.k1 0 _R_1_">Welcome</p></main>' });
    await page.goto('http://app.test/');
    await page.waitForSelector('.banner');
    await page.waitForTimeout(200);
    expect(splice(messages)).toEqual([expect.stringMatching(/^\[splice\] the page holds Splice markers \(data-splice="Banner\.k1 0 _R_1_" on <p>\): it is a source page/)]);
    await page.close();
  });

  it('an override the edge applied to an instance no component of the app claims, with its props', async () => {
    const boot = { ...bootstrap, overrides: [{ component: 'Banner.k1', instance: '_R_9_', props: { text: 'Hello B' } }] };
    const { page, messages } = await open(boot, { entry: 'devChecksApp' });
    // The check for unclaimed overrides runs 3 s after hydration: Playwright's clock runs past it at once.
    await page.clock.install();
    await page.goto('http://app.test/');
    await page.waitForSelector('.banner');
    await page.clock.runFor(3400);
    expect(splice(messages)).toEqual([expect.stringMatching(/^\[splice\] the edge applied \{ text \} to Banner\.k1 instance _R_9_, but no instance of it with that id hydrated/)]);
    await page.close();
  });

  it.each([['no navigation', {}], ['a client-side navigation within 3 s', { navigate: true }], ['a second root with its own provider', { secondRoot: true }]] as const)('says nothing about an override by id the app claimed at hydration: %s', async (_label, appOptions) => {
    const boot = { buildId: 't1', assignments: {}, overrides: [{ component: 'Banner.k1', instance: '_R_1_', props: { text: 'Hello B' } }] };
    const { page, messages } = await open(boot, { entry: 'claimedApp', rootHtml: '<main class="home"><p class="banner">Hello B</p></main>', appOptions });
    // The check for unclaimed overrides runs 3 s after hydration: Playwright's clock runs past it at once.
    await page.clock.install();
    await page.goto('http://app.test/');
    await page.waitForSelector('.banner');
    await page.clock.runFor(3600);
    // After the navigation the banner renders /shop's decisions (this bootstrap has none for it).
    expect(await page.textContent('.banner')).toBe('navigate' in appOptions ? 'Welcome' : 'Hello B');
    expect(messages).toEqual([]);
    await page.close();
  });

  it('says nothing about a page that agrees with the app', async () => {
    const { page, messages } = await open(bootstrap, { entry: 'routerApp' });
    // The check for unclaimed overrides runs 3 s after hydration: Playwright's clock runs past it at once.
    await page.clock.install();
    await page.goto('http://app.test/');
    await page.waitForSelector('.banner');
    await page.clock.runFor(3400);
    expect(splice(messages)).toEqual([]);
    await page.close();
  });
});
