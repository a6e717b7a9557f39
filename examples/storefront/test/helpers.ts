import * as path from 'path';
import * as fs from 'fs';

export const dist = path.join(__dirname, '..', 'dist');

export function loadBuild(): {
  /** The source page: a server render, with markers. */
  renderPage(overrides?: unknown[]): string;
  renderApp(overrides?: unknown[]): string;
  manifest: any;
  /** The base page the build serves (markers removed) and its page index. */
  basePage: string;
  pageIndex: any;
  /** The renderer the edge module exports, from the Node bundle. */
  createRenderer(): any;
} {
  const serverPath = path.join(dist, 'server', 'server.js');
  if (!fs.existsSync(serverPath)) throw new Error('The storefront is not built: run `npm test` (it builds first) or `npm run build:storefront`.');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const server = require(serverPath);
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'server', 'splice-manifest.json'), 'utf8'));
  const basePage = fs.readFileSync(path.join(dist, 'public', 'index.html'), 'utf8');
  const pageIndex = JSON.parse(fs.readFileSync(path.join(dist, 'server', 'splice-pages.json'), 'utf8'))['/index.html'];
  return { renderPage: server.renderPage, renderApp: server.renderApp, manifest, basePage, pageIndex, createRenderer: server.createRenderer };
}

/**
 * What the browser must receive for a render: the HTML without Splice's markers. A plain regex is
 * right here (and independent of the edge's scanner) because React's own output holds no raw `"`
 * inside attribute values and these pages hold no forged markers.
 */
export function stripMarkers(html: string): string {
  return html.replace(/ data-splice="[^"]*"/g, '');
}

const encoder = new TextEncoder();

/** The bytes of `html` as a stream cut at the given offsets. */
export function streamOf(html: string, cuts: number[] = []): ReadableStream<Uint8Array> {
  const bytes = encoder.encode(html);
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    pieces.push(bytes.slice(last, p));
    last = p;
  }
  return new ReadableStream({
    start(controller) {
      for (const p of pieces) controller.enqueue(p);
      controller.close();
    },
  });
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

const BOOTSTRAP_RE = /<script type="application\/json" id="__SPLICE__">[\s\S]*?<\/script>/;

export function splitBootstrap(html: string): { page: string; bootstrap: any } {
  const m = BOOTSTRAP_RE.exec(html);
  return { page: html.replace(BOOTSTRAP_RE, ''), bootstrap: m ? JSON.parse(m[0].replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '')) : null };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { DEV_SECRET } = require('../scripts/dev-secret') as { DEV_SECRET: string };

/**
 * A path that forces the given variants (a preview token signed with the development secret that
 * `npm start` and the tests give the worker). `cart-label` defaults to its control.
 */
export async function previewPath(home: 'a' | 'b' | 'c', cartLabel: 'control' | 'bag' = 'control'): Promise<string> {
  const { createPreviewToken } = await import('@splice/edge');
  return `/?splice-preview=${encodeURIComponent(await createPreviewToken({ home, 'cart-label': cartLabel }, DEV_SECRET, new Date(Date.now() + 3_600_000)))}`;
}
