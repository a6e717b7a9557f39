import * as fs from 'fs';
import * as path from 'path';
import type { Configuration } from 'webpack';

/**
 * What `splice build` and `splice dev` read: the app's webpack config module, exporting its three
 * builds and how to prerender. One file, the one the app already has:
 *
 * ```js
 * module.exports = {
 *   client,   // the browser bundle (SplicePlugin); its output folder is the site's static assets
 *   server,   // the Node bundle (SplicePlugin); it exports `prerender(route)` → the page's HTML
 *   worker,   // the edge worker, an ES module
 *   prerender: { routes: ['/', '/cart'] },
 *   publicDir: 'public',                // copied into the client's output first (optional)
 *   dev: { env: { SPLICE_SECRET: '…' }, assetHeaders: { 'surrogate-control': 'max-age=300' } } // (optional)
 * };
 * ```
 */
export interface SpliceProject {
  /** The config module's absolute path. */
  file: string;
  /** Its folder: relative paths in it are relative to this. */
  root: string;
  client: Configuration;
  server: Configuration;
  worker: Configuration;
  prerender: PrerenderOptions;
  /** Copied into the client output before the prerender writes its pages, or null. */
  publicDir: string | null;
  dev: {
    env: Record<string, unknown>;
    /**
     * Headers the local origin adds to every static file, to emulate your origin's or CDN's
     * caching: `Surrogate-Control` or `CDN-Cache-Control` for the edge, `Cache-Control` for
     * browsers. Default: `Cache-Control: public, max-age=60` alone.
     */
    assetHeaders: Record<string, string>;
  };
}

export interface PrerenderOptions {
  /** Route → the file under the client output it is written to (`/cart` → `cart/index.html`). */
  routes: Record<string, string>;
  /** The server bundle's export that renders a route to HTML. Default `prerender`. */
  export: string;
}

/** A config that cannot be used, with what to change. */
export class ProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectError';
  }
}

export const DEFAULT_CONFIG_FILES = ['webpack.config.js', 'webpack.config.cjs'];

/** Finds the config (`--config` or the defaults in `cwd`) and checks its shape. */
export function loadProject(cwd: string, configPath?: string): SpliceProject {
  const file = configPath !== undefined ? path.resolve(cwd, configPath) : DEFAULT_CONFIG_FILES.map((f) => path.join(cwd, f)).find((f) => fs.existsSync(f));
  if (file === undefined) throw new ProjectError(`no ${DEFAULT_CONFIG_FILES.join(' or ')} in ${cwd}: give one with --config <file>`);
  if (!fs.existsSync(file)) throw new ProjectError(`no such config file: ${file}`);
  // A fresh read each time: `splice dev` may load it again after an edit.
  delete require.cache[require.resolve(file)];
  let loaded: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file);
  } catch (error) {
    throw new ProjectError(`${path.relative(cwd, file) || file} could not be loaded: ${describeLoadError(error, file)}`);
  }
  return projectOf(loaded, file);
}

