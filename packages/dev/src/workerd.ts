import { Miniflare, Response as MiniflareResponse } from 'miniflare';
import * as path from 'node:path';
import { nodeAssets } from './assets';

export interface WorkerdOptions {
  /** The worker, bundled as one ES module. */
  scriptPath: string;
  /** Served to the worker as `env.ASSETS`: a folder. */
  assetsDir?: string;
  /** Or `env.ASSETS` as a map of paths to HTML (`{ '/': '<!DOCTYPE html>…' }`; `/` and `/index.html` are one). */
  pages?: Record<string, string>;
  /** Or `env.ASSETS` forwarding to a running origin (`http://127.0.0.1:3000`): path, query, method and headers as the worker asked. */
  originUrl?: string;
  /** Headers `ASSETS` adds to every file it serves (what the origin or CDN would send). */
  assetHeaders?: Record<string, string>;
  /** Extra plain-text/JSON bindings. */
  bindings?: Record<string, unknown>;
  port?: number;
  /** workerd's own inspector (Chrome DevTools protocol) on this port: breakpoints in the worker as workerd runs it. */
  inspectorPort?: number;
}

function createMiniflare(options: WorkerdOptions, http: boolean): Miniflare {
  return new Miniflare(createOptions(options, http));
}

function createOptions(options: WorkerdOptions, http = false): ConstructorParameters<typeof Miniflare>[0] {
  const serviceBindings: Record<string, (request: Request) => Promise<Response>> = {};
  const origins = [options.assetsDir, options.pages, options.originUrl].filter((o) => o !== undefined).length;
  if (origins > 1) throw new TypeError('createTestEdge/serveWorkerd: give one of assetsDir, pages and originUrl');
  const ResponseClass = MiniflareResponse as unknown as typeof Response;
  if (options.assetsDir !== undefined) {
    const assets = nodeAssets(options.assetsDir, ResponseClass, options.assetHeaders);
    serviceBindings.ASSETS = (request) => assets.fetch(request);
  } else if (options.pages !== undefined) {
    const pages = new Map(Object.entries(options.pages).map(([p, html]) => [p === '/index.html' ? '/' : p, html]));
    serviceBindings.ASSETS = async (request) => {
      const { pathname } = new URL(request.url);
      const html = pages.get(pathname === '/index.html' ? '/' : pathname);
      return html === undefined
        ? new ResponseClass('Not found', { status: 404, headers: { 'content-type': 'text/plain' } })
        : new ResponseClass(html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=60', ...options.assetHeaders } });
    };
  } else if (options.originUrl !== undefined) {
    const base = new URL(options.originUrl);
    serviceBindings.ASSETS = async (request) => {
      const url = new URL(request.url);
      // Under the origin's own path (`http://host/app/` + `/shop` is `/app/shop`).
      const target = new URL(base.pathname.replace(/\/$/, '') + url.pathname + url.search, base);
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const answer = await fetch(target, { method: request.method, headers: request.headers, body: hasBody ? await request.arrayBuffer() : undefined, redirect: 'manual' });
      return new ResponseClass(answer.status === 204 || answer.status === 304 || request.method === 'HEAD' ? null : await answer.arrayBuffer(), { status: answer.status, statusText: answer.statusText, headers: answer.headers });
    };
  }
  return {
    modules: true,
    scriptPath: options.scriptPath,
    // Module names are paths relative to this root; workerd refuses `..` in them.
    modulesRoot: path.dirname(path.resolve(options.scriptPath)),
    compatibilityDate: '2025-01-01',
    bindings: options.bindings as Record<string, never> | undefined,
    // No made-up geography (miniflare's own `request.cf` puts every visitor in the US): locally,
    // geo rules read the CDN headers a developer sends (`cf-ipcountry: DE`), as under serveNode.
    cf: {},
    serviceBindings: serviceBindings as never,
    ...(http ? { host: '127.0.0.1', port: options.port ?? 8787 } : {}),
    ...(options.inspectorPort !== undefined ? { inspectorPort: options.inspectorPort } : {}),
  } as ConstructorParameters<typeof Miniflare>[0];
}

/** Serves the worker from workerd on a local port. Resolves to the base URL. */
export async function serveWorkerd(options: WorkerdOptions): Promise<string> {
  const mf = createMiniflare(options, true);
  const url = await mf.ready;
  return url.origin;
}

/** Who a test's request comes from. */
export interface TestVisitor {
  /** Sent as `cf-ipcountry` (what the handler reads where there is no `request.cf`). */
  country?: string;
  cookies?: Record<string, string>;
  headers?: Record<string, string>;
}

/**
 * The request headers of a visitor: `country` as `cf-ipcountry` (what the handler reads where the
 * runtime gives no `request.cf`), the cookies as one `Cookie` header, the other headers as given.
 */
export function visitorHeaders(visitor: { country?: string; cookies?: Record<string, string> | Iterable<[string, string]>; headers?: Record<string, string> | Iterable<[string, string]> }): Headers {
  const headers = new Headers();
  const pairs = (v: Record<string, string> | Iterable<[string, string]> | undefined): [string, string][] => (v === undefined ? [] : Symbol.iterator in v ? [...(v as Iterable<[string, string]>)] : Object.entries(v));
  for (const [name, value] of pairs(visitor.headers)) headers.append(name, value);
  if (visitor.country !== undefined) headers.set('cf-ipcountry', visitor.country);
  const cookies = pairs(visitor.cookies);
  if (cookies.length > 0) headers.set('cookie', cookies.map(([k, v]) => `${k}=${v}`).join('; '));
  return headers;
}

export interface TestEdge {
  /** A request to the worker running in workerd: real runtime, no mocks. */
  fetch(input: string, init?: RequestInit): Promise<Response>;
  /** A GET of `path` as that visitor. */
  visit(path: string, visitor?: TestVisitor): Promise<Response>;
  dispose(): Promise<void>;
}

/** Starts the worker in workerd for a test, and `dispose()` stops it. */
export async function createTestEdge(options: WorkerdOptions): Promise<TestEdge> {
  const mf = createMiniflare(options, false);
  await mf.ready;
  const fetchIt = async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://localhost');
    return (await mf.dispatchFetch(url.href, init as never)) as unknown as Response;
  };
  return {
    fetch: fetchIt,
    visit: (path, visitor = {}) => fetchIt(path, { headers: visitorHeaders(visitor) }),
    dispose: () => mf.dispose(),
  };
}

export interface WorkerdRunner {
  /** A request to the worker in workerd, answered as a standard `Response`. */
  fetch(request: Request): Promise<Response>;
  dispose(): Promise<void>;
}

/**
 * The worker in workerd without its own HTTP server: `splice dev --runtime workerd` answers from
 * its Node server through this (a new one after each rebuild), so the request log works as in Node.
 */
export async function createWorkerdRunner(options: WorkerdOptions): Promise<WorkerdRunner> {
  const mf = createMiniflare(options, false);
  await mf.ready;
  return {
    async fetch(request) {
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const answer = await mf.dispatchFetch(request.url, {
        method: request.method,
        headers: [...request.headers] as [string, string][],
        body: hasBody ? await request.arrayBuffer() : undefined,
        redirect: 'manual',
      } as never);
      const headers = new Headers();
      answer.headers.forEach((value, name) => { if (name !== 'set-cookie') headers.set(name, value); });
      for (const cookie of answer.headers.getSetCookie()) headers.append('set-cookie', cookie);
      return new Response(answer.body as unknown as ReadableStream<Uint8Array> | null, { status: answer.status, statusText: answer.statusText, headers });
    },
    dispose: () => mf.dispose(),
  };
}
