import type { Compiler, Compilation, Configuration, StatsError } from 'webpack';
import type { SplicePluginOptions } from './SplicePlugin';
import { isRspack } from './toolchain';
import type { HostName } from '@splice/manifest';
import * as nodePath from 'path';
import { existsSync } from 'fs';
import { createHash } from 'crypto';

export interface EdgeModuleJob {
  filename: string;
  pluginOptions: Required<Omit<SplicePluginOptions, 'edgeModule' | 'config' | 'componentTypes' | 'manifestFilename' | 'inlinedEnv'>>;
  /** The app build's: the components are analysed alike, and its `DefinePlugin`s come along. */
  inlinedEnv: string[];
  resources: { resources: string[]; keys: string[]; hosts: HostName[] };
}

const PLUGIN = 'SplicePlugin';
const LOADER = require.resolve('./loader');

/** The rule SplicePlugin adds to the app's rules under rspack (see SplicePlugin). */
function isSpliceRule(rule: unknown): boolean {
  const use = (rule as { use?: unknown } | null)?.use;
  return Array.isArray(use) && use.some((u) => (u as { loader?: unknown } | null)?.loader === LOADER);
}

/**
 * The import of one function a `host` expression calls, as `local`: tailwind-merge's `twMerge`,
 * or an app helper (`path/from/root.ts#name`) from its module, resolved from the app's root.
 */
function hostImport(host: HostName, local: string, root: string): string {
  if (host === 'twMerge') return `import { twMerge as ${local} } from 'tailwind-merge';`;
  const at = host.lastIndexOf('#');
  const file = JSON.stringify(nodePath.resolve(root, host.slice(0, at)));
  const exported = host.slice(at + 1);
  return exported === 'default' ? `import ${local} from ${file};` : `import { ${exported} as ${local} } from ${file};`;
}

/**
 * The file of React's legacy server build for workers, or null. `react-dom/server` for workers
 * (`server.edge.js`) requires two builds, the streaming one and the legacy one behind
 * `renderToString`; the renderer calls only `renderToString`, and a CommonJS require cannot be
 * shaken out. Pointing the renderer's import at the legacy build alone halves the React in the
 * edge module: less for webpack to parse at every build, for the worker at every cold start.
 * Only where that file is (React 19's layout, or 18's `.min.js`); otherwise as resolved.
 */
