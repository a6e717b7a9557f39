import { Miniflare, Response as MiniflareResponse } from 'miniflare';
import * as path from 'node:path';
import { nodeAssets } from './assets';

export interface WorkerdOptions {
  /** The worker, bundled as one ES module. */
  scriptPath: string;
  /** Served to the worker as `env.ASSETS`. */
  assetsDir?: string;
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
  if (options.assetsDir !== undefined) {
    const assets = nodeAssets(options.assetsDir, MiniflareResponse as unknown as typeof Response, options.assetHeaders);
    serviceBindings.ASSETS = (request) => assets.fetch(request);
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

export interface TestEdge {
  /** A request to the worker running in workerd: real runtime, no mocks. */
  fetch(input: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

/** Starts the worker in workerd for a test, and `dispose()` stops it. */
export async function createTestEdge(options: WorkerdOptions): Promise<TestEdge> {
  const mf = createMiniflare(options, false);
  await mf.ready;
  return {
    async fetch(input, init) {
      const url = new URL(input, 'http://localhost');
      return (await mf.dispatchFetch(url.href, init as never)) as unknown as Response;
    },
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
