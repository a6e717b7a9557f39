/**
 * The structural fixtures in the real runtimes: patched inside workerd (miniflare) with the
 * bundled renderer, and hydrated in headless Chromium with React's development build, where no
 * warning or error may appear. A negative control shows the browser check catches a mismatch.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import fc from 'fast-check';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { createTestEdge } from '@splice/dev';
import type { TestEdge } from '@splice/dev';
import { patchHtml, preparePageSync } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import { hashString } from '@splice/manifest';
import type { Override, SpliceManifest } from '@splice/manifest';
import { buildFixtures } from './build';
import { byKey, listStructuralFixtures, loadFixture, oraclePage, renderPage } from './harness';
import { splitBootstrap, streamOf } from '../helpers';

jest.setTimeout(120_000);

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const fixtures = listStructuralFixtures().map(loadFixture);
const components = Object.assign({}, ...fixtures.map((f) => f.manifest.components)) as SpliceManifest['components'];
const manifest: SpliceManifest = { schemaVersion: fixtures[0]!.manifest.schemaVersion, buildId: hashString(Object.keys(components).sort().join('\n')), components };
const shownCases = fixtures.flatMap((f) => f.cases.filter((c) => c.expect !== 'refused').map((c, i) => ({ fixture: f, label: c.label, overrides: byKey(f, c.overrides), n: i, whole: c.expect === undefined })));
/** The cases whose every override applies: the page is the full render with all of them. */
const cases = shownCases.filter((c) => c.whole);

let edge: TestEdge;
let client: string;
beforeAll(async () => {
  // React's development build warns (duplicate keys and the like) when the fixtures render here.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const built = await buildFixtures(manifest);
  client = fs.readFileSync(built.client, 'utf8');
  edge = await createTestEdge({ scriptPath: built.worker });
});
afterAll(async () => {
  await edge?.dispose();
});

describe('structural fixtures patched in workerd', () => {
  it.each(cases.map((c) => [`${c.fixture.name}: ${c.label}`, c] as const))('%s', async (_, c) => {
    const expected = oraclePage(c.fixture.App, c.overrides);
    const length = new TextEncoder().encode(oraclePage(c.fixture.App, [])).length;
    const chunkings = [[], ...fc.sample(fc.array(fc.nat(length), { maxLength: 8 }), { numRuns: 2, seed: c.n + 1 })];
    for (const cuts of chunkings) {
      const res = await edge.fetch('/', { method: 'POST', body: JSON.stringify({ fixture: c.fixture.name, overrides: c.overrides, cuts }) });
      const { out, report } = (await res.json()) as { out: string; report: { problems: string[]; skipped: unknown[] } };
      expect(report.problems).toEqual([]);
      expect(report.skipped).toEqual([]);
      expect(splitBootstrap(out).html).toBe(expected);
    }
  });
});

describe('structural fixtures hydrated in Chromium', () => {
  let browser: Browser;
  let server: http.Server;
  let origin: string;
  const pages = new Map<string, string>();
  const renderer = createRenderer();

  /** The edge's page for a case, as a document: the app in #root, the bootstrap after it. */
  async function documentFor(fixture: (typeof fixtures)[number], overrides: Override[], keepBootstrap = true): Promise<string> {
    const prepared = preparePageSync(renderPage(fixture.App, []));
    const out = await new Response(patchHtml(streamOf([prepared.html]), { manifest: fixture.manifest, overrides, index: prepared.index, renderer })).text();
    const m = /<script type="application\/json" id="__SPLICE__">[\s\S]*?<\/script>$/.exec(out);
    const app = m === null ? out : out.slice(0, m.index);
    return `<!DOCTYPE html><html data-fixture="${fixture.name}"><head><meta charset="utf-8"><title>${fixture.name}</title></head>`
      + `<body><div id="root">${app}</div>${keepBootstrap && m !== null ? m[0] : ''}<script src="/client.js"></script></body></html>`;
  }

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/favicon.ico') { res.writeHead(204); res.end(); return; }
      // The same bundle for every visit: cacheable, so Chromium reads the 2 MB once and reuses its
      // compiled code, instead of fetching and compiling it again on each of the ~230 visits. Every
      // visit still runs it: a fresh document, a fresh hydration.
      if (req.url === '/client.js') { res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=3600, immutable' }); res.end(client); return; }
      const page = pages.get(req.url ?? '');
      if (page === undefined) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Console errors and warnings, page errors and failed requests of one visit, after hydration. */
  async function visit(html: string, key: string): Promise<{ messages: string[]; hydrated: boolean }> {
    pages.set(key, html);
    // One tab for every visit: a navigation is much cheaper than a new page.
    tab ??= await browser.newPage();
    const page = tab;
    const messages: string[] = [];
    const onConsole = (m: import('playwright-core').ConsoleMessage) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`); };
    const onError = (e: Error) => messages.push(`pageerror: ${e.message}`);
    const onResponse = (r: import('playwright-core').Response) => { if (r.status() >= 400) messages.push(`http ${r.status()}: ${r.url()}`); };
    page.on('console', onConsole);
    page.on('pageerror', onError);
    page.on('response', onResponse);
    try {
      await page.goto(origin + key, { waitUntil: 'load' });
      // Hydration has run when React has attached its root to the container.
      const hydrated = await page.waitForFunction(() => {
        const root = document.getElementById('root') as (HTMLElement & Record<string, unknown>) | null;
        return root !== null && Object.keys(root).some((k) => k.startsWith('__reactContainer'));
      }, undefined, { timeout: 5000 }).then(() => true, () => false);
      await page.waitForTimeout(20);
      return { messages, hydrated };
    } finally {
      page.off('console', onConsole);
      page.off('pageerror', onError);
      page.off('response', onResponse);
    }
  }
  let tab: import('playwright-core').Page | undefined;

  // Also the cases where a region is left default and only some overrides show: the bootstrap
  // must tell exactly those (contract 6), or hydration would warn.
  it.each(shownCases.map((c) => [`${c.fixture.name}: ${c.label}`, c] as const))('%s hydrates without a warning', async (_, c) => {
    const { messages, hydrated } = await visit(await documentFor(c.fixture, c.overrides), `/${c.fixture.name}/${c.n}`);
    expect(hydrated).toBe(true);
    expect(messages).toEqual([]);
  });

  it('would catch a mismatch: a re-rendered page without its bootstrap fails hydration (negative control)', async () => {
    const c = cases.find((x) => x.fixture.name === 'product-card')!;
    const { messages } = await visit(await documentFor(c.fixture, c.overrides, false), '/negative-control');
    expect(messages.join('\n')).toMatch(/hydrat/i);
  });
});