function legacyServerBuild(context: string): string | null {
  let dir: string;
  try {
    dir = nodePath.dirname(require.resolve('react-dom/package.json', { paths: [context] }));
  } catch {
    return null;
  }
  for (const name of ['react-dom-server-legacy.browser.production.js', 'react-dom-server-legacy.browser.production.min.js']) {
    const file = nodePath.join(dir, 'cjs', name);
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * The edge module's compiler. Under webpack it is kept for the app's compiler and the same entry
 * (the same re-renderable modules), with a memory cache, and closed with the app's compiler: a
 * rebuild (watch mode, `splice dev`) then builds only what changed, not React's server renderer
 * again. Otherwise (rspack, or a compiler without a `shutdown` hook) one per build, closed after it.
 */
const children = new WeakMap<Compiler, { entry: string; child: Compiler }>();
const tapped = new WeakSet<Compiler>();

function childCompiler(compiler: Compiler, config: Configuration, entry: string): { child: Compiler; kept: boolean } {
  const keep = !isRspack(compiler) && compiler.hooks.shutdown !== undefined;
  const known = children.get(compiler);
  if (keep && known !== undefined && known.entry === entry) {
    // Where the app's build writes now (a dev server may have given it another file system).
    known.child.outputFileSystem = compiler.outputFileSystem;
    return { child: known.child, kept: true };
  }
  if (known !== undefined) {
    children.delete(compiler);
    known.child.close(() => undefined);
  }
  const persistent = persistentCache(compiler, config);
  const child = compiler.webpack(persistent !== null ? { ...config, cache: persistent } : keep ? { ...config, cache: { type: 'memory' } } : config);
  // Where the app's own build writes (a memory file system in tests and dev servers).
  child.outputFileSystem = compiler.outputFileSystem;
  if (keep) {
    if (!tapped.has(compiler)) {
      tapped.add(compiler);
      compiler.hooks.shutdown.tapAsync(PLUGIN, (done: () => void) => forgetChild(compiler, done));
    }
    children.set(compiler, { entry, child });
  }
  return { child, kept: keep };
}

/**
 * Webpack's filesystem cache for the edge module, where the app's build has one: its own name
 * in the app's cache folder. Without it, an app whose builds cache to disk still had React's
 * server renderer parsed again for the edge module at every build (≈ 150 ms), which alone
 * doubled a warm build of the storefront. Invalidated as webpack invalidates any persistent cache
 * (the files its modules were built from, their packages' versions, resolver options, the app's
 * config files), by this package and the compiler (which make the config and instrument the
 * components), and by a digest of the config made here from the app's rules and aliases and
 * where React's server build was found: a change webpack would not see in a file changes the
 * cache's version. Null when the app's build does not cache to disk: the edge module does not
 * either.
 */
function persistentCache(compiler: Compiler, config: Configuration): Configuration['cache'] | null {
  const cache = compiler.options.cache;
  if (typeof cache !== 'object' || cache === null || cache.type !== 'filesystem' || isRspack(compiler)) return null;
  let shape: string;
  try {
    shape = JSON.stringify([config.module, config.resolve, config.optimization, config.target], (_key, value: unknown) => (value instanceof RegExp || typeof value === 'function' ? String(value) : value));
  } catch {
    // A rule that cannot be written out (a cycle, a BigInt): not cached to disk, as without a cache.
    return null;
  }
  return {
    type: 'filesystem',
    ...(cache.cacheDirectory !== undefined ? { cacheDirectory: cache.cacheDirectory } : {}),
    // A cache the app keeps read-only (a CI's prepared cache) is read, never written.
    ...(cache.readonly === true ? { readonly: true } : {}),
    version: `${cache.version ?? ''}|${createHash('sha256').update(shape).digest('hex').slice(0, 16)}`,
    name: `${cache.name ?? compiler.options.name ?? 'app'}-splice-edge`,
    buildDependencies: { ...cache.buildDependencies, splice: [__filename, require.resolve('@splice/compiler')] },
  };
}

function forgetChild(compiler: Compiler, done: () => void): void {
  const known = children.get(compiler);
  children.delete(compiler);
  if (known === undefined) done();
  else known.child.close(() => done());
}

/**
 * Builds the edge module with a second webpack run of the same rules: the re-renderable
 * components (instrumented exactly as in the app, so their keys match the manifest), the
 * `@splice/client/render` renderer and React's Web-standard server build, as one ES module for
 * workers: no Node built-ins, React in production mode. Its size goes to the build's log.
 */
export async function buildEdgeModule(compiler: Compiler, compilation: Compilation, job: EdgeModuleJob): Promise<void> {
  const logger = compilation.getLogger(PLUGIN);
  const { resources, keys, hosts } = job.resources;
  const entry = [
    `import { createRenderer } from '@splice/client/render';`,
    // Imported as namespaces and referenced, not bare: a `"sideEffects": false` over the app's
    // components (a UI package often declares it) would let webpack drop a bare import, and with
    // it the registration of every re-renderable component.
    ...resources.map((r, i) => `import * as __splice_component_${i} from ${JSON.stringify(r)};`),
    ...(resources.length === 0 ? [] : [`void [${resources.map((_, i) => `__splice_component_${i}`).join(', ')}];`]),
    // The package functions value holes call, as the app resolves them: the same code as its server render's.
    ...hosts.map((h, i) => hostImport(h, `__splice_host_${i}`, compiler.context)),
    `/** Keys of the components this module can re-render. */`,
    `export const components = ${JSON.stringify(keys)};`,
    `export const renderer = createRenderer({ identifierPrefix: ${JSON.stringify(job.pluginOptions.identifierPrefix)}${hosts.length === 0 ? '' : `, hosts: { ${hosts.map((h, i) => `${JSON.stringify(h)}: __splice_host_${i}`).join(', ')} }`} });`,
    '',
  ].join('\n');
  const parent = compiler.options;
  // Loaded lazily by the plugin module that imports this one: a cycle through `require` is fine.
  const { SplicePlugin } = require('./SplicePlugin') as typeof import('./SplicePlugin');
  const legacy = legacyServerBuild(compiler.context);
  // As webpack reads the app's mode: none set is production.
  const production = parent.mode === 'production' || parent.mode === undefined;
  const config: Configuration = {
    name: 'splice-edge',
    context: compiler.context,
    mode: 'production',
    target: 'webworker',
    devtool: false,
    entry: { [job.filename.replace(/\.m?js$/, '')]: `data:text/javascript,${encodeURIComponent(entry)}` },
    // Under rspack the app's rules hold the `pre` rule of its own SplicePlugin: the edge module's plugin adds its own.
    module: {
      rules: [
        ...parent.module.rules.filter((rule) => !isSpliceRule(rule)),
        // Only the renderer's own import (see `legacyServerBuild`): an app module that imports
        // `react-dom/server` gets all of it.
        ...(legacy === null ? [] : [{ descriptionData: { name: '@splice/client' }, resolve: { alias: { 'react-dom/server$': legacy } } }]),
      ],
    },
    resolve: {
      // As the app resolves: a workspace package through its link, if the app does so.
      ...(parent.resolve.symlinks !== undefined ? { symlinks: parent.resolve.symlinks } : {}),
      // React's edge build: the browser one schedules with MessageChannel, which workerd lacks.
      conditionNames: ['workerd', 'edge-light', 'worker', 'browser', 'import', 'module', 'default'],
      ...(parent.resolve.extensions ? { extensions: parent.resolve.extensions } : {}),
      ...(parent.resolve.alias ? { alias: parent.resolve.alias } : {}),
    },
    experiments: { outputModule: true },
    output: {
      path: parent.output.path as string,
      filename: job.filename,
      library: { type: 'module' },
      chunkFormat: 'module',
      module: true,
    },
    // React's production build always (mode), but for an app's development build webpack's own
    // development defaults: no module concatenation or export analysis, which only make the
    // output smaller and cost a fifth of this build.
    optimization: {
      minimize: production,
      splitChunks: false,
      runtimeChunk: false,
      // Where webpack has the option (5.95 on, rspack): with it, webpack renames the inlined
      // entry's names apart from every other module's by parsing each module's rendered code
      // again, which here is React's whole server build, a second parse of it at every build
      // (a fifth of this build). An IIFE around the few lines of the entry costs nothing.
      ...('avoidEntryIife' in parent.optimization ? { avoidEntryIife: false } : {}),
      ...(production ? {} : { concatenateModules: false, usedExports: false, mangleExports: false, innerGraph: false, moduleIds: 'named' as const, realContentHash: false }),
    },
    // Where the app says files change without their package's version (a linked or patched
    // package under node_modules): a component served from a cache, memory or disk, is checked as
    // the app's build checks it.
    snapshot: {
      ...(parent.snapshot?.managedPaths !== undefined ? { managedPaths: parent.snapshot.managedPaths } : {}),
      ...(parent.snapshot?.immutablePaths !== undefined ? { immutablePaths: parent.snapshot.immutablePaths } : {}),
      ...(parent.snapshot?.unmanagedPaths !== undefined ? { unmanagedPaths: parent.snapshot.unmanagedPaths } : {}),
    },
    performance: false,
    infrastructureLogging: { level: 'error' },
    // The components' analysis only: no manifest, component map, config check or edge module of its own.
    plugins: [
      new SplicePlugin({ test: job.pluginOptions.test, exclude: job.pluginOptions.exclude, runtimeModule: job.pluginOptions.runtimeModule, identifierPrefix: job.pluginOptions.identifierPrefix, inlinedEnv: job.inlinedEnv, manifestFilename: false, componentTypes: false, edgeModule: false }),
      // The app's constants (`process.env.NEXT_PUBLIC_…`): a re-render reads what the origin's render read.
      ...(parent.plugins ?? []).filter((p) => p instanceof compiler.webpack.DefinePlugin),
    ],
  };
  const stats = await new Promise<import('webpack').Stats | undefined>((resolve, reject) => {
    const { child, kept } = childCompiler(compiler, config, entry);
    child.run((error, result) => {
      if (!kept) child.close(() => (error ? reject(error) : resolve(result)));
      else if (error) forgetChild(compiler, () => reject(error));
      else resolve(result);
    });
  }).catch((error: unknown) => {
    compilation.errors.push(new compiler.webpack.WebpackError(`${PLUGIN}: the edge module could not be built: ${error instanceof Error ? error.message : String(error)}`));
    return undefined;
  });
  if (stats === undefined) return;
  if (stats.hasErrors()) {
    const info = stats.toJson({ all: false, errors: true, errorDetails: false, moduleTrace: true });
    // A message alone ("Can't resolve 'fs' in '/app/src'") names neither the module nor the line,
    // and the app's own build, for Node or the browser, resolved it: where, and from what component.
    const where = (e: StatsError) => {
      if (e.moduleName === undefined) return '';
      const importer = e.moduleTrace?.[0]?.originName;
      return `${e.moduleName}${e.loc ? ` ${e.loc}` : ''}${importer !== undefined ? ` (imported by ${importer})` : ''}\n`;
    };
    compilation.errors.push(new compiler.webpack.WebpackError(`${PLUGIN}: the edge module could not be built (it bundles the re-renderable components for workers: target 'webworker'):\n${(info.errors ?? []).map((e) => `${where(e)}${e.message}`).join('\n')}`));
    return;
  }
  // The compilation's own asset: a rebuild's stats list an asset it did not write again as size 0.
  const size = stats.compilation.getAsset(job.filename)?.source.size() ?? stats.toJson({ all: false, assets: true }).assets?.find((a) => a.name === job.filename)?.size ?? 0;
  logger.info(`edge module ${job.filename}: ${keys.length} re-renderable component(s), ${(size / 1024).toFixed(1)} KiB${production ? '' : ` (not minified: mode '${parent.mode ?? ''}')`}`);
}
