/**
 * Client-side navigation with react-router's BrowserRouter, in real headless Chromium: components
 * that mount after a route change get the visitor's overrides for the new path from the
 * bootstrap's `site`, back and forward included, and the exposure beacon goes out once per
 * experiment per view, only for experiments whose components that view rendered. (The
 * storefront's browser test does the same with a plain History-API router, behind the edge.)
 */
import * as path from 'path';
import webpack from 'webpack';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

jest.setTimeout(60_000);

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = path.join(__dirname, '.build-browser');
const root = path.join(__dirname, '..', '..', '..');

function bundle(): Promise<string> {
  return new Promise((resolve, reject) => {
    webpack({
      mode: 'development',
      devtool: false,
      target: 'web',
      context: __dirname,
      entry: path.join(__dirname, 'browser', 'routerApp.tsx'),
      resolve: {
        extensions: ['.tsx', '.ts', '.js'],
        alias: {
          '@splice/client$': path.join(root, 'packages/client/src/index.ts'),
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
      output: { path: OUT, filename: 'app.js' },
      infrastructureLogging: { level: 'error' },
      stats: 'errors-only',
    }, (error, stats) => {
      if (error) return reject(error);
      if (stats!.hasErrors()) return reject(new Error(stats!.toString({ all: false, errors: true })));
      resolve(path.join(OUT, 'app.js'));
    });
  });
}

const bootstrap = {
  buildId: 't1',
  assignments: { hero: 'b' },
  // The landing page ('/') as the edge patched it.
  overrides: [{ component: 'Banner.k1', props: { text: 'Hello B' } }],
  site: [
    { paths: [['/']], experiment: 'hero', variant: 'b', touches: ['Banner'], overrides: [{ component: 'Banner', props: { text: 'Hello B' } }] },
    { experiment: 'cta', variant: 'big', touches: ['Cta'], overrides: [{ component: 'Cta', props: { label: 'Buy now!' } }] },
  ],
  shown: { hero: true },
  beacon: '/__splice/exposure',
};

let browser: Browser;
let script: string;
beforeAll(async () => {
  script = require('fs').readFileSync(await bundle(), 'utf8');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => { await browser?.close(); });

/** Every path of http://app.test serves the page with the bootstrap; the beacon endpoint answers 204. */
async function open(bootstrapValue: unknown): Promise<{ page: Page; beacons: any[]; messages: string[] }> {
  const page = await browser.newPage();
  const beacons: any[] = [];
  const messages: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(m.text()); });
  page.on('pageerror', (e) => messages.push(e.message));
  await page.route('http://app.test/**', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/__splice/exposure') {
      beacons.push(JSON.parse(route.request().postData() ?? 'null'));
      return route.fulfill({ status: 204 });
    }
    if (url.pathname === '/app.js') return route.fulfill({ body: script, contentType: 'text/javascript' });
    return route.fulfill({
      contentType: 'text/html',
      body: `<!DOCTYPE html><html><body><div id="root"></div><script type="application/json" id="__SPLICE__">${JSON.stringify(bootstrapValue)}</script><script src="/app.js"></script></body></html>`,
    });
  });
  return { page, beacons, messages };
}

describe('react-router (BrowserRouter): navigation keeps the visitor\'s variants', () => {
  it('applies the site decisions of each path, back and forward, and reports exposure once per experiment per view', async () => {
    const { page, beacons, messages } = await open(bootstrap);
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
    const { page, beacons } = await open({ ...bootstrap, overrides: [], shown: { hero: false } });
    await page.goto('http://app.test/');
    expect(await page.textContent('.banner')).toBe('Welcome');
    await page.click('a.to-shop');
    await page.waitForSelector('main.shop');
    await page.waitForTimeout(300);
    expect(beacons).toEqual([{ path: '/shop', view: 1, experiments: [{ experiment: 'cta', variant: 'big' }] }]);
    await page.close();
  });

  it('sends nothing without a beacon in the bootstrap, and ignores malformed site entries', async () => {
    const { page, beacons, messages } = await open({ ...bootstrap, beacon: undefined, site: [{ paths: 'x', overrides: [] }, { overrides: [{ component: 'Cta', props: { label: 'Kept' } }] }, 7] });
    await page.goto('http://app.test/');
    await page.click('a.to-shop');
    await page.waitForSelector('main.shop');
    expect(await page.textContent('.cta')).toBe('Kept');
    await page.waitForTimeout(300);
    expect(beacons).toEqual([]);
    expect(messages).toEqual([]);
    await page.close();
  });
});
