import * as fs from 'fs';
import * as inspector from 'inspector';
import * as net from 'net';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Compiler, Configuration, MultiCompiler, MultiStats, Stats } from 'webpack';
import { createWorkerdRunner, memoryCaches, nodeAssets, startNodeServer } from '@splice/dev';
import type { WorkerModule, WorkerdRunner } from '@splice/dev';
import type { BuildLog } from './build';
import { copyPublic, prerender, report, serverBundle, webpackOf, workerFile } from './build';
import { outputPath } from './project';
import type { SpliceProject } from './project';
import { formatRequest, observeResponse } from './requestLog';

export interface DevLog extends BuildLog {
  /** One line per request (see `formatRequest`). */
  request(line: string): void;
}

export interface DevOptions {
  port?: number;
  host?: string;
  /** Where the worker runs: Node (this process, under its debugger) or workerd. Default `node`. */
  runtime?: 'node' | 'workerd';
  /** Open a debugger on this port (0: any free one): Node's inspector, or workerd's. */
  inspect?: number;
  log: DevLog;
  now?: () => number;
}

export interface DevServer {
  url: string;
  /** The debugger's WebSocket URL, with `inspect`. */
  inspectorUrl: string | null;
  close(): Promise<void>;
}

type Fetcher = WorkerModule<unknown>['fetch'];

/**
 * `splice dev`: the client and server builds in watch mode; after each, the pages prerendered
 * again; the worker build in watch mode (it imports the manifest, the page index and the config,
 * so an edit to any of them rebuilds it); each new worker loaded into the running server, and the
 * local edge cache purged. Requests wait for the first build; each is logged.
 */
