import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { createTestEdge, nodeAssets, startNodeServer } from '@splice/dev';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-dev-'));
fs.mkdirSync(path.join(dir, 'public'));
fs.writeFileSync(path.join(dir, 'public', 'index.html'), '<h1>hi</h1>');
fs.writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
// A worker that streams: it proves the server forwards chunks and runs the env binding.
fs.writeFileSync(
  path.join(dir, 'worker.mjs'),
  `export default {
    async fetch(request, env) {
      const url = new URL(request.url);
      // A body with a coding label and plain bytes, as a proxied fetch() hands it on (it decodes
      // and keeps the label): the runtime encodes it on the way out.
      if (url.pathname === '/labelled') return new Response('<h1>zipped</h1>', { headers: { 'content-type': 'text/html', 'content-encoding': url.searchParams.get('coding') ?? 'gzip' } });
      if (url.pathname === '/stream') {
        const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('a')); c.enqueue(new TextEncoder().encode('b')); c.close(); } });
        return new Response(body, { headers: { 'x-runtime': typeof navigator === 'object' ? String(navigator.userAgent) : 'node' } });
      }
      return env.ASSETS.fetch(request);
    },
  };`,
);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const gzipOf = zlib.createGzip;
const brotliOf = zlib.createBrotliCompress;

describe('nodeAssets', () => {
  it('serves files with a content type and refuses to leave its folder', async () => {
    const assets = nodeAssets(path.join(dir, 'public'));
    const ok = await assets.fetch(new Request('http://x/index.html'));
    expect(ok.headers.get('content-type')).toMatch(/text\/html/);
    expect(await ok.text()).toBe('<h1>hi</h1>');
    expect((await assets.fetch(new Request('http://x/../secret.txt'))).status).toBe(404);
    expect((await assets.fetch(new Request('http://x/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await assets.fetch(new Request('http://x/%E0%A4%A'))).status).toBe(400);
  });
});

describe('startNodeServer', () => {
  it('runs a worker module behind HTTP', async () => {
    // jest cannot import() an ES module file here; the same worker logic as an object.
    const worker = {
      async fetch(request: Request, env: { ASSETS: { fetch(r: Request): Promise<Response> } }) {
        if (new URL(request.url).pathname === '/stream') {
          const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('a')); c.enqueue(new TextEncoder().encode('b')); c.close(); } });
          return new Response(body);
        }
        return env.ASSETS.fetch(request);
      },
    };
    const server = await startNodeServer({ worker, env: { ASSETS: nodeAssets(path.join(dir, 'public')) }, port: 0 });
    try {
      expect(await (await fetch(server.url + '/stream')).text()).toBe('ab');
      expect(await (await fetch(server.url + '/')).text()).toBe('<h1>hi</h1>');
    } finally {
      await server.close();
    }
  });
});

