import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BuildError, diffHtml, fileOfRoute, formatRequest, observeResponse, prerender, previewPage, PreviewError, projectOf, ProjectError } from '../src/index';

const configs = { client: {}, server: {}, worker: {} };

describe('the config splice build reads', () => {
  it('maps routes to files', () => {
    expect(fileOfRoute('/')).toBe('index.html');
    expect(fileOfRoute('/cart')).toBe('cart/index.html');
    expect(fileOfRoute('/cart/')).toBe('cart/index.html');
    expect(fileOfRoute('/about.html')).toBe('about.html');
    expect(projectOf({ ...configs, prerender: { routes: ['/', '/a/b'] } }, '/app/webpack.config.js').prerender)
      .toEqual({ routes: { '/': 'index.html', '/a/b': 'a/b/index.html' }, export: 'prerender' });
  });

  it.each([
    [[configs], 'must export an object { client, server, worker, prerender }'],
    [{ client: {}, server: {} }, '`worker` must be a webpack configuration object'],
    [{ ...configs }, '`prerender.routes` must list the pages to prerender'],
    [{ ...configs, prerender: { routes: ['cart'] } }, "prerender route 'cart' must be a path starting with '/'"],
    [{ ...configs, prerender: { routes: ['/../x'] } }, "without '..'"],
    [{ ...configs, prerender: { routes: { '/': '../outside.html' } } }, 'must map to a relative .html file inside the client output'],
    [{ ...configs, prerender: { routes: ['/'] }, publicDir: 3 }, '`publicDir` must be a folder path'],
  ])('refuses %j, saying what to change', (loaded, message) => {
    expect(() => projectOf(loaded, '/app/webpack.config.js')).toThrow(ProjectError);
    expect(() => projectOf(loaded, '/app/webpack.config.js')).toThrow(message);
  });
});

describe('the prerender', () => {
  it('names the server bundle, and where it threw, when loading it throws (a browser global read at module level)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-prerender-'));
    try {
      const bundle = path.join(dir, 'dist', 'server', 'server.js');
      fs.mkdirSync(path.dirname(bundle), { recursive: true });
      fs.writeFileSync(bundle, 'exports.prerender = () => "<p></p>";\nconst title = document.title;\n');
      const project = projectOf({ client: { output: { path: path.join(dir, 'dist', 'public') } }, server: {}, worker: {}, prerender: { routes: ['/'] } }, path.join(dir, 'webpack.config.js'));
      const error: unknown = await prerender(project, [bundle], { info: () => undefined, warn: () => undefined, error: () => undefined }).catch((e: unknown) => e);
      // A BuildError (its message is all the CLI prints) that says which step failed, in which file and line.
      expect(error).toBeInstanceOf(BuildError);
      expect((error as Error).message).toContain('document is not defined');
      expect((error as Error).message).toContain('dist/server/server.js');
      expect((error as Error).message).toContain(`${bundle}:2`);
      // Nothing half-written.
      expect(fs.existsSync(path.join(dir, 'dist', 'public', 'index.html'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('splice preview', () => {
  it('names the built worker, and where it threw, when loading it throws; refuses a //host path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-preview-'));
    try {
      // CommonJS: jest's module loader cannot import an ES module file (the CLI imports either).
      const worker = path.join(dir, 'dist', 'worker', 'main.cjs');
      fs.mkdirSync(path.dirname(worker), { recursive: true });
      fs.writeFileSync(worker, 'module.exports = { fetch: () => new Response("x") };\nconst title = document.title;\n');
      const project = projectOf({ client: { output: { path: path.join(dir, 'dist', 'public') } }, server: {}, worker: { output: { path: path.join(dir, 'dist', 'worker'), filename: '[name].cjs' } }, prerender: { routes: ['/'] } }, path.join(dir, 'webpack.config.js'));
      const visitor = { cookies: [], headers: [], variants: {} } as unknown as Parameters<typeof previewPage>[2];
      const error: unknown = await previewPage(project, '/', visitor).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PreviewError);
      expect((error as Error).message).toContain('dist/worker/main.cjs');
      expect((error as Error).message).toContain('document is not defined');
      expect((error as Error).message).toContain(`${worker}:2`);
      await expect(previewPage(project, '//evil.test/x', visitor)).rejects.toThrow('not //host');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the request log', () => {
  it('reads assignments from the bootstrap and the rest from the headers', async () => {
    const body = '<html><body><p>hi</p><script type="application/json" id="__SPLICE__">{"assignments":{"home":"b"},"overrides":[{"component":"Hero","props":{}}]}</script></body></html>';
    const response = new Response(body, { headers: { 'content-type': 'text/html', 'x-splice': 'patched; build=abc; applied=1; skipped=1', 'x-splice-skipped': '#1: unknown component', 'x-splice-cache': 'hit; age=3' } });
    let t = 100;
    let line = '';
    const observed = observeResponse(new Request('http://x/shop?q=1'), response, 90, () => t++, (r) => { line = formatRequest(r); });
    expect(await observed.text()).toBe(body);
    expect(line).toBe('GET /shop?q=1 200 · 10 ms to first byte · home=b · patched; applied=1; skipped=1; 1 override(s) in the bootstrap · skipped: #1: unknown component · cache hit; age=3');
  });

  it('logs a HEAD request at its headers (its body is never read)', () => {
    let line = '';
    observeResponse(new Request('http://x/styles.css', { method: 'HEAD' }), new Response('body { }', { headers: { 'content-type': 'text/css' } }), 0, () => 2, (r) => { line = formatRequest(r); });
    expect(line).toBe('HEAD /styles.css 200 · 2 ms to first byte');
  });

  it('logs a body that fails mid-stream', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(c) { c.enqueue(new TextEncoder().encode('<html>')); },
      pull(c) { c.error(new Error('origin reset')); },
    });
    let line = '';
    const observed = observeResponse(new Request('http://x/'), new Response(failing, { headers: { 'content-type': 'text/html' } }), 0, () => 5, (r) => { line = formatRequest(r); });
    await expect(observed.text()).rejects.toThrow('origin reset');
    expect(line).toBe('GET / 200 · 5 ms to first byte · body failed: origin reset');
  });
});

describe('diffHtml', () => {
  it('shows each change by tags and text, with neighbours, nearby changes in one hunk', () => {
    expect(diffHtml('<h1>Hello, <!-- -->friend</h1><p>Welcome</p>', '<h1>Hello, <!-- -->Freund</h1><p>Willkommen</p>')).toEqual([
      ['  Hello, <!-- -->', '- friend', '+ Freund', '  </h1><p>', '- Welcome', '+ Willkommen', '  </p>'],
    ]);
    expect(diffHtml('<p>a</p>', '<p>a</p>')).toEqual([]);
  });
});