export async function startDev(project: SpliceProject, options: DevOptions): Promise<DevServer> {
  const { log } = options;
  const now = options.now ?? (() => performance.now());
  const runtime = options.runtime ?? 'node';
  const webpack = webpackOf(project);
  const caches = memoryCaches();
  const assets = outputPath(project.client, project.root);
  const env = { ASSETS: nodeAssets(assets, Response, project.dev.assetHeaders), ...project.dev.env };

  let current: Fetcher | null = null;
  let failure: string | null = null;
  let reloads = 0;
  let ready!: () => void;
  const firstWorker = new Promise<void>((resolve) => { ready = resolve; });

  // While a rebuild runs, requests wait for it: pages, index and worker are served as one build.
  const busy = (() => {
    let count = 0;
    let idle: Promise<void> = Promise.resolve();
    let release: () => void = () => undefined;
    return {
      start() {
        if (count++ === 0) idle = new Promise<void>((r) => { release = r; });
      },
      end() {
        if (count > 0 && --count === 0) release();
      },
      idle: () => idle,
    };
  })();

  // The debugger's port and the server's are checked first: a busy one fails at once, not after a build.
  const inspectPort = options.inspect === undefined ? undefined : await debuggerPort(options.inspect, runtime);
  const server = await startNodeServer({
    port: options.port ?? 8787,
    ...(options.host !== undefined ? { host: options.host } : {}),
    caches,
    env,
    worker: {
      async fetch(request, workerEnv, ctx) {
        await firstWorker;
        await busy.idle();
        if (current === null) {
          return new Response(`splice dev: the build failed, so there is no worker to run. Fix the error shown in the terminal and reload this page after the next build.\n\n${failure ?? ''}`, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
        }
        const started = now();
        const response = await current(request, workerEnv, ctx);
        return observeResponse(request, response, started, now, (record) => log.request(formatRequest(record)));
      },
    },
  });

  let inspectorUrl: string | null = null;
  if (inspectPort !== undefined && runtime === 'node') {
    inspector.open(inspectPort, '127.0.0.1', false);
    inspectorUrl = inspector.url() ?? null;
    if (inspectorUrl === null) {
      await server.close();
      throw new Error(`the debugger could not listen on port ${inspectPort}: pass --inspect=0 for any free port`);
    }
    log.info(`splice dev: debugger listening on ${inspectorUrl} (chrome://inspect, or your editor's "attach"); breakpoints bind in the worker's and splice.config.ts's TypeScript through source maps`);
  }

  let runner: WorkerdRunner | null = null;
  const workerConfig = { ...project.worker };
  // Without source maps a debugger stops only in the bundle.
  if (!workerConfig.devtool) {
    workerConfig.devtool = 'source-map';
    log.info(`splice dev: the worker is built with devtool: 'source-map', so breakpoints bind in its TypeScript`);
  }

  const loadWorker = async (file: string) => {
    if (runtime === 'workerd') {
      // A new workerd each time: its cache starts empty (the purge), and a worker that fails to
      // start leaves the last good one serving. With a debugger the old one goes first: the port is one.
      const previous = runner;
      if (inspectPort !== undefined && previous !== null) {
        runner = null;
        current = null;
        await previous.dispose();
      }
      const next = await createWorkerdRunner({
        scriptPath: file, assetsDir: assets, bindings: project.dev.env, assetHeaders: project.dev.assetHeaders,
        ...(inspectPort !== undefined ? { inspectorPort: inspectPort } : {}),
      });
      // miniflare names the user's worker `core:user:` (an unnamed worker) in workerd's inspector.
      if (inspectPort !== undefined && previous === null && reloads === 0) log.info(`splice dev: debugger listening on ws://127.0.0.1:${inspectPort}/core:user: (workerd; chrome://inspect → Configure → 127.0.0.1:${inspectPort}); breakpoints bind in the worker's and splice.config.ts's TypeScript through source maps`);
      if (runner !== null) await runner.dispose();
      runner = next;
      current = (request) => next.fetch(request);
    } else {
      // A new URL each time: Node's module cache would otherwise hand back the first worker.
      const mod = (await import(`${pathToFileURL(file).href}?v=${reloads + 1}`)) as { default?: { fetch?: Fetcher } };
      const worker = mod.default;
      if (typeof worker?.fetch !== 'function') throw new Error(`${path.relative(project.root, file)} has no default export with a fetch(request, env, ctx) method`);
      current = (request, e, ctx) => worker.fetch!(request, e, ctx);
    }
    // Pages and manifest may have changed: the local edge cache starts over, as after a deploy.
    caches.clear();
    reloads++;
    failure = null;
    ready();
  };

  // The worker is built after every prerender, never by a watcher of its own inputs: the manifest,
  // the edge module and the page index are written one after another, and a worker built from a
  // mix of old and new would patch new pages by an old index. Its own sources (worker.ts, the
  // config) are watched separately. One build at a time; the compiler is kept for its cache.
  // Development builds write their output even when they fail; a failed build must not replace a
  // good one. Set before the compiler is made: webpack reads its options once, there.
  workerConfig.optimization = { ...workerConfig.optimization, emitOnErrors: false };
  const workerCompiler = webpack(workerConfig) as Compiler;
  let workerQueue = Promise.resolve();
  // Each file's folder is watched, not the file: an editor that saves by writing a new file and
  // renaming it over the old one ("safe write") leaves a watcher of the file on the old one,
  // which hears that first save and none after it.
  const watched = new Set<string>();
  const folders = new Map<string, fs.FSWatcher>();
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const outputs = [project.client, project.server, project.worker].map((c) => outputPath(c, project.root) + path.sep);
  const buildWorker = (why: string | null) => {
    busy.start();
    workerQueue = workerQueue.then(async () => {
      const building = now();
      if (why !== null) log.info(`splice dev: rebuilding the worker (${why} changed)…`);
      try {
        const stats = await new Promise<Stats>((resolve, reject) => workerCompiler.run((error, result) => (error || result === undefined ? reject(error ?? new Error('the worker build failed')) : resolve(result))));
        // Watched even when the build failed: fixing the file must rebuild it.
        watchSources(stats);
        const problem = report(stats, log);
        if (problem !== null) return fail(problem);
        await loadWorker(workerFile(stats));
        log.info(`splice dev: worker ${reloads === 1 ? 'built' : 'reloaded'} (${((now() - building) / 1000).toFixed(1)} s); serving ${server.url}`);
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      } finally {
        busy.end();
      }
    });
  };
  const watchSources = (stats: Stats) => {
    for (const file of stats.compilation.fileDependencies) {
      if (watched.has(file) || file.includes(`${path.sep}node_modules${path.sep}`) || !file.startsWith(project.root + path.sep) || outputs.some((o) => file.startsWith(o)) || !isFile(file)) continue;
      watched.add(file);
      const folder = path.dirname(file);
      if (folders.has(folder)) continue;
      folders.set(folder, fs.watch(folder, (_event, name) => {
        const changed = name === null ? null : path.join(folder, name.toString());
        if (changed === null || !watched.has(changed)) return;
        const timer = pending.get(changed);
        if (timer !== undefined) clearTimeout(timer);
        pending.set(changed, setTimeout(() => { pending.delete(changed); buildWorker(path.relative(project.root, changed)); }, 50));
      }));
    }
  };

  const fail = (message: string) => {
    failure = message;
    log.error(message);
    // The first build failed: requests get the error page instead of waiting.
    ready();
  };

  const withoutFailedOutput = (c: Configuration): Configuration => ({ ...c, optimization: { ...c.optimization, emitOnErrors: false } });
  const app = webpack([withoutFailedOutput(project.client), withoutFailedOutput(project.server)]) as MultiCompiler;
  const serverCompiler = app.compilers[1]!;
  showProgress(app, webpack.ProgressPlugin);
  let appStarted = now();
  let appBuilding = false;
  // A multi-compiler calls this once per compiler an edit touches: one line per rebuild.
  app.hooks.invalid.tap('splice dev', (file: string | null) => {
    if (appBuilding) return;
    appBuilding = true;
    busy.start();
    appStarted = now();
    log.info(`splice dev: rebuilding client and server${file ? ` (${path.relative(project.root, file)} changed)` : ''}…`);
  });
  log.info('splice dev: building client and server…');
  let prerendering = Promise.resolve();
  // The server build of a round that failed in the client build: it wrote its bundle (each build
  // of a multi-compiler emits on its own errors only), and nothing prerendered from it. The fix
  // may rebuild the client alone, so the next good round prerenders this one.
  let unprerendered: Stats | undefined;
  const serverStatsOf = (stats: MultiStats) => stats.stats.find((s) => s.compilation.compiler === serverCompiler);
  busy.start();
  appBuilding = true;
  const appWatching = app.watch({}, (error, stats) => {
    const wasBuilding = appBuilding;
    appBuilding = false;
    // Held until the prerender and the worker build after it are done.
    const done = () => { if (wasBuilding) busy.end(); };
    if (error || stats === undefined) { done(); return fail(error?.message ?? 'the build failed'); }
    const problem = report(stats, log);
    if (problem !== null) {
      const server = serverStatsOf(stats as MultiStats);
      if (server !== undefined && !server.hasErrors()) unprerendered = server;
      done();
      return fail(problem);
    }
    // In watch mode only the builds an edit touched are in the stats: an edit to the client alone
    // changes no page (its bundle is served from disk as it is).
    const serverStats = serverStatsOf(stats as MultiStats) ?? unprerendered;
    unprerendered = undefined;
    if (serverStats === undefined) {
      done();
      log.info(`splice dev: client rebuilt (${((now() - appStarted) / 1000).toFixed(1)} s)`);
      return;
    }
    // One prerender at a time, in build order.
    prerendering = prerendering.then(async () => {
      try {
        copyPublic(project);
        await prerender(project, serverBundle(serverStats), log);
        // The served pages are read from disk: the cache of old ones goes.
        caches.clear();
        log.info(`splice dev: client and server built, ${Object.keys(project.prerender.routes).length} page(s) prerendered (${((now() - appStarted) / 1000).toFixed(1)} s)`);
        // The worker bundles the page index: it is built again after every prerender (webpack's
        // cache makes that quick when nothing it imports changed), so pages and worker agree.
        buildWorker(null);
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      } finally {
        done();
      }
    });
  });

  return {
    url: server.url,
    inspectorUrl,
    async close() {
      await new Promise<void>((resolve) => (appWatching ? appWatching.close(() => resolve()) : resolve()));
      for (const w of folders.values()) w.close();
      for (const timer of pending.values()) clearTimeout(timer);
      await workerQueue;
      await new Promise<void>((resolve) => workerCompiler.close(() => resolve()));
      await server.close();
      await (runner as WorkerdRunner | null)?.dispose();
      if (inspectorUrl !== null) inspector.close();
    },
  };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The debugger's port, checked free (0: a free one, chosen here, since workerd needs a number). */
async function debuggerPort(port: number, runtime: 'node' | 'workerd'): Promise<number> {
  const probe = net.createServer();
  const got = await new Promise<number | null>((resolve) => {
    probe.once('error', () => resolve(null));
    probe.listen(port, '127.0.0.1', () => resolve((probe.address() as net.AddressInfo).port));
  });
  if (got === null) throw new Error(`the debugger port ${port} is in use: stop what uses it, or pass --inspect=0 for any free port`);
  await new Promise((r) => probe.close(r));
  return runtime === 'node' && port === 0 ? 0 : got;
}

/**
 * On a terminal, one line that follows webpack's progress while the client and server build
 * (webpack's own ProgressPlugin); in a log or a pipe, nothing: the build's start and end lines say enough.
 */
function showProgress(compiler: MultiCompiler, ProgressPlugin: (new (handler: (percentage: number, message: string) => void) => { apply(compiler: MultiCompiler): void }) | undefined): void {
  if (ProgressPlugin === undefined || !process.stdout.isTTY) return;
  let shown = -1;
  new ProgressPlugin((percentage, message) => {
    const pct = Math.floor(percentage * 100);
    if (pct === shown) return;
    shown = pct;
    process.stdout.write(pct >= 100 ? '\r\x1b[2K' : `\r\x1b[2Ksplice dev: ${pct}% ${message}`.slice(0, process.stdout.columns ?? 80));
    if (pct >= 100) shown = -1;
  }).apply(compiler);
}