describe('startNodeServer, faults', () => {
  it('names a busy port instead of throwing a raw EADDRINUSE', async () => {
    const first = await startNodeServer({ worker: { fetch: () => new Response('x') }, env: {}, port: 0 });
    const port = Number(new URL(first.url).port);
    await expect(startNodeServer({ worker: { fetch: () => new Response('x') }, env: {}, port })).rejects.toThrow(`port ${port} is in use on 127.0.0.1: stop what runs there, or choose another port (PORT=8788 npm start)`);
    await first.close();
  });

  it('aborts a response whose body fails mid-stream instead of completing it with an error text', async () => {
    const worker = {
      fetch: () => new Response(new ReadableStream({
        pull(c) { c.enqueue(new TextEncoder().encode('<html><body>half')); return new Promise((_, reject) => setTimeout(() => reject(new Error('origin died')), 20)); },
      }), { headers: { 'content-type': 'text/html', 'cache-control': 'public, max-age=60' } }),
    };
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const server = await startNodeServer({ worker, env: {}, port: 0 });
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    errors.mockRestore();
    await server.close();
  });

  it('encodes a body the worker labels with a content-encoding, as workerd does, instead of sending plain bytes under the label', async () => {
    const worker = {
      fetch: (request: Request) => new Response('<h1>zipped</h1>'.repeat(50), { headers: { 'content-type': 'text/html', 'content-encoding': new URL(request.url).searchParams.get('coding')!, 'content-length': '750' } }),
    };
    const server = await startNodeServer({ worker, env: {}, port: 0 });
    try {
      // The two codings workerd writes (exactly these labels; it sends any other as it is).
      for (const coding of ['gzip', 'br']) {
        const res = await fetch(`${server.url}/?coding=${coding}`);
        expect(res.headers.get('content-encoding')).toBe(coding);
        // fetch() decodes what the label says: plain bytes under it would fail here.
        expect(await res.text()).toBe('<h1>zipped</h1>'.repeat(50));
      }
    } finally {
      await server.close();
    }
  });

  it('sends each chunk of an encoded body as it comes, not when the encoder fills: a streamed page stays streamed', async () => {
    let firstRead: () => void = () => undefined;
    const readFirst = new Promise<void>((resolve) => { firstRead = resolve; });
    const enc = new TextEncoder();
    const worker = {
      // The second chunk is written only after the visitor has read the first.
      fetch: () => new Response(new ReadableStream({
        async start(c) { c.enqueue(enc.encode('<h1>first</h1>')); await readFirst; c.enqueue(enc.encode('<p>rest</p>')); c.close(); },
      }), { headers: { 'content-type': 'text/html', 'content-encoding': 'gzip' } }),
    };
    const server = await startNodeServer({ worker, env: {}, port: 0 });
    try {
      const reader = (await fetch(server.url)).body!.getReader();
      const first = await Promise.race([reader.read(), new Promise<'held back'>((r) => setTimeout(() => r('held back'), 2000))]);
      expect(first === 'held back' ? first : new TextDecoder().decode(first.value)).toBe('<h1>first</h1>');
      firstRead();
      let rest = '';
      for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
      expect(rest).toBe('<p>rest</p>');
    } finally {
      firstRead();
      await server.close();
    }
  });

  it('cancels the worker body when the client goes away', async () => {
    let cancelled: (reason: unknown) => void = () => undefined;
    const wasCancelled = new Promise((resolve) => { cancelled = resolve; });
    const worker = {
      fetch: () => new Response(new ReadableStream({
        pull(c) { c.enqueue(new TextEncoder().encode('x'.repeat(1024))); return new Promise((r) => setTimeout(r, 5)); },
        cancel(reason) { cancelled(reason); },
      })),
    };
    const server = await startNodeServer({ worker, env: {}, port: 0 });
    const controller = new AbortController();
    const res = await fetch(server.url, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(Promise.race([wasCancelled.then(() => 'cancelled'), new Promise((r) => setTimeout(() => r('not cancelled'), 2000))])).resolves.toBe('cancelled');
    await server.close();
  });

  it('destroys the gzip or br encoder of a response whose visitor goes away, instead of leaving its zlib handle to the garbage collector', async () => {
    // The encoders the server makes, seen as it first writes to them (zlib's factories cannot be replaced).
    const gzip = jest.spyOn(zlib.Gzip.prototype, 'write');
    const br = jest.spyOn(zlib.BrotliCompress.prototype, 'write');
    const worker = {
      fetch: (request: Request) => new Response(new ReadableStream({
        pull(c) { c.enqueue(new TextEncoder().encode('<p>more</p>'.repeat(100))); return new Promise((r) => setTimeout(r, 5)); },
      }), { headers: { 'content-type': 'text/html', 'content-encoding': new URL(request.url).searchParams.get('coding')! } }),
    };
    const server = await startNodeServer({ worker, env: {}, port: 0 });
    try {
      for (const coding of ['gzip', 'br']) {
        const controller = new AbortController();
        const res = await fetch(`${server.url}/?coding=${coding}`, { signal: controller.signal });
        await res.body!.getReader().read();
        controller.abort();
        const encoder = (coding === 'gzip' ? gzip : br).mock.contexts[0] as { destroyed: boolean };
        for (let waited = 0; !encoder.destroyed && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        expect({ coding, destroyed: encoder.destroyed }).toEqual({ coding, destroyed: true });
      }
    } finally {
      gzip.mockRestore();
      br.mockRestore();
      await server.close();
    }
  });
});

describe('createTestEdge', () => {
  it('runs the same worker in workerd', async () => {
    const edge = await createTestEdge({ scriptPath: path.join(dir, 'worker.mjs'), assetsDir: path.join(dir, 'public') });
    try {
      const res = await edge.fetch('/stream');
      expect(res.headers.get('x-runtime')).toBe('Cloudflare-Workers');
      expect(await res.text()).toBe('ab');
      expect(await (await edge.fetch('/')).text()).toBe('<h1>hi</h1>');
      // workerd encodes a labelled body itself; the Node server must do the same (below).
      for (const coding of ['gzip', 'br']) expect(await (await edge.fetch(`/labelled?coding=${coding}`)).text()).toBe('<h1>zipped</h1>');
    } finally {
      await edge.dispose();
    }
  }, 60_000);
});

describe('createTestEdge with other origins', () => {
  it('serves a map of paths to HTML as ASSETS, and sends the visitor as asked', async () => {
    const worker = path.join(dir, 'echo.mjs');
    // Echoes what the worker was asked and what ASSETS answered.
    fs.writeFileSync(worker, `export default {
      async fetch(request, env) {
        const page = await env.ASSETS.fetch(request);
        return new Response(JSON.stringify({ status: page.status, body: await page.text(), country: request.headers.get('cf-ipcountry'), cookie: request.headers.get('cookie'), extra: request.headers.get('x-test') }));
      },
    };`);
    const edge = await createTestEdge({ scriptPath: worker, pages: { '/': '<h1>home</h1>', '/cart': '<h1>cart</h1>' } });
    try {
      expect(await (await edge.visit('/', { country: 'DE', cookies: { member: 'gold', theme: 'dark' }, headers: { 'x-test': 'yes' } })).json())
        .toEqual({ status: 200, body: '<h1>home</h1>', country: 'DE', cookie: 'member=gold; theme=dark', extra: 'yes' });
      expect(await (await edge.visit('/index.html')).json()).toMatchObject({ status: 200, body: '<h1>home</h1>' });
      expect(await (await edge.visit('/cart')).json()).toMatchObject({ status: 200, body: '<h1>cart</h1>' });
      expect(await (await edge.visit('/nope')).json()).toMatchObject({ status: 404 });
    } finally {
      await edge.dispose();
    }
  }, 60_000);

  it('forwards ASSETS to a running origin by URL', async () => {
    const { createServer } = await import('http');
    const origin = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(`<p>${req.method} ${req.url}</p>`); });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', () => r()));
    const { port } = origin.address() as { port: number };
    const worker = path.join(dir, 'pass.mjs');
    fs.writeFileSync(worker, 'export default { fetch: (request, env) => env.ASSETS.fetch(request) };');
    const edge = await createTestEdge({ scriptPath: worker, originUrl: `http://127.0.0.1:${port}` });
    // An origin under a path of its own keeps it (review finding).
    const prefixed = await createTestEdge({ scriptPath: worker, originUrl: `http://127.0.0.1:${port}/app/` });
    try {
      expect(await (await edge.visit('/shop?page=2')).text()).toBe('<p>GET /shop?page=2</p>');
      expect(await (await prefixed.visit('/shop?page=2')).text()).toBe('<p>GET /app/shop?page=2</p>');
    } finally {
      await edge.dispose();
      await prefixed.dispose();
      origin.close();
    }
  }, 60_000);

  it('takes one origin', async () => {
    await expect(createTestEdge({ scriptPath: path.join(dir, 'worker.mjs'), assetsDir: dir, pages: {} })).rejects.toThrow('give one of assetsDir, pages and originUrl');
  });
});
