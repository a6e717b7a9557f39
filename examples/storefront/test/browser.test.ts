/**
 * End to end, as a visitor: `npm start`'s server, real headless Chromium, React's development
 * build. The variant must be in the server HTML (no flicker), hydration must not complain, and
 * the page must be interactive afterwards.
 */
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as path from 'path';
import { createServer } from 'net';
import type { AddressInfo } from 'net';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { previewPath } from './helpers';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

jest.setTimeout(30_000);

let servers: ChildProcess[] = [];
const urls: Record<'node' | 'workerd', string> = { node: '', workerd: '' };
/** Each server's output so far: the storefront's `onExposure` logs every exposure the edge accepted. */
const logs: Record<string, string> = {};
let baseUrl: string;
let browser: Browser;

/** `npm start`'s own script on a free port; resolves to the URL it prints. */
function startServer(extraArgs: string[], port: string): Promise<string> {
  const server = spawn(process.execPath, [path.join(__dirname, '..', 'scripts', 'serve.js'), ...extraArgs], { env: { ...process.env, PORT: port }, stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(server);
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const name = extraArgs.includes('--workerd') ? 'workerd' : 'node';
    logs[name] = '';
    server.stdout!.on('data', (d) => {
      out += String(d);
      logs[name] += String(d);
      const m = /local edge: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.once('exit', (code) => reject(new Error(`serve.js exited with ${code}:\n${out}`)));
  });
}

beforeAll(async () => {
  // workerd needs a concrete port; pick one from the OS through a throwaway listener.
  const free = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  [urls.node, urls.workerd] = await Promise.all([startServer([], '0'), startServer(['--workerd'], String(free))]);
  baseUrl = urls.node;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.kill();
});

async function visit(pathname: string, origin = baseUrl) {
  const page = await browser.newPage();
  const messages: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) messages.push(`http ${r.status()}: ${r.url()}`);
  });
  await page.goto(origin + pathname, { waitUntil: 'load' });
  // Hydration is done when the first click handler works; give React a moment to report.
  return { page, messages };
}

describe.each(['node', 'workerd'] as const)('the storefront in Chromium, edge in %s', (runtime) => {
  it('shows variant B from the server HTML, hydrates without a warning, and stays interactive', async () => {
    const origin = urls[runtime];
    const b = await previewPath('b');
    const serverHtml = await (await fetch(origin + b)).text();
    expect(serverHtml).toContain('<h1 ');
    expect(serverHtml).toMatch(/>Winter sale: 30% off &lt;everything&gt; &amp; more<\/h1>/);

    const { page, messages } = await visit(b, origin);
    await page.click('.card >> nth=0 >> button.add');
    await page.waitForFunction(() => document.querySelector('.cart-count')?.textContent === '1');
    expect(await page.textContent('h1')).toBe('Winter sale: 30% off <everything> & more');
    expect(await page.textContent('.card >> nth=2 >> h2')).toBe('Trail Runner "Pro"');
    expect(await page.getAttribute('a.cta', 'href')).toBe('/sale?from=hero&v=b');
    await page.click('button.menu');
    await page.waitForFunction(() => document.querySelector('button.menu')?.textContent === 'Close');
    await page.waitForTimeout(200);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('shows the layout variant C (re-rendered cards) from the server HTML and hydrates it cleanly', async () => {
    const origin = urls[runtime];
    const c = await previewPath('c');
    const serverHtml = await (await fetch(origin + c)).text();
    expect(serverHtml).toContain('<li>Ships today</li>');
    const { page, messages } = await visit(c, origin);
    await page.click('.card >> nth=2 >> button.add');
    await page.waitForFunction(() => document.querySelector('.cart-count')?.textContent === '1');
    expect(await page.textContent('.card >> nth=1 >> .badge')).toBe('Best seller');
    expect(await page.locator('.card >> nth=2 >> .badge').count()).toBe(0);
    expect(await page.textContent('.card >> nth=2 >> .price')).toBe('Only €33.00');
    expect(await page.locator('.card >> nth=5 >> .features li').allTextContents()).toEqual(['Free returns', 'Ships today']);
    expect(await page.textContent('.card >> nth=2 >> button.add')).toBe('Added ✓');
    await page.waitForTimeout(200);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('hydrates the default page cleanly too', async () => {
    const { page, messages } = await visit(await previewPath('a'), urls[runtime]);
    await page.click('.card >> nth=1 >> button.add');
    await page.waitForFunction(() => document.querySelector('.cart-count')?.textContent === '1');
    expect(await page.textContent('h1')).toBe('Autumn collection');
    await page.waitForTimeout(200);
    expect(messages).toEqual([]);
    await page.close();
  });
});

describe.each(['node', 'workerd'] as const)('the storefront experiments in Chromium, edge in %s', (runtime) => {
  it.each([['a', 'bag'], ['b', 'bag'], ['c', 'bag'], ['c', 'control']] as const)('variant %s with cart label %s hydrates without a warning', async (home, cart) => {
    const { page, messages } = await visit(await previewPath(home, cart), urls[runtime]);
    expect(await page.textContent('.cart')).toMatch(cart === 'bag' ? /^Your bag: / : /^In your cart: /);
    await page.click('.card >> nth=0 >> button.add');
    await page.waitForFunction(() => document.querySelector('.cart-count')?.textContent === '1');
    await page.waitForTimeout(200);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('a visitor keeps their variants across reloads (signed cookie), and a German visitor gets the tagline rule', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'cf-ipcountry': 'DE' } });
    const page = await context.newPage();
    const messages: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(m.text()); });
    const bootstrapOf = async () => JSON.parse((await page.textContent('#__SPLICE__')) ?? 'null') as { assignments: Record<string, string> };
    await page.goto(urls[runtime] + '/', { waitUntil: 'load' });
    const first = await bootstrapOf();
    expect(await page.textContent('.tagline')).toBe('Kostenloser Versand diese Woche');
    for (let i = 0; i < 3; i++) {
      await page.reload({ waitUntil: 'load' });
      expect((await bootstrapOf()).assignments).toEqual(first.assignments);
    }
    await page.waitForTimeout(200);
    expect(messages).toEqual([]);
    await context.close();
  });
});

