/**
 * The page as React's streaming renderer and the edge deliver it, in real headless Chromium: the
 * client script is `async` (React's `bootstrapScripts`), so hydration can start before the edge's
 * bootstrap, written just before `</body>`, has arrived.
 */
import * as http from 'http';
import * as path from 'path';
import * as fs from 'fs';
import * as os from 'os';
import type { AddressInfo } from 'net';
import webpack from 'webpack';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { pathPattern } from '@splice/manifest';

jest.setTimeout(60_000);

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-streaming-'));
const root = path.join(__dirname, '..', '..', '..');
const RUNTIMES = { browser: 'packages/client/src/browser/index.ts', full: 'packages/client/src/index.ts' };
type Runtime = keyof typeof RUNTIMES;

function bundle(runtime: Runtime): Promise<void> {
  return new Promise((resolve, reject) => {
    webpack({
      mode: 'development',
      devtool: false,
      target: 'web',
      context: __dirname,
      entry: { streamedApp: path.join(__dirname, 'browser', 'streamedApp.tsx') },
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

let browser: Browser;
beforeAll(async () => {
  await Promise.all([bundle('browser'), bundle('full')]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => { await browser?.close(); fs.rmSync(OUT, { recursive: true, force: true }); });

/**
 * Serves `head` at once and `tail` `delay` ms later, in one response (as a streamed render does),
 * and the app's bundle; beacons are recorded.
 */
async function serve(runtime: Runtime, head: string, tail: string, delay: number): Promise<{ url: string; close: () => Promise<void> }> {
  const script = fs.readFileSync(path.join(OUT, runtime, 'streamedApp.js'));
  const server = http.createServer((req, res) => {
    if (req.url === '/app.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (req.url?.startsWith('/__splice/')) return res.writeHead(204).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.write(head);
    const timer = setTimeout(() => res.end(tail), delay);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

const bootstrap = {
  buildId: 't1',
  assignments: { cta: 'big' },
  overrides: [{ component: 'Banner.k1', props: { text: 'Hello B' } }],
  site: [{ paths: [pathPattern(['/shop'])], overrides: [{ component: 'Cta', props: { label: 'Buy now!' } }] }],
};
const script = (value: unknown) => `<script type="application/json" id="__SPLICE__">${JSON.stringify(value)}</script>`;
// A comment's padding: enough bytes that Chromium parses (and runs scripts of) the first part before the rest arrives.
const HEAD = `<!DOCTYPE html><html><head><script src="/app.js" async></script></head><body><!--${' '.repeat(2048)}--><div id="root"><main class="home"><p class="banner">Hello B</p><button type="button" class="go">go</button></main></div><div id="root2"></div>`;
const TAIL = `<p>more of the page</p>${script(bootstrap)}</body></html>`;

async function visit(runtime: Runtime, query: string, head = HEAD): Promise<{ texts: string[]; messages: string[] }> {
  const server = await serve(runtime, head, TAIL, 700);
  const page = await browser.newPage();
  const messages: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(m.text()); });
  page.on('pageerror', (e) => messages.push(e.message));
  try {
    await page.goto(server.url + query);
    await page.waitForTimeout(300);
    const texts = [await page.textContent('.banner') ?? ''];
    if (query.includes('second')) texts.push(await page.textContent('.banner2') ?? '');
    await page.click('.go');
    await page.waitForSelector('.cta');
    texts.push(await page.textContent('.cta') ?? '');
    return { texts, messages };
  } finally {
    await page.close();
    await server.close();
  }
}

describe.each(['browser', 'full'] as const)('a client bundle that runs before the bootstrap has arrived (%s build)', (runtime) => {
  it('development says why the page hydrates without the edge\'s overrides', async () => {
    const { messages } = await visit(runtime, '');
    expect(messages.filter((m) => m.startsWith('[splice]'))).toEqual([expect.stringMatching(/^\[splice\] a <SpliceProvider> rendered while the page was still loading .* before the edge.s bootstrap .* Load the bundle with `defer`, or call hydrateRoot once the document is parsed/)]);
  });

  it('a provider that mounts once the page has loaded reads the bootstrap, though one read the page while it loaded', async () => {
    const { texts } = await visit(runtime, '?second');
    expect(texts[1]).toBe('Hello B');
  });

  it('hydrating once the document is parsed (the README\'s way) renders what the edge applied, and the site decisions after a navigation', async () => {
    const { texts, messages } = await visit(runtime, '?wait');
    expect(texts).toEqual(['Hello B', 'Buy now!']);
    expect(messages).toEqual([]);
  });

  it('hydrating once the document is parsed, an earlier bootstrap script in the page is not taken for the edge\'s', async () => {
    const forged = { ...bootstrap, overrides: [{ component: 'Banner', props: { text: 'Injected' } }] };
    const { texts, messages } = await visit(runtime, '?wait', HEAD.replace('<div id="root">', `${script(forged)}<div id="root">`));
    expect(texts).toEqual(['Hello B', 'Buy now!']);
    expect(messages).toEqual([]);
  });
});