/** Checks a loaded config module; `file` is where it came from, for messages and relative paths. */
export function projectOf(loaded: unknown, file: string): SpliceProject {
  const where = path.basename(file);
  const m = (loaded !== null && typeof loaded === 'object' && 'default' in loaded && !('client' in loaded) ? (loaded as { default: unknown }).default : loaded) as Record<string, unknown> | null;
  if (m === null || typeof m !== 'object' || Array.isArray(m)) {
    throw new ProjectError(`${where} must export an object { client, server, worker, prerender } (webpack configs and the routes to prerender); it exports ${Array.isArray(m) ? 'an array' : typeof m}`);
  }
  for (const name of ['client', 'server', 'worker'] as const) {
    const c = m[name];
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new ProjectError(`${where}: \`${name}\` must be a webpack configuration object (export { client, server, worker })`);
  }
  const p = (m.prerender ?? {}) as { routes?: unknown; export?: unknown };
  const routes: Record<string, string> = {};
  const given = Array.isArray(p.routes) ? Object.fromEntries(p.routes.map((r) => [r, undefined])) : p.routes;
  if (given === null || typeof given !== 'object' || Object.keys(given).length === 0) {
    throw new ProjectError(`${where}: \`prerender.routes\` must list the pages to prerender, e.g. prerender: { routes: ['/', '/cart'] }`);
  }
  for (const [route, target] of Object.entries(given as Record<string, unknown>)) {
    if (!route.startsWith('/') || route.includes('..') || /[?#\\]/.test(route)) throw new ProjectError(`${where}: prerender route '${route}' must be a path starting with '/', without '..', '?' or '#'`);
    const file = target === undefined ? fileOfRoute(route) : target;
    if (typeof file !== 'string' || file.startsWith('/') || file.split(/[\\/]/).includes('..') || !file.endsWith('.html')) {
      throw new ProjectError(`${where}: prerender route '${route}' must map to a relative .html file inside the client output, not ${JSON.stringify(target)}`);
    }
    routes[route] = file;
  }
  const exportName = p.export ?? 'prerender';
  if (typeof exportName !== 'string') throw new ProjectError(`${where}: \`prerender.export\` must name the server bundle's export that renders a route`);
  const root = path.dirname(file);
  const publicDir = m.publicDir === undefined ? null : typeof m.publicDir === 'string' ? path.resolve(root, m.publicDir) : undefined;
  if (publicDir === undefined) throw new ProjectError(`${where}: \`publicDir\` must be a folder path`);
  const dev = (m.dev ?? {}) as { env?: unknown; assetHeaders?: unknown };
  if (dev.env !== undefined && (dev.env === null || typeof dev.env !== 'object')) throw new ProjectError(`${where}: \`dev.env\` must be an object of bindings`);
  if (dev.assetHeaders !== undefined && (dev.assetHeaders === null || typeof dev.assetHeaders !== 'object' || Object.values(dev.assetHeaders).some((v) => typeof v !== 'string'))) {
    throw new ProjectError(`${where}: \`dev.assetHeaders\` must be an object of header names to string values`);
  }
  return {
    file,
    root,
    client: m.client as Configuration,
    server: m.server as Configuration,
    worker: m.worker as Configuration,
    prerender: { routes, export: exportName },
    publicDir,
    dev: { env: { ...((dev.env as Record<string, unknown> | undefined) ?? {}) }, assetHeaders: { ...((dev.assetHeaders as Record<string, string> | undefined) ?? {}) } },
  };
}

/** `/` → `index.html`, `/cart` → `cart/index.html`, `/about.html` → `about.html`. */
export function fileOfRoute(route: string): string {
  const rel = route.replace(/^\/+/, '');
  if (rel === '') return 'index.html';
  if (rel.endsWith('.html')) return rel;
  return `${rel.replace(/\/+$/, '')}/index.html`;
}

/** Where a configuration writes its bundles. */
export function outputPath(config: Configuration, root: string): string {
  const out = config.output?.path;
  return out === undefined ? path.join(root, 'dist') : path.resolve(root, out);
}

/**
 * What went wrong loading the config, without the CLI's own frames: for a syntax error Node puts
 * the file, the line and a caret above the stack; a missing module's "Require stack" lists our files.
 */
function describeLoadError(error: unknown, file: string): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.split('\nRequire stack:')[0]!;
  if (error instanceof SyntaxError && error.stack !== undefined && error.stack.startsWith(file)) {
    return `${error.stack.split('\n').slice(0, 4).filter((l) => l.trim() !== '').join('\n')}\n${message}`;
  }
  const at = error.stack?.split('\n').find((l) => l.trim().startsWith('at ') && l.includes(file));
  return at !== undefined ? `${message} (${at.trim().replace(/^at /, '')})` : message;
}
