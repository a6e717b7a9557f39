/**
 * The request handler's faults, each found by trying it the way real origins and CDNs behave, as
 * scenarios: what the origin answers, and what the visitor must get. Web APIs only: the same
 * scenarios run in Node (handlerFaults.test.ts) and, bundled, in workerd.
 */
import { handleSpliceRequest } from '../src/handler';
import { preparePageSync } from '../src/patchStream';
import { MANIFEST_SCHEMA_VERSION } from '@splice/manifest';
import type { SpliceManifest } from '@splice/manifest';

export const manifest: SpliceManifest = {
  schemaVersion: MANIFEST_SCHEMA_VERSION,
  buildId: 'b1',
  components: {
    'Hero.k1': {
      name: 'Hero',
      file: 'src/Hero.tsx',
      line: 1,
      props: { title: { tier: 'value' }, href: { tier: 'value' } },
      elements: [{ tag: 'h1', attrs: [{ name: 'data-href', hole: { kind: 'prop', path: ['href'] } }], text: [{ kind: 'hole', expr: { kind: 'prop', path: ['title'] } }] }],
    },
  },
};

export const page = '<!DOCTYPE html><html><body><h1 data-splice="Hero.k1 0 _R_1_" data-href="/a">Hello</h1></body></html>';
const sale = [{ component: 'Hero', props: { title: 'Sale' } }];

function html(body: BodyInit | null, init: ResponseInit = {}): Response {
  return new Response(body, { ...init, headers: { 'content-type': 'text/html; charset=utf-8', ...(init.headers ?? {}) } });
}

async function compress(text: string, format: 'gzip' | 'deflate' | 'deflate-raw'): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Response(stream).arrayBuffer();
}

export interface Outcome {
  status: number;
  splice: string | null;
  encoding: string | null;
  cacheControl: string | null;
  /** CDN-only caching headers left on the response. */
  cdn: string[];
  body: string;
  /** The body's bytes as they left, base64 (for encoded pass-through). */
  bytes: string;
  problems: string[];
}

async function outcome(response: Response, problems: string[]): Promise<Outcome> {
  const buffer = new Uint8Array(await response.arrayBuffer());
  let binary = '';
  for (const b of buffer) binary += String.fromCharCode(b);
  return {
    status: response.status,
    splice: response.headers.get('x-splice'),
    encoding: response.headers.get('content-encoding'),
    cacheControl: response.headers.get('cache-control'),
    cdn: ['cdn-cache-control', 'cloudflare-cdn-cache-control', 'surrogate-control'].filter((h) => response.headers.has(h)),
    body: new TextDecoder().decode(buffer),
    bytes: btoa(binary),
    problems,
  };
}

type Scenario = () => Promise<Outcome>;

function run(fetchBase: () => unknown, options: { manifest?: unknown; overrides?: unknown; assignments?: unknown; index?: unknown; renderer?: unknown } = {}): Promise<Outcome> {
  const problems: string[] = [];
  return handleSpliceRequest(new Request('http://shop.test/', { headers: { range: 'bytes=0-10' } }), {
    manifest: options.manifest ?? manifest,
    overrides: options.overrides ?? sale,
    ...(options.index !== undefined ? { index: options.index } : {}),
    ...(options.renderer !== undefined ? { renderer: options.renderer as never } : {}),
    ...(options.assignments !== undefined ? { assignments: options.assignments as Record<string, string> } : {}),
    fetchBase: fetchBase as () => Promise<Response>,
    onReport: (r) => problems.push(...r.problems),
  }).then((r) => outcome(r, problems));
}

