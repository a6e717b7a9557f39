import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { constants as zlib, createBrotliCompress, createGzip } from 'node:zlib';
import type { BrotliCompress, Gzip } from 'node:zlib';
import { memoryCaches } from './memoryCache';

export interface WorkerModule<Env> {
  fetch(request: Request, env: Env, ctx: ExecutionContextLike): Response | Promise<Response>;
}

export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

export interface ServeNodeOptions<Env> {
  worker: WorkerModule<Env>;
  env: Env;
  port?: number;
  host?: string;
  /**
   * The Cache API the worker finds as `caches` (Node has none): an in-memory one by default, so
   * the edge cache hits, goes stale and revalidates locally as it does in Workers. `false`: none.
   * A `caches` the process already has is left alone.
   */
  caches?: object | false;
}

/**
 * Runs a Workers-style module (`export default { fetch }`) behind a Node HTTP server, so the
 * edge code runs under Node's real debugger (`node --inspect`). Resolves to the base URL.
 */
export async function serveNode<Env>(options: ServeNodeOptions<Env>): Promise<string> {
  const { url } = await startNodeServer(options);
  return url;
}

export async function startNodeServer<Env>(options: ServeNodeOptions<Env>): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  const g = globalThis as { caches?: unknown };
  if (options.caches !== false && g.caches === undefined) g.caches = options.caches ?? memoryCaches();
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      console.error('[splice dev] worker threw:', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('Worker threw; see the server log.');
        return;
      }
      // Mid-stream: the status and headers have left. Appending an error text would make a
      // complete-looking page of a broken one; aborting tells the browser it is incomplete.
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const port = options.port ?? 8787;
      if (error.code === 'EADDRINUSE') reject(new Error(`port ${port} is in use on ${host}: stop what runs there, or choose another port (PORT=8788 npm start)`));
      else if (error.code === 'EACCES') reject(new Error(`port ${port} on ${host} needs privileges this process does not have: choose a port above 1023 (PORT=8788)`));
      else reject(error);
    });
    server.listen(options.port ?? 8787, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive connections would hold the close for seconds.
      server.closeAllConnections();
    }),
  };
}

async function handle<Env>(options: ServeNodeOptions<Env>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const origin = `http://${req.headers.host ?? 'localhost'}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
  const pending: Promise<unknown>[] = [];
  const ctx: ExecutionContextLike = { waitUntil: (p) => void pending.push(p), passThroughOnException() {} };
  const response = await options.worker.fetch(request, options.env, ctx);
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    out[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  // A Workers runtime encodes a body whose response says `content-encoding: gzip` or `br` (the
  // worker hands it over plain; a proxied fetch() decodes the origin's bytes and keeps the
  // label): so does this server, or the browser would fail to decode plain bytes under the label.
  const coding = response.headers.get('content-encoding');
  const encoder = response.body === null || req.method === 'HEAD' ? null : coding === 'gzip' ? createGzip() : coding === 'br' ? createBrotliCompress() : null;
  if (encoder !== null) delete out['content-length'];
  res.writeHead(response.status, out);
  if (response.body === null || req.method === 'HEAD') {
    res.end();
  } else {
    // Stream, do not buffer: the edge's first byte must leave before the page is complete.
    const reader = (encoder === null ? response.body : response.body.pipeThrough(flushingStream(encoder))).getReader();
    // A visitor who leaves mid-page: the worker's body is cancelled, as a runtime would.
    let gone = false;
    const onClose = () => {
      if (res.writableFinished) return;
      gone = true;
      void reader.cancel(new Error('the client disconnected')).catch(() => undefined);
      // Nothing reads it any more; its zlib handle and buffers would otherwise wait for the garbage collector.
      encoder?.destroy();
    };
    res.once('close', onClose);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || gone) break;
        if (!res.write(value)) await new Promise((r) => { res.once('drain', r); res.once('close', r); });
      }
    } finally {
      res.off('close', onClose);
      // A body that failed mid-page leaves the encoder half-way too (one that ended is destroyed already).
      encoder?.destroy();
    }
    if (!gone) res.end();
  }
  await Promise.allSettled(pending);
}

/**
 * A zlib encoder as a web stream that flushes after every chunk: the edge streams, and a page's
 * first bytes must reach the browser before the rest is written, not when the encoder's buffer
 * fills.
 */
function flushingStream(encoder: Gzip | BrotliCompress): TransformStream<Uint8Array, Uint8Array> {
  const flushKind = 'params' in encoder ? zlib.BROTLI_OPERATION_FLUSH : zlib.Z_SYNC_FLUSH;
  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      encoder.on('data', (chunk: Buffer) => {
        // Bytes a flush still yields after the reader cancelled (the visitor left): the stream
        // refuses them, and the throw, in an event listener, would end the process.
        try {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        } catch {
          encoder.destroy();
        }
      });
    },
    transform(chunk) {
      return new Promise<void>((resolve, reject) => {
        encoder.write(chunk, (error) => (error ? reject(error) : encoder.flush(flushKind, () => resolve())));
      });
    },
    flush() {
      // Done when the last encoded bytes have been read out ('end'), not when the input is in ('finish').
      return new Promise<void>((resolve, reject) => {
        encoder.once('error', reject);
        encoder.once('end', () => resolve());
        encoder.end();
      });
    },
  });
}
