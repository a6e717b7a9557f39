import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import WebSocket from 'ws';
import { SourceMapConsumer } from 'source-map-js';
import { spawnSync } from 'child_process';
import { BIN, scratchApp, splice, spliceDev } from './scratch';

// `splice build`, `splice preview` and `splice dev`, run as a user runs them: the built bin, in a
// copy of a small app (fixtures/devapp), in their own processes.

// Webpack builds in child processes: seconds each, more on a busy machine.
jest.setTimeout(180_000);

const PREVIEWS = path.join(__dirname, 'fixtures', 'preview');
const update = process.env.UPDATE_FIXTURES === '1';

describe('splice build and splice preview', () => {
  const app = scratchApp('build');
  afterAll(() => app.remove());

  it('builds client, server, the prerendered pages and the worker, in order', () => {
    const r = splice(app.dir, ['build']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^splice build: client, server, 2 prerendered page\(s\), worker dist\/worker\/worker\.mjs/m);
    for (const file of ['dist/public/index.html', 'dist/public/promo/index.html', 'dist/public/client.js', 'dist/public/styles.css', 'dist/server/splice-pages.json', 'dist/worker/worker.mjs', 'dist/worker/worker.mjs.map']) {
      expect(fs.existsSync(path.join(app.dir, file))).toBe(true);
    }
    // The served page carries no markers: the prerender prepared it.
    expect(fs.readFileSync(path.join(app.dir, 'dist/public/index.html'), 'utf8')).not.toContain('splice');
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(app.dir, 'dist/server/splice-pages.json'), 'utf8')))).toEqual(['/index.html', '/promo/index.html']);
  });

  // Each visitor context's report is a fixture: the decisions and the diff against the default page.
  it.each([
    ['country-de', ['/', '--country', 'DE']],
    ['cookie-gold', ['/', '--cookie', 'member=gold']],
    ['variant-b', ['/promo', '--variant', 'banner=b']],
  ])('preview %s', (name, args) => {
    const r = splice(app.dir, ['preview', ...args]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = path.join(PREVIEWS, `${name}.txt`);
    if (update || !fs.existsSync(expected)) {
      fs.mkdirSync(PREVIEWS, { recursive: true });
      fs.writeFileSync(expected, r.stdout);
    }
    expect(r.stdout).toBe(fs.readFileSync(expected, 'utf8'));
  });

  it('fails when a --variant was not applied, and refuses a --cookie that smuggles a second one', () => {
    const unknown = splice(app.dir, ['preview', '/promo', '--variant', 'banner=zzz']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not applied: --variant banner=zzz (no such experiment or variant on /promo');
    expect(splice(app.dir, ['preview', '/', '--cookie', 'x=1; member=gold'])).toMatchObject({ code: 2, stderr: expect.stringContaining("--cookie takes one name=value, without ';'") });
    for (const command of ['build', 'dev', 'preview']) expect(splice(app.dir, [command, '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining(`Usage: splice ${command}`) });
  });

  it('says what to do for a bad path, a bad option and a missing config', () => {
    expect(splice(app.dir, ['preview', 'promo'])).toMatchObject({ code: 1, stderr: expect.stringContaining("must start with '/'") });
    expect(splice(app.dir, ['preview', '/', '--cookie', 'nonsense'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--cookie takes name=value') });
    expect(splice(app.dir, ['build', '--colour'])).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--colour'") });
    expect(splice(path.join(app.dir, 'src'), ['build'])).toMatchObject({ code: 1, stderr: expect.stringContaining('no webpack.config.js or webpack.config.cjs in') });
  });
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    }).on('error', reject);
  });
}

describe('splice dev', () => {
  it('serves the app, logs each request, and serves an edited component without a restart', async () => {
    const app = scratchApp('dev');
    const dev = spliceDev(app.dir, ['--port', '0']);
    try {
      const [, url] = await dev.waitFor(/splice dev: (http:\/\/127\.0\.0\.1:\d+)/);
      await dev.waitFor(/worker built/);
      const page = await get(`${url!}/`, { 'cf-ipcountry': 'DE' });
      expect(page.status).toBe(200);
      expect(page.body).toContain('Hello, <!-- -->Freund');
      // The request log: assignments, what was patched, the cache, the time to first byte.
      await dev.waitFor(/GET \/ 200 · \d+ ms to first byte · patched; applied=1; skipped=0; 1 override\(s\) in the bootstrap · cache miss; storing/);
      // The edge cache, emulated: the origin's Surrogate-Control gives the edge lifetime (the store
      // runs in waitUntil, after the response: a few tries), and surrogate headers never reach the browser.
      let cached = await get(`${url!}/`);
      for (let i = 0; i < 40 && !/^hit/.test(String(cached.headers['x-splice-cache'])); i++) {
        await new Promise((r) => setTimeout(r, 50));
        cached = await get(`${url!}/`);
      }
      expect(cached.headers['x-splice-cache']).toMatch(/^hit; age=\d+$/);
      expect(cached.headers['surrogate-control']).toBeUndefined();
      await dev.waitFor(/GET \/ 200 · \d+ ms to first byte · .*cache hit; age=\d+/);

      const promo = await get(`${url!}/promo`);
      expect(promo.status).toBe(200);
      await dev.waitFor(/GET \/promo 200 · \d+ ms to first byte · banner=[ab] · /);

      const mark = dev.output().length;
      const file = path.join(app.dir, 'src', 'Greeting.tsx');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Hello, {name}', 'Howdy, {name}'));
      // The worker build may still be settling from the start: wait for the rebuild this edit caused.
      const rebuilding = await dev.waitFor(/rebuilding client and server \(src\/Greeting\.tsx changed\)/, mark);
      const built = await dev.waitFor(/client and server built/, mark + rebuilding.index!);
      await dev.waitFor(/worker reloaded/, mark + rebuilding.index! + built.index!);
      const edited = await get(`${url!}/`, { 'cf-ipcountry': 'DE' });
      // The edit is served, and still patched: pages, index and worker were rebuilt together, and
      // the rebuild purged the edge cache (the build id is the same: without the purge the old page stays).
      expect(edited.body).toContain('Howdy, <!-- -->Freund');
      expect(edited.headers['x-splice-cache']).toMatch(/^miss/);
      expect(edited.headers['x-splice']).toMatch(/^patched; .*applied=1; skipped=0/);

      // An edit to the server entry alone (the client build does not change) is prerendered too.
      const server = path.join(app.dir, 'src', 'server.tsx');
      let at = dev.output().length;
      fs.writeFileSync(server, fs.readFileSync(server, 'utf8').replace('<title>Fixture</title>', '<title>Fixture, edited</title>'));
      await dev.waitFor(/worker reloaded/, at + (await dev.waitFor(/client and server built/, at)).index!);
      expect((await get(`${url!}/`)).body).toContain('<title>Fixture, edited</title>');

      // A build that fails leaves the last good one serving, pages and worker together.
      at = dev.output().length;
      fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}\nexport const broken = ;\n`);
      await dev.waitFor(/SPLICE001|Unexpected token/, at);
      await new Promise((r) => setTimeout(r, 1000));
      const during = await get(`${url!}/`, { 'cf-ipcountry': 'DE' });
      expect(during.body).toContain('Howdy, <!-- -->Freund');
      expect(during.headers['x-splice']).toMatch(/^patched; .*applied=1; skipped=0/);
      at = dev.output().length;
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('\nexport const broken = ;\n', ''));
      await dev.waitFor(/worker reloaded/, at + (await dev.waitFor(/client and server built/, at)).index!);

      // An edit to the config (only the worker imports it) rebuilds just the worker.
      const again = dev.output().length;
      const config = path.join(app.dir, 'src', 'splice.config.ts');
      fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace("'Willkommen im Laden.'", "'Herzlich willkommen.'"));
      const rebuilt = await dev.waitFor(/rebuilding the worker \(src\/splice\.config\.ts changed\)/, again);
      await dev.waitFor(/worker reloaded/, again + rebuilt.index!);
      expect((await get(`${url!}/`, { 'cf-ipcountry': 'DE' })).body).toContain('<p>Herzlich willkommen.</p>');
    } finally {
      await dev.stop();
      app.remove();
    }
  });

  it('--runtime workerd: the same worker in workerd, reloaded after an edit, with the same log', async () => {
    const app = scratchApp('workerd');
    const dev = spliceDev(app.dir, ['--port', '0', '--runtime', 'workerd']);
    try {
      const [, url] = await dev.waitFor(/splice dev: (http:\/\/127\.0\.0\.1:\d+)  \(worker in workerd/);
      await dev.waitFor(/worker built/);
      const page = await get(`${url!}/`, { 'cf-ipcountry': 'DE' });
      expect(page.body).toContain('Hello, <!-- -->Freund');
      await dev.waitFor(/GET \/ 200 · \d+ ms to first byte · patched; applied=1; skipped=0/);
      const mark = dev.output().length;
      const config = path.join(app.dir, 'src', 'splice.config.ts');
      fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace("'Willkommen im Laden.'", "'Herzlich willkommen.'"));
      const rebuilt = await dev.waitFor(/rebuilding the worker \(src\/splice\.config\.ts changed\)/, mark);
      await dev.waitFor(/worker reloaded/, mark + rebuilt.index!);
      expect((await get(`${url!}/`, { 'cf-ipcountry': 'DE' })).body).toContain('<p>Herzlich willkommen.</p>');

      // A worker that throws as it starts: workerd refuses it, and the last good one keeps serving.
      const before = dev.output().length;
      fs.writeFileSync(config, `${fs.readFileSync(config, 'utf8')}\nthrow new Error('boom at startup');\n`);
      await dev.waitFor(/boom at startup|failed to start/i, before);
      const still = await get(`${url!}/`, { 'cf-ipcountry': 'DE' });
      expect(still.status).toBe(200);
      expect(still.body).toContain('<p>Herzlich willkommen.</p>');
    } finally {
      await dev.stop();
      app.remove();
    }
  });

  it('recovers when the first worker build failed and the file is fixed', async () => {
    const app = scratchApp('broken');
    const worker = path.join(app.dir, 'src', 'worker.ts');
    const good = fs.readFileSync(worker, 'utf8');
    fs.writeFileSync(worker, `${good}\nexport const broken = ;\n`);
    const dev = spliceDev(app.dir, ['--port', '0']);
    try {
      const [, url] = await dev.waitFor(/splice dev: (http:\/\/127\.0\.0\.1:\d+)/);
      await dev.waitFor(/client and server built/);
      const failed = await get(`${url!}/`);
      expect(failed.status).toBe(503);
      expect(failed.body).toContain('the build failed');
      const at = dev.output().length;
      fs.writeFileSync(worker, good);
      await dev.waitFor(/worker (built|reloaded)/, at);
      expect((await get(`${url!}/`, { 'cf-ipcountry': 'DE' })).body).toContain('Hello, <!-- -->Freund');
    } finally {
      await dev.stop();
      app.remove();
    }
  });

  it('keeps the last good worker on disk when a worker rebuild fails (splice preview and a deploy read it from there)', async () => {
    const app = scratchApp('keep-worker');
    const worker = path.join(app.dir, 'src', 'worker.ts');
    const bundle = path.join(app.dir, 'dist', 'worker', 'worker.mjs');
    const dev = spliceDev(app.dir, ['--port', '0']);
    try {
      await dev.waitFor(/worker built/);
      const good = fs.readFileSync(bundle, 'utf8');
      const at = dev.output().length;
      fs.writeFileSync(worker, `${fs.readFileSync(worker, 'utf8')}\nexport const broken = ;\n`);
      await dev.waitFor(/rebuilding the worker[\s\S]*(Module build failed|SyntaxError)/, at);
      // Let a write of the failed output, if any, land.
      await new Promise((r) => setTimeout(r, 500));
      expect(fs.readFileSync(bundle, 'utf8')).toBe(good);
    } finally {
      await dev.stop();
      app.remove();
    }
  });

  it('prerenders a server build that succeeded in a round the client build failed, once the client is fixed', async () => {
    const app = scratchApp('client-failed');
    // A module only the client build has, beside the components: while it fails, the client
    // build still follows client.tsx's other imports, and an edit to one rebuilds both builds.
    const client = path.join(app.dir, 'src', 'clientOnly.ts');
    const good = "export const started = Date.now();\n";
    fs.writeFileSync(client, good);
    const entry = path.join(app.dir, 'src', 'client.tsx');
    fs.writeFileSync(entry, `import './clientOnly';\n${fs.readFileSync(entry, 'utf8')}`);
    const greeting = path.join(app.dir, 'src', 'Greeting.tsx');
    const dev = spliceDev(app.dir, ['--port', '0']);
    try {
      const [, url] = await dev.waitFor(/splice dev: (http:\/\/127\.0\.0\.1:\d+)/);
      await dev.waitFor(/worker built/);
      let at = dev.output().length;
      fs.writeFileSync(client, `${good}export const broken = ;\n`);
      await dev.waitFor(/SPLICE001|Unexpected token|Module parse failed/, at);
      // An edit to a component both builds have: the server build succeeds (and writes its
      // bundle), the client build still fails, so nothing is prerendered yet.
      at = dev.output().length;
      fs.writeFileSync(greeting, fs.readFileSync(greeting, 'utf8').replace('Hello, {name}', 'Howdy, {name}'));
      await dev.waitFor(/rebuilding client and server \(src\/Greeting\.tsx changed\)[\s\S]*(SPLICE001|Unexpected token|Module parse failed)/, at);
      // Fixed: only the client build runs again; the server's last bundle must reach the pages.
      at = dev.output().length;
      fs.writeFileSync(client, good);
      const rebuilt = await dev.waitFor(/client rebuilt|client and server built/, at);
      expect(rebuilt[0]).toBe('client and server built');
      await dev.waitFor(/worker reloaded/, at + rebuilt.index!);
      expect((await get(`${url!}/`, { 'cf-ipcountry': 'DE' })).body).toContain('Howdy, <!-- -->Freund');
    } finally {
      await dev.stop();
      app.remove();
    }
  });

  it('names a busy debugger port', async () => {
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    const app = scratchApp('busy-inspect');
    try {
      for (const runtime of ['node', 'workerd']) {
        const r = splice(app.dir, ['dev', '--port', '0', '--runtime', runtime, `--inspect=${port}`]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`the debugger port ${port} is in use: stop what uses it, or pass --inspect=0 for any free port`);
      }
    } finally {
      busy.close();
      app.remove();
    }
  });

  it('rebuilds the worker after each save of a file only it imports, when the editor saves by replacing the file', async () => {
    const app = scratchApp('safe-write');
    const config = path.join(app.dir, 'src', 'splice.config.ts');
    // What "safe write" editors do: write a new file beside it, then rename it over the old one.
    const replace = (text: string) => {
      fs.writeFileSync(`${config}.tmp`, text);
      fs.renameSync(`${config}.tmp`, config);
    };
    const dev = spliceDev(app.dir, ['--port', '0']);
    try {
      const [, url] = await dev.waitFor(/splice dev: (http:\/\/127\.0\.0\.1:\d+)/);
      await dev.waitFor(/worker built/);
      for (const text of ['Herzlich willkommen.', 'Schön, dass du da bist.']) {
        const at = dev.output().length;
        replace(fs.readFileSync(config, 'utf8').replace(/'Willkommen im Laden\.'|'Herzlich willkommen\.'/, `'${text}'`));
        const rebuilt = await dev.waitFor(/rebuilding the worker \(src\/splice\.config\.ts changed\)/, at, 20_000);
        await dev.waitFor(/worker reloaded/, at + rebuilt.index!);
        expect((await get(`${url!}/`, { 'cf-ipcountry': 'DE' })).body).toContain(`<p>${text}</p>`);
      }
    } finally {
      await dev.stop();
      app.remove();
    }
  });

  it('refuses a PORT that is no port number, naming it, as it refuses such a --port', async () => {
    const app = scratchApp('bad-port');
    try {
      for (const port of ['eighty', '80.5']) {
        const r = spawnSync(process.execPath, [BIN, 'dev'], { cwd: app.dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', PORT: port }, timeout: 60_000 });
        expect({ port, code: r.status, stderr: r.stderr }).toEqual({ port, code: 2, stderr: `splice dev: PORT takes a port number (0–65535), not ${port}\n` });
      }
    } finally {
      app.remove();
    }
  });

  it('names a busy port and what to do', async () => {
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    const app = scratchApp('busy');
    try {
      const r = splice(app.dir, ['dev', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`splice dev: port ${port} is in use on 127.0.0.1: stop what runs there, or choose another port`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      busy.close();
      app.remove();
    }
  });

  it.each(['node', 'workerd'])('--inspect in %s: a breakpoint set by the TypeScript line of a config rule binds, and stops with the request in scope', async (runtime) => {
    const app = scratchApp(`inspect-${runtime}`);
    const dev = spliceDev(app.dir, ['--port', '0', '--inspect=0', '--runtime', runtime]);
    let socket: WebSocket | undefined;
    try {
      const [, inspectorUrl] = await dev.waitFor(/debugger listening on (ws:\/\/\S+)/);
      const [, url] = await dev.waitFor(/splice dev: (http:\/\/127\.0\.0\.1:\d+)/);
      await dev.waitFor(/worker built/);

      // What an editor does: map the original line through the worker's source map, set the breakpoint there.
      const config = path.join(app.dir, 'src', 'splice.config.ts');
      const line = fs.readFileSync(config, 'utf8').split('\n').findIndex((l) => l.includes("if (country === 'DE')")) + 1;
      const workerFile = path.join(app.dir, 'dist', 'worker', 'worker.mjs');
      const map = new SourceMapConsumer(JSON.parse(fs.readFileSync(`${workerFile}.map`, 'utf8')));
      const source = map.sources.find((s) => s.endsWith('src/splice.config.ts'))!;
      expect(source).toBeDefined();
      const generated = map.generatedPositionFor({ source, line, column: 0, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
      expect(generated.line).not.toBeNull();

      socket = new WebSocket(inspectorUrl!);
      await new Promise((resolve, reject) => { socket!.once('open', resolve); socket!.once('error', reject); });
      let id = 0;
      const pending = new Map<number, (result: unknown) => void>();
      const events: { method: string; params: any }[] = [];
      const eventWaiters: (() => void)[] = [];
      socket.on('message', (data) => {
        const m = JSON.parse(String(data));
        if (m.id !== undefined) pending.get(m.id)?.(m.result ?? m.error);
        else { events.push(m); for (const w of eventWaiters.splice(0)) w(); }
      });
      const send = (method: string, params: object = {}) => new Promise<any>((resolve) => { pending.set(++id, resolve); socket!.send(JSON.stringify({ id, method, params })); });
      const event = async (method: string) => {
        for (;;) {
          const found = events.find((e) => e.method === method);
          if (found) return found.params;
          await new Promise<void>((r) => eventWaiters.push(r));
        }
      };

      await send('Debugger.enable');
      const set = await send('Debugger.setBreakpointByUrl', { urlRegex: 'worker\\.mjs', lineNumber: generated.line - 1, columnNumber: generated.column });
      expect(set.locations.length).toBeGreaterThan(0);

      const response = get(`${url!}/`, { 'cf-ipcountry': 'DE' });
      const paused = await event('Debugger.paused');
      const frame = paused.callFrames[0];
      // Stopped on that TypeScript line, with the request's country in scope.
      const original = map.originalPositionFor({ line: frame.location.lineNumber + 1, column: frame.location.columnNumber });
      expect(original.source.endsWith('src/splice.config.ts')).toBe(true);
      expect(original.line).toBe(line);
      const country = await send('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: 'country' });
      expect(country.result).toMatchObject({ type: 'string', value: 'DE' });
      await send('Debugger.resume');
      expect((await response).body).toContain('Hello, <!-- -->Freund');
    } finally {
      socket?.close();
      await dev.stop();
      app.remove();
    }
  });
});