export const scenarios: Record<string, Scenario> = {
  /** 206 to a Range request: a byte range of the page is passed through, never patched. */
  'range-206': () => run(async () => html(page.slice(0, 11), { status: 206, headers: { 'content-range': `bytes 0-10/${page.length}` } })),
  /** A 203 is a 2xx too, but not the cached page the index describes. */
  'non-200-2xx': () => run(async () => html(page, { status: 203 })),
  /** Still gzip-encoded (a Cache API entry): decoded, patched, the label gone. */
  'gzip-encoded': async () => { const gz = await compress(page, 'gzip'); return run(async () => html(gz, { headers: { 'content-encoding': 'gzip' } })); },
  'deflate-encoded': async () => { const d = await compress(page, 'deflate'); return run(async () => html(d, { headers: { 'content-encoding': 'deflate' } })); },
  /** Brotli (not decodable with web APIs everywhere): passed through as it came, label and bytes. */
  'br-encoded': () => run(async () => html(new Uint8Array([0x1b, 0x03, 0x00, 0xf8, 0x25, 0x82, 0x82, 0x88]), { headers: { 'content-encoding': 'br' } })),
  /** Labelled gzip but already decoded (what fetch() hands over): patched, the label gone. */
  'gzip-label-decoded': () => run(async () => html(page, { headers: { 'content-encoding': 'gzip' } })),
  /** Latin-1: UTF-8 bytes written into it would corrupt it. */
  'charset-latin1': () => run(async () => new Response('<html><body><h1 data-splice="Hero.k1 0 _R_1_">Caf\u00e9</h1></body></html>', { headers: { 'content-type': 'text/html; charset=ISO-8859-1' } })),
  /** A build id with a newline and a non-ASCII character: the header is made safe, no 500. */
  'build-id-unsafe': () => run(async () => html(page), { manifest: { ...manifest, buildId: 'b1\r\nset-cookie: x=1 \u00e9' } }),
  'fetch-base-undefined': () => run(async () => undefined),
  'fetch-base-string': () => run(async () => page),
  'fetch-base-throws-sync': () => run(() => { throw new Error('sync'); }),
  /** A forged manifest that makes an event handler a hole: refused as a whole, page untouched. */
  'manifest-event-handler-hole': () => run(async () => html(page), {
    manifest: { ...manifest, components: { 'Hero.k1': { ...manifest.components['Hero.k1']!, elements: [{ tag: 'h1', attrs: [{ name: 'onmouseover', hole: { kind: 'prop', path: ['href'] } }] }] } } },
    overrides: [{ component: 'Hero', props: { href: 'alert(1)' } }],
  }),
  /** Assignments JSON cannot carry: left out before anything is patched; the bootstrap still says what was. */
  'assignments-unserializable': () => {
    const cyclic: Record<string, unknown> = { exp: 'b' };
    cyclic.self = cyclic;
    return run(async () => html(page), { assignments: cyclic });
  },
  'assignments-bigint': () => run(async () => html(page), { assignments: { exp: 10n } }),
  /** A million overrides: capped, one skip entry, the first ones still apply. */
  'overrides-million': () => run(async () => html(page), { overrides: Array.from({ length: 1_000_000 }, (_, i) => ({ component: 'Hero', props: { title: `T${i}` } })) }),
  /** `Response.error()` (status 0) is the origin failing. */
  'fetch-base-error-response': () => run(async () => Response.error()),
  /** A gzip-labelled body that errors before its first byte. */
  'body-fails-before-first-byte': () => run(async () => html(new ReadableStream({ pull(c) { c.error(new Error('origin reset')); } }), { headers: { 'content-encoding': 'gzip' } })),
  /** No charset in the header, but the page declares Latin-1. */
  'meta-charset-latin1': () => run(async () => new Response('<html><head><meta charset="iso-8859-1"></head><body><h1 data-splice="Hero.k1 0 _R_1_">Caf\u00e9</h1></body></html>', { headers: { 'content-type': 'text/html' } })),
  /** Chunks as ArrayBuffers, labelled gzip but already decoded. */
  'arraybuffer-chunks': () => run(async () => html(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(page).buffer); c.close(); } }), { headers: { 'content-encoding': 'gzip' } })),
  /** A gzip body whose first chunk is one byte. */
  'gzip-first-chunk-one-byte': async () => {
    const gz = new Uint8Array(await compress(page, 'gzip'));
    return run(async () => html(new ReadableStream({ start(c) { c.enqueue(gz.slice(0, 1)); c.enqueue(gz.slice(1)); c.close(); } }), { headers: { 'content-encoding': 'gzip' } }));
  },
  /** Raw deflate labelled `deflate` (no zlib header): not decoded as zlib, passed through. */
  'raw-deflate-mislabelled': async () => {
    const raw = await compress(page, 'deflate-raw');
    return run(async () => html(raw, { headers: { 'content-encoding': 'deflate' } }));
  },
  /** CDN-only lifetimes are removed with the page made private. */
  'cdn-headers-on-private': () => run(async () => html(page, { headers: { 'cdn-cache-control': 'public, max-age=3600', 'cloudflare-cdn-cache-control': 'max-age=3600', 'surrogate-control': 'max-age=3600' } })),
  /** x-splice tells the truth on the indexed path: a page of another build is stale, not "patched". */
  'index-stale': () => {
    const prepared = preparePageSync(page);
    const other = { ...manifest, buildId: 'b2', components: { 'Hero.k2': manifest.components['Hero.k1']! } };
    return run(async () => html(new TextDecoder().decode(prepared.html), { headers: { 'cache-control': 'public, max-age=60' } }), { manifest: other, index: prepared.index });
  },
  /** A page without markers: nothing to patch, nothing made private. */
  'index-no-markers': () => {
    const prepared = preparePageSync('<!DOCTYPE html><html><body><h1>Plain</h1></body></html>');
    return run(async () => html(new TextDecoder().decode(prepared.html), { headers: { 'cache-control': 'public, max-age=60' } }), { index: prepared.index });
  },
  /** An override of an instance the page does not have. */
  'index-missing-instance': () => {
    const prepared = preparePageSync(page);
    return run(async () => html(new TextDecoder().decode(prepared.html), { headers: { 'cache-control': 'public, max-age=60' } }), { index: prepared.index, overrides: [{ component: 'Hero', instance: 3, props: { title: 'Sale' } }] });
  },
  'index-reached': () => {
    const prepared = preparePageSync(page);
    return run(async () => html(new TextDecoder().decode(prepared.html), { headers: { 'cache-control': 'public, max-age=60' } }), { index: prepared.index });
  },
  /** A renderer (app code, a Proxy) whose every property read throws: the page still leaves, its value overrides applied. */
  'renderer-throwing-getters': () => run(async () => html(page), { renderer: new Proxy({}, { get() { throw new Error('renderer getter'); } }) }),
  /** One override whose props hold a huge array. */
  'override-huge-props': () => run(async () => html(page), { overrides: [{ component: 'Hero', props: { title: new Array(1_000_000).fill('x') } }] }),
};