/**
 * A visitor of a given home variant, in the cart-label test's `bag` arm: the cookie the edge
 * gave a new visitor who happened to be assigned those (assignment is a hash of a random id).
 */
async function visitorCookie(origin: string, home: 'b' | 'c'): Promise<{ value: string; id: string }> {
  for (let i = 0; i < 400; i++) {
    const res = await fetch(origin + '/');
    const html = await res.text();
    const cookie = /^splice=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    const assignments = (JSON.parse(/id="__SPLICE__">(.*?)<\/script>/.exec(html)?.[1] ?? '{}') as { assignments?: Record<string, string> }).assignments ?? {};
    if (cookie !== undefined && assignments.home === home && assignments['cart-label'] === 'bag') {
      return { value: cookie, id: (JSON.parse(Buffer.from(cookie.split('.')[0]!, 'base64url').toString()) as { v: string }).v };
    }
  }
  throw new Error(`no new visitor was assigned home=${home} and cart-label=bag in 400 tries`);
}

describe.each(['node', 'workerd'] as const)('client-side navigation and exposure in Chromium, edge in %s', (runtime) => {
  it.each(['b', 'c'] as const)('home variant %s and the bag label survive navigation, back and forward; one exposure per experiment per view', async (home) => {
    const origin = urls[runtime];
    const visitor = await visitorCookie(origin, home);
    const context = await browser.newContext({ extraHTTPHeaders: { 'cf-ipcountry': 'DE' } });
    await context.addCookies([{ name: 'splice', value: visitor.value, url: origin }]);
    const page = await context.newPage();
    const messages: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(m.text()); });
    page.on('pageerror', (e) => messages.push(e.message));
    const beacons: { path: string; view: number; experiments: { experiment: string; variant: string }[] }[] = [];
    page.on('request', (r) => { if (r.url().endsWith('/__splice/exposure')) beacons.push(JSON.parse(r.postData() ?? 'null')); });
    const logBefore = logs[runtime]!.length;

    /** What the shop page shows of the home variant. */
    const expectShop = async () => {
      await page.waitForSelector('main.shop');
      expect(await page.textContent('h1')).toBe(home === 'b' ? 'Winter sale: 30% off <everything> & more' : 'Autumn collection');
      if (home === 'c') {
        expect(await page.textContent('.card >> nth=1 >> .badge')).toBe('Best seller');
        expect(await page.textContent('.card >> nth=2 >> .price')).toBe('Only €33.00');
        expect(await page.locator('.card >> nth=5 >> .features li').allTextContents()).toEqual(['Free returns', 'Ships today']);
      } else {
        expect(await page.textContent('.card >> nth=2 >> h2')).toBe('Trail Runner "Pro"');
      }
      expect(await page.textContent('.cart')).toMatch(/^Your bag: /);
      expect(await page.textContent('.tagline')).toBe('Kostenloser Versand diese Woche');
    };
    const expectCart = async () => {
      await page.waitForSelector('main.cart-page');
      expect(new URL(page.url()).pathname).toBe('/cart');
      expect(await page.textContent('.cart')).toMatch(/^Your bag: /);
      expect(await page.textContent('.tagline')).toBe('Kostenloser Versand diese Woche');
    };

    await page.goto(origin + '/', { waitUntil: 'load' });
    await expectShop();
    await page.click('.card >> nth=0 >> button.add');
    await page.waitForFunction(() => document.querySelector('.cart-count')?.textContent === '1');
    await page.click('a.nav-cart');
    await expectCart();
    // The cart count is the app's state: a client-side navigation, not a page load.
    expect(await page.textContent('.cart-count')).toBe('1');
    await page.goBack();
    await expectShop();
    await page.goForward();
    await expectCart();
    await page.waitForTimeout(400);

    // One beacon per experiment exposed, per view: sent from the commit that showed it.
    const homeArm = { experiment: 'home', variant: home };
    const cart = { experiment: 'cart-label', variant: 'bag' };
    const reported = (list: typeof beacons) => list.flatMap((b) => b.experiments.map((e) => ({ path: b.path, view: b.view, ...e })))
      .sort((x, y) => x.view - y.view || x.experiment.localeCompare(y.experiment));
    expect(beacons.every((b) => b.experiments.length === 1)).toBe(true);
    expect(reported(beacons)).toEqual([
      { path: '/', view: 0, ...cart }, { path: '/', view: 0, ...homeArm },
      { path: '/cart', view: 1, ...cart },
      { path: '/', view: 2, ...cart }, { path: '/', view: 2, ...homeArm },
      { path: '/cart', view: 3, ...cart },
    ]);
    // And the edge accepted each (verified against the cookie) and handed it to onExposure.
    await new Promise((r) => setTimeout(r, 300));
    const accepted = [...logs[runtime]!.slice(logBefore).matchAll(/\[splice exposure\] (.*)/g)]
      .map((m) => JSON.parse(m[1]!) as { visitor: string; path: string; view: number; experiments: { experiment: string; variant: string }[] })
      .filter((e) => e.visitor === visitor.id);
    expect(reported(accepted)).toEqual(reported(beacons));
    expect(messages).toEqual([]);
    await context.close();
  });

  it('a direct load of the cart page hydrates cleanly, and a preview sends no exposure', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const messages: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(m.text()); });
    const beacons: string[] = [];
    page.on('request', (r) => { if (r.url().endsWith('/__splice/exposure')) beacons.push(r.postData() ?? ''); });
    await page.goto(urls[runtime] + '/cart', { waitUntil: 'load' });
    await page.click('a.nav-shop');
    await page.waitForSelector('main.shop');
    await page.goto(urls[runtime] + (await previewPath('b', 'bag')), { waitUntil: 'load' });
    const previewBeacons = beacons.length;
    await page.click('a.nav-cart');
    await page.waitForSelector('main.cart-page');
    await page.waitForTimeout(300);
    expect(beacons.length).toBe(previewBeacons);
    expect(messages).toEqual([]);
    await context.close();
  });
});

describe('the browser checks themselves', () => {
  /** The console of a visit to the edge's page with the bootstrap removed: the client hydrates with default props. */
  async function withoutBootstrap(pathname: string): Promise<string> {
    const page = await browser.newPage();
    const messages: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') messages.push(m.text());
    });
    page.on('pageerror', (e) => messages.push(e.message));
    await page.route(baseUrl + pathname, async (route) => {
      const res = await route.fetch();
      const body = (await res.text()).replace(/<script type="application\/json" id="__SPLICE__">[\s\S]*?<\/script>/, '');
      await route.fulfill({ response: res, body });
    });
    await page.goto(baseUrl + pathname, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Autumn collection');
    await page.waitForTimeout(300);
    await page.close();
    return messages.join('\n');
  }

  it('would catch a mismatch: the patched page without its bootstrap fails hydration (negative control)', async () => {
    expect(await withoutBootstrap(await previewPath('b'))).toMatch(/hydrat/i);
  });

  it('would catch a structural mismatch too: variant C without its bootstrap fails hydration (negative control)', async () => {
    expect(await withoutBootstrap(await previewPath('c'))).toMatch(/hydrat/i);
  });
});
