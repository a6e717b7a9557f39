import { handleSpliceRequest } from '../src/handler';
import { decide } from '../src/edgeHandler';
import { BOUNDARY_TAG, MANIFEST_SCHEMA_VERSION, exactPathPattern, pathPattern } from '@splice/manifest';
import type { SpliceManifest } from '@splice/manifest';

const manifest: SpliceManifest = {
  schemaVersion: MANIFEST_SCHEMA_VERSION,
  buildId: 'b1',
  components: {
    'Hero.k1': {
      name: 'Hero',
      file: 'src/Hero.tsx',
      line: 1,
      props: { title: { tier: 'value' }, mode: { tier: 'none', code: 'SPLICE010', reason: 'used in a condition' } },
      elements: [{ tag: 'h1', attrs: [], text: [{ kind: 'hole', expr: { kind: 'prop', path: ['title'] } }] }],
    },
  },
};
const page = '<!DOCTYPE html><html><body><h1 data-splice="Hero.k1 0 _R_1_">Hello</h1></body></html>';
const html = (body: string, init: ResponseInit = {}) =>
  new Response(body, { ...init, headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length), etag: '"x"', ...(init.headers ?? {}) } });
const request = new Request('http://shop.test/');

describe('handleSpliceRequest', () => {
  it('patches, marks the response private, and says what it did', async () => {
    const res = await handleSpliceRequest(request, { manifest, overrides: [{ component: 'Hero', props: { title: 'Sale' } }], fetchBase: async () => html(page) });
    expect(res.headers.get('x-splice')).toBe('planned; build=b1; applied=1; skipped=0');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('etag')).toBeNull();
    const gz = await handleSpliceRequest(request, { manifest, overrides: [], fetchBase: async () => html(page, { headers: { 'content-encoding': 'gzip' } }) });
    expect(gz.headers.get('content-encoding')).toBeNull();
    expect(await gz.text()).toContain('>Hello</h1>');
    expect(await res.text()).toContain('>Sale</h1>');
  });

  it('reports skipped overrides in a header, with hostile text made header-safe', async () => {
    const res = await handleSpliceRequest(request, {
      manifest,
      overrides: [{ component: 'Hero', props: { mode: 'x' } }, { component: 'Nope\u2028\r\n', props: {} }],
      fetchBase: async () => html(page),
    });
    expect(res.headers.get('x-splice')).toBe('planned; build=b1; applied=0; skipped=2');
    expect(res.headers.get('x-splice-skipped')).toMatch(/^#0: .*SPLICE010.* \| #1: /);
    expect(res.headers.get('cache-control')).toBeNull();
    expect(await res.text()).toContain('>Hello</h1>');
  });

  it('answers 502 when the origin fails and 504 when it hangs', async () => {
    const failed = await handleSpliceRequest(request, { manifest, overrides: [], fetchBase: async () => { throw new TypeError('connection refused'); } });
    expect(failed.status).toBe(502);
    expect(failed.headers.get('x-splice')).toBe('origin-error');
    const hung = await handleSpliceRequest(request, { manifest, overrides: [], baseTimeoutMs: 50, fetchBase: () => new Promise<Response>(() => {}) });
    expect(hung.status).toBe(504);
    expect(hung.headers.get('x-splice')).toBe('origin-timeout');
  });

  it('answers while a body without a charset in its header is still streaming: the charset sniff waits for 1024 bytes only so long', async () => {
    // A streamed render flushes its shell (under 1024 bytes, no charset in the header) and then
    // waits for data, or the origin stalls: the response (and the shell) must not wait for it.
    const shell = '<!DOCTYPE html><html><head><title>Shop</title></head><body><h1 data-splice="Hero.k1 0 _R_1_">Hello</h1>';
    let rest: ReadableStreamDefaultController<Uint8Array> | null = null;
    const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode(shell)); rest = c; } });
    const answered = handleSpliceRequest(request, {
      manifest, overrides: [{ component: 'Hero', props: { title: 'Sale' } }], baseTimeoutMs: 200,
      fetchBase: async () => new Response(body, { headers: { 'content-type': 'text/html' } }),
    });
    const res = await Promise.race([answered, new Promise<'stalled'>((r) => setTimeout(() => r('stalled'), 3000))]);
    expect(res).not.toBe('stalled');
    const reader = (res as Response).body!.getReader();
    // Before: no response at all until 1024 bytes or the end of the body.
    let text = new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('<title>Shop</title>');
    rest!.enqueue(new TextEncoder().encode('</body></html>'));
    rest!.close();
    for (let next = await reader.read(); !next.done; next = await reader.read()) text += new TextDecoder().decode(next.value);
    expect(text).toContain('>Sale</h1>');
  });

  it('answers while a body labelled gzip (fetch() decoded it, label kept) is still streaming: the coding check waits for its bytes only so long', async () => {
    // fetch() hands every compressed origin page over decoded with its Content-Encoding kept, so
    // this is the common case: a shell under 512 bytes, then the origin waits for data or stalls.
    const shell = '<!DOCTYPE html><html><head><title>Shop</title></head><body><h1 data-splice="Hero.k1 0 _R_1_">Hello</h1>';
    let rest: ReadableStreamDefaultController<Uint8Array> | null = null;
    const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode(shell)); rest = c; } });
    const answered = handleSpliceRequest(request, {
      manifest, overrides: [{ component: 'Hero', props: { title: 'Sale' } }], baseTimeoutMs: 200,
      fetchBase: async () => new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' } }),
    });
    const res = await Promise.race([answered, new Promise<'stalled'>((r) => setTimeout(() => r('stalled'), 3000))]);
    // Before: no response at all until 512 bytes or the end of the body (a stalled origin: never).
    expect(res).not.toBe('stalled');
    expect((res as Response).headers.get('content-encoding')).toBeNull();
    const reader = (res as Response).body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('<title>Shop</title>');
    rest!.enqueue(new TextEncoder().encode('</body></html>'));
    rest!.close();
    for (let next = await reader.read(); !next.done; next = await reader.read()) text += new TextDecoder().decode(next.value);
    expect(text).toContain('>Sale</h1>');
  });

  it('says the patched page is UTF-8 when the page declared no charset: the bytes it writes are', async () => {
    // No charset in the header nor in the first 1024 bytes: a browser falls back to a legacy
    // encoding (windows-1252 in Firefox, which never guesses UTF-8 for a page from the network),
    // and an override's "Café", written in UTF-8, would show as "CafÃ©" and fail hydration.
    const patched = await handleSpliceRequest(request, {
      manifest, overrides: [{ component: 'Hero', props: { title: 'Caf\u00e9' } }],
      fetchBase: async () => new Response(page, { headers: { 'content-type': 'text/html' } }),
    });
    expect(patched.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await patched.text()).toContain('>Caf\u00e9</h1>');
    // A page that says so itself keeps its header as it is; a page left as it is, too.
    const declared = await handleSpliceRequest(request, {
      manifest, overrides: [{ component: 'Hero', props: { title: 'Caf\u00e9' } }],
      fetchBase: async () => new Response(page.replace('<html>', '<html><head><meta charset="utf-8"></head>'), { headers: { 'content-type': 'text/html' } }),
    });
    expect(declared.headers.get('content-type')).toBe('text/html');
    const json = await handleSpliceRequest(request, { manifest, overrides: [], fetchBase: async () => new Response('{}', { headers: { 'content-type': 'application/json' } }) });
    expect(json.headers.get('content-type')).toBe('application/json');
  });

  it('applies nothing to errors, non-HTML or under a bad manifest; an HTML page among them loses its markers (contract 1) and nothing else', async () => {
    const notFound = await handleSpliceRequest(request, { manifest, overrides: [], fetchBase: async () => html('<h1>gone</h1>', { status: 404 }) });
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toBe('<h1>gone</h1>');
    const json = await handleSpliceRequest(request, { manifest, overrides: [], fetchBase: async () => Response.json({ a: 1 }) });
    expect(await json.json()).toEqual({ a: 1 });
    expect(json.headers.get('x-splice')).toMatch(/^pass-through/);
    for (const bad of [null, {}, { schemaVersion: 99, buildId: 'x', components: {} }, 'nonsense']) {
      const res = await handleSpliceRequest(request, { manifest: bad, overrides: [{ component: 'Hero', props: { title: 'Sale' } }], fetchBase: async () => html(page) });
      expect(res.headers.get('x-splice')).toBe('pass-through; invalid-manifest');
      expect(await res.text()).toBe(page.replace(/ data-splice="[^"]*"/, ''));
    }
  });

  it("removes a server-rendering origin's markers, instance state and boundaries from its error pages, so that they hydrate; their caching headers stay", async () => {
    // What an SSR origin renders for a 404 or a 500 with instrumented components in it: a marked
    // element, a root with its state (props the browser must not get), a boundary element.
    const state = '{&quot;props&quot;:{&quot;email&quot;:&quot;ada@example.com&quot;},&quot;contexts&quot;:[],&quot;tree&quot;:&quot;&quot;}';
    const source = `<!DOCTYPE html><html><body><h1 data-splice="Hero.k1 0 _R_1_">Not found</h1><div data-splice="Hero.k1 0 _R_2_ ${state}">x</div><${BOUNDARY_TAG} data-splice="Hero.k1 0 _R_3_">a<b>b</b></${BOUNDARY_TAG}></body></html>`;
    for (const status of [404, 500, 203]) {
      const res = await handleSpliceRequest(request, { manifest, overrides: [{ component: 'Hero', props: { title: 'Sale' } }], fetchBase: async () => html(source, { status, headers: { 'cache-control': 'public, max-age=60' } }) });
      expect(res.status).toBe(status);
      expect(res.headers.get('x-splice')).toBe('pass-through; not-html-200');
      expect(res.headers.get('cache-control')).toBe('public, max-age=60');
      expect(res.headers.get('content-length')).toBeNull();
      const body = await res.text();
      expect(body).toBe('<!DOCTYPE html><html><body><h1>Not found</h1><div>x</div>a<b>b</b></body></html>');
      expect(body).not.toContain('ada@example.com');
      expect(body).not.toContain('Sale');
    }
  });

  it('writes client.site as readSite keeps it (a production browser build takes it as written), whoever made it', async () => {
    const bootstrapOf = async (res: Response) => JSON.parse(/<script[^>]*id="__SPLICE__"[^>]*>([^<]*)<\/script>/.exec(await res.text())![1]!);
    // A custom worker: decide() plans nothing, and a personalization function may return anything.
    const config = { personalize: () => [null, { component: 'Hero', props: { title: 'Hi' } }, { component: 'Hero', instance: '_R_1_', props: { title: 'by id' } }] } as any;
    const decision = await decide(config, request, {});
    const custom = await bootstrapOf(await handleSpliceRequest(request, { manifest, overrides: decision.overrides, fetchBase: async () => html(page), client: { site: decision.site, experiments: decision.experiments } }));
    // Before: [null, …] and the override by id were written; the browser build threw on the null when it rendered that path again.
    expect(custom.site).toEqual([{ paths: [exactPathPattern('/')], overrides: [{ component: 'Hero', props: { title: 'Hi' } }] }]);
    const site = [
      { paths: ['/shop/**'], overrides: [] }, // not compiled: new RegExp throws in the browser
      { paths: [pathPattern(['/shop/**'])], overrides: [{ component: 'Hero', props: 'x' }] },
      { overrides: [], touches: ['Hero'] }, // touches on an entry that is no experiment's
      ...Array.from({ length: 300 }, (_, i) => ({ overrides: [{ component: 'Hero', props: { title: `r${i}` } }] })),
    ];
    const written = await bootstrapOf(await handleSpliceRequest(request, { manifest, overrides: [], fetchBase: async () => html(page), client: { site: site as any, beacon: '/b' } }));
    expect(written.site).toHaveLength(255);
    expect(written.site.slice(0, 2)).toEqual([{ paths: [pathPattern(['/shop/**'])], overrides: [] }, { overrides: [] }]);
    expect(written.beacon).toBe('/b');
  });

  it('writes no beacon that is another site (`//host`, `/\\host`: browsers read `\\` as `/`)', async () => {
    for (const beacon of ['//evil.example/x', '/\\evil.example/x', '/a\\b']) {
      const res = await handleSpliceRequest(request, { manifest, overrides: [], assignments: { e: 'a' }, fetchBase: async () => html(page), client: { beacon } });
      const bootstrap = JSON.parse(/<script[^>]*id="__SPLICE__"[^>]*>([^<]*)<\/script>/.exec(await res.text())![1]!);
      expect(bootstrap.beacon).toBeUndefined();
    }
  });
});
