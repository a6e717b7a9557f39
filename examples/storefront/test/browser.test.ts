/**
 * End to end, as a visitor: `npm start`'s server, real headless Chromium, React's development
 * build. The variant must be in the server HTML (no flicker), hydration must not complain, and
 * the page must be interactive afterwards.
 */
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as path from 'path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server: ChildProcess;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  server = spawn(process.execPath, [path.join(__dirname, '..', 'scripts', 'serve.js')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d) => {
      out += String(d);
      const m = /local edge: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.once('exit', (code) => reject(new Error(`serve.js exited with ${code}:\n${out}`)));
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

async function visit(pathname: string) {
  const page = await browser.newPage();
  const messages: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) messages.push(`http ${r.status()}: ${r.url()}`);
  });
  await page.goto(baseUrl + pathname, { waitUntil: 'load' });
  // Hydration is done when the first click handler works; give React a moment to report.
  return { page, messages };
}

describe('the storefront in Chromium', () => {
  it('shows variant B from the server HTML, hydrates without a warning, and stays interactive', async () => {
    const serverHtml = await (await fetch(baseUrl + '/?variant=b')).text();
    expect(serverHtml).toContain('<h1 ');
    expect(serverHtml).toMatch(/>Winter sale: 30% off &lt;everything&gt; &amp; more<\/h1>/);

    const { page, messages } = await visit('/?variant=b');
    await page.click('.card >> nth=0 >> button.add');
    await page.waitForFunction(() => document.querySelector('.cart-count')?.textContent === '1');
    expect(await page.textContent('h1')).toBe('Winter sale: 30% off <everything> & more');
    expect(await page.textContent('.card >> nth=0 >> .badge')).toBe('Best seller');
    expect(await page.textContent('.card >> nth=2 >> h2')).toBe('Trail Runner "Pro"');
    expect(await page.getAttribute('a.cta', 'href')).toBe('/sale?from=hero&v=b');
    await page.click('button.menu');
    await page.waitForFunction(() => document.querySelector('button.menu')?.textContent === 'Close');
    await page.waitForTimeout(200);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('hydrates the default page cleanly too', async () => {
    const { page, messages } = await visit('/');
    await page.click('.card >> nth=1 >> button.add');
    await page.waitForFunction(() => document.querySelector('.cart-count')?.textContent === '1');
    expect(await page.textContent('h1')).toBe('Autumn collection');
    await page.waitForTimeout(200);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('would catch a mismatch: the patched page without its bootstrap fails hydration (negative control)', async () => {
    const page = await browser.newPage();
    const messages: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') messages.push(m.text());
    });
    page.on('pageerror', (e) => messages.push(e.message));
    // The edge's HTML with the bootstrap removed: the client hydrates with default props.
    await page.route(baseUrl + '/?variant=b', async (route) => {
      const res = await route.fetch();
      const body = (await res.text()).replace(/<script type="application\/json" id="__SPLICE__">[\s\S]*?<\/script>/, '');
      await route.fulfill({ response: res, body });
    });
    await page.goto(baseUrl + '/?variant=b', { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Autumn collection');
    await page.waitForTimeout(200);
    expect(messages.join('\n')).toMatch(/hydrat/i);
    await page.close();
  });
});
