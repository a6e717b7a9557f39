import type { Compiler, Compilation, NormalModule as NormalModuleType } from 'webpack';
import type { ComponentEntry, HostName } from '@splice/manifest';
import { entryHoles, exprHosts } from '@splice/manifest';
import { BUILD_INFO_KEY, LOADER_API } from './api';
import type { LoaderApi, ModuleAnalysis } from './api';
import { buildManifest } from './manifest';
import { buildEdgeModule } from './edgeModule';
import { createBuildOutput } from './buildOutput';
import { isRspack, rspackCacheProblem, typescriptLoaderProblem } from './toolchain';
import { checkConfigOverrides, componentMapTypes, createModuleReader, formatDiagnostic } from '@splice/compiler';
import type { Diagnostic, DiagnosticCode, ParsedModules } from '@splice/compiler';

export interface SplicePluginOptions {
  /** Modules to analyze. Default: `.js .jsx .mjs .ts .tsx` files. */
  test?: RegExp;
  /** Modules never analyzed. Default: anything in `node_modules`. */
  exclude?: RegExp;
  /**
   * Asset name of the manifest, or `false` for none. Default `splice-manifest.json` in builds for
   * Node or workers, none in browser builds: their output folder is public, and the manifest
   * names your files and props (the edge uses the server build's).
   */
  manifestFilename?: string | false;
  /** Where instrumented modules import `useSpliceProps` from. Default `@splice/client`. */
  runtimeModule?: string;
  /**
   * File name of the edge module (next to the manifest), or `false` for none. It is a Web-standard
   * ES module that bundles the re-renderable components with `react-dom/server` and exports
   * `renderer` for `patchHtml` and the handler. Default: `splice-edge.mjs` in builds for Node or
   * workers, none in browser builds (its code has no business in a public folder).
   */
  edgeModule?: string | false;
  /** React's `identifierPrefix` the pages are rendered with (the edge re-renders with the same). Default ''. */
  identifierPrefix?: string;
  /**
   * Asset name of the component map (TypeScript declarations, next to the manifest), or `false`
   * for none. Default `splice-components.d.ts` in builds for Node or workers, none in browser
   * builds: `import type { SpliceComponents } from
   * './dist/server/splice-components'` and `defineConfig<SpliceComponents>(…)` make a misspelled
   * component or prop a type error.
   */
  componentTypes?: string | false;
  /**
   * Your `splice.config.ts` (relative to webpack's `context`): its overrides, and those of the
   * modules it imports by relative path, are checked against this build's manifest, and a
   * component or prop the build does not have, or that the analyzer refused, is a build error
   * (SPLICE040–043) naming the component, the prop and the reason. Give it to one build (the
   * server's): the check is the same in each.
   */
  config?: string;
  /**
   * Names of `process.env` this build replaces by constants: `NAME`, `PREFIX_*`, or `*` for all.
   * A component whose render reads one can be re-rendered at the edge, whose module gets this
   * build's `DefinePlugin`s, so it reads the same value; any other `process.env` read keeps a
   * component from being re-rendered (SPLICE030). Default: the names this build's `DefinePlugin`s
   * define (as Next.js defines `NEXT_PUBLIC_*`), and `NODE_ENV` when the build sets it to
   * `production` (the edge module's React is always production). Give them yourself when
   * something else replaces them (a Babel plugin).
   */
  inlinedEnv?: string[];
}

const PLUGIN = 'SplicePlugin';
const KEPT_OUTPUT: DiagnosticCode = 'SPLICE052';

export class SplicePlugin {
  private readonly options: Required<Omit<SplicePluginOptions, 'edgeModule' | 'config' | 'componentTypes' | 'manifestFilename' | 'inlinedEnv'>> & { edgeModule: string | false | undefined; config: string | undefined; componentTypes: string | false | undefined; manifestFilename: string | false | undefined; inlinedEnv: string[] | undefined };

  constructor(options: SplicePluginOptions = {}) {
    this.options = {
      test: options.test ?? /\.(?:[cm]?jsx?|tsx?)$/,
      exclude: options.exclude ?? /[\\/]node_modules[\\/]/,
      manifestFilename: options.manifestFilename,
      runtimeModule: options.runtimeModule ?? '@splice/client',
      edgeModule: options.edgeModule,
      identifierPrefix: options.identifierPrefix ?? '',
      componentTypes: options.componentTypes,
      config: options.config,
      inlinedEnv: options.inlinedEnv,
    };
  }

  apply(compiler: Compiler): void {
    const { webpack } = compiler;
    // webpack runs loaders from the last to the first: appended last, ours sees the source
    // before babel/ts/swc, and the user's module.rules are never touched.
    const loaderPath = require.resolve('./loader');
    const remapLoaderPath = require.resolve('./remapLoader');
    const { test, exclude, runtimeModule } = this.options;

    // Before anything is compiled: a toolchain that cannot work fails every module with an error
    // that says neither why nor what to do.
    let toolchainProblem: string | null | undefined;
    compiler.hooks.beforeCompile.tapAsync(PLUGIN, (_params, callback) => {
      if (toolchainProblem === undefined) toolchainProblem = typescriptLoaderProblem(compiler) ?? rspackCacheProblem(compiler);
      if (toolchainProblem === null) return callback();
      const error = new Error(toolchainProblem);
      error.name = 'SpliceConfigError';
      // The plugin's stack says nothing the message does not.
      error.stack = `${error.name}: ${error.message}`;
      callback(error);
    });

    // The notes, the summary and repeated syntax errors, printed once across the builds of a run.
    const output = createBuildOutput(compiler);

    // rspack (webpack's API, in Rust) has no `beforeLoaders` hook and keeps no `buildInfo` a
    // plugin writes: there the loader is added as a `pre` rule, and the analyses are kept here,
    // per compiler, by resource (a watch rebuild analyzes only what changed). docs/rspack.md.
    const rspack = isRspack(compiler);
    const kept = new Map<string, ModuleAnalysis>();
    if (rspack) {
      compiler.options.module.rules.push({ test, exclude, enforce: 'pre', use: [{ loader: loaderPath }] });
    }

    // The manifest and component map of this compiler's last build without errors, by asset name.
    let lastGood: Map<string, string> | undefined;

    compiler.hooks.thisCompilation.tap(PLUGIN, (compilation: Compilation) => {
      output.start();
      const hooks = webpack.NormalModule.getCompilationHooks(compilation);
      // The build's own extension order: the analysis reads the file the bundle imports.
      const extensions = (compiler.options.resolve as { extensions?: unknown } | undefined)?.extensions;
      const modules = { readModule: createModuleReader({ extensions: Array.isArray(extensions) ? extensions.filter((e): e is string => typeof e === 'string') : [] }), moduleCache: new Map() as ParsedModules };
      // Read here, not in apply(): webpack sets its option defaults (nodeEnv) after the plugins' apply.
      const inlinedEnv = this.options.inlinedEnv ?? definedEnv(compiler);

      if (!rspack) hooks.beforeLoaders.tap(PLUGIN, (loaders, module, loaderContext) => {
        const resource = module.resource;
        if (!resource || !test.test(resource) || exclude.test(resource)) return;
        const entry = (loader: string) => ({ loader, options: undefined, ident: undefined, type: undefined }) as (typeof loaders)[number];
        if (!loaders.some((l) => l.loader === loaderPath)) loaders.push(entry(loaderPath));
        // First in the list, so it runs after every other loader: see remapLoader.ts.
        if (loaderContext.sourceMap && !loaders.some((l) => l.loader === remapLoaderPath)) loaders.unshift(entry(remapLoaderPath));
      });

      hooks.loader.tap(PLUGIN, (loaderContext, module) => {
        // Under rspack, by the module's resource (its query included: `./Hero.jsx?v=1` is a module
        // of its own), and forgotten as its build starts: a build that fails leaves no analysis.
        const resource = (loaderContext as unknown as { resource?: string }).resource ?? module.resource;
        if (rspack) kept.delete(resource);
        const api: LoaderApi = {
          runtimeModule,
          inlinedEnv,
          modules,
          report(analysis: ModuleAnalysis) {
            if (rspack) {
              kept.set(resource, analysis);
              return;
            }
            module.buildInfo ??= {};
            (module.buildInfo as Record<string, unknown>)[BUILD_INFO_KEY] = analysis;
          },
        };
        (loaderContext as unknown as Record<symbol, LoaderApi>)[LOADER_API] = api;
      });

      // Decided here: the target's platform is known only once webpack has applied its options.
      const platform = compiler.platform;
      const browserOnly = platform.web && !platform.node && !platform.webworker;
      const manifestFilename = this.options.manifestFilename ?? (browserOnly ? false : 'splice-manifest.json');
      const componentTypes = this.options.componentTypes ?? (browserOnly ? false : 'splice-components.d.ts');
      compilation.hooks.processAssets.tap({ name: PLUGIN, stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        // Every analyzed module, built now or served from the cache, with its notes.
        const components = new Map<string, ComponentEntry>();
        const notes: Diagnostic[] = [];
        for (const { analysis } of analyses(compilation, kept)) {
          for (const [key, entry] of Object.entries(analysis.components)) components.set(key, entry);
          for (const d of analysis.diagnostics) if (d.severity === 'info') notes.push(d);
        }
        // A module that failed has no analysis (or the one of a source that no longer builds), and
        // the edge module is not rebuilt: a manifest of this build would drop its components while
        // the edge keeps the old code. Development builds write their output despite errors
        // (`optimization.emitOnErrors`), so the last good build's files are written again, which
        // also keeps `output.clean` from deleting them.
        const failed = compilation.errors.length > 0;
        if (failed && (manifestFilename !== false || componentTypes !== false)) {
          const names = [manifestFilename, componentTypes].filter((n): n is string => n !== false);
          const restored = lastGood !== undefined && names.every((n) => lastGood!.has(n));
          if (restored) for (const name of names) compilation.emitAsset(name, new webpack.sources.RawSource(lastGood!.get(name)!));
          const warning = new webpack.WebpackError(
            restored
              ? `${KEPT_OUTPUT}: the build has errors: ${names.join(' and ')} ${names.length === 1 ? 'is' : 'are'} the last good build's${this.options.edgeModule === false ? '' : ', and the edge module is not rebuilt'}, until a build succeeds`
              : `${KEPT_OUTPUT}: the build has errors: no ${names.join(' or ')} is written until a build succeeds`,
          );
          warning.name = 'SpliceBuildWarning';
          warning.stack = '';
          compilation.warnings.push(warning);
        }
        if (failed) {
          // Checked against a manifest that misses the failed modules' components, a correct config
          // would get errors too; its files are still watched, so an edit to it rebuilds.
          if (this.options.config !== undefined) for (const file of checkConfigOverrides(this.options.config, buildManifest(components), compiler.context).files) compilation.fileDependencies.add(file);
        } else if (manifestFilename !== false || componentTypes !== false || this.options.config !== undefined) {
          const manifest = buildManifest(components);
          const good = new Map<string, string>();
          if (manifestFilename !== false) good.set(manifestFilename, JSON.stringify(manifest, null, 2) + '\n');
          const { config } = this.options;
          if (componentTypes !== false) {
            const propTypes: Record<string, Record<string, string>> = {};
            for (const { analysis } of analyses(compilation, kept)) Object.assign(propTypes, analysis.propTypes ?? {});
            good.set(componentTypes, componentMapTypes(manifest, propTypes));
          }
          for (const [name, text] of good) compilation.emitAsset(name, new webpack.sources.RawSource(text));
          lastGood = good;
          if (config !== undefined) {
            const check = checkConfigOverrides(config, manifest, compiler.context);
            // Watch mode checks again when the config or a module it imports changes.
            for (const file of check.files) compilation.fileDependencies.add(file);
            for (const d of check.diagnostics) {
              const error = new webpack.WebpackError(formatDiagnostic(d));
              error.name = 'SpliceConfigError';
              error.stack = '';
              compilation.errors.push(error);
            }
          }
        }
        // Last: the errors of the build are all in, and the other builds of the run may be waiting.
        output.report(compilation, { components, notes });
      });
    });
    compiler.hooks.failed.tap(PLUGIN, () => output.abort());

    if (this.options.edgeModule !== false) {
      compiler.hooks.afterEmit.tapPromise(PLUGIN, async (compilation) => {
        // Decided here: the target's platform is known only once webpack has applied its options.
        const platform = compiler.platform;
        const browserOnly = platform.web && !platform.node && !platform.webworker;
        const edgeModule = this.options.edgeModule ?? (browserOnly ? false : 'splice-edge.mjs');
        if (edgeModule === false || compilation.errors.length > 0) return;
        await buildEdgeModule(compiler, compilation, { filename: edgeModule, pluginOptions: this.options, inlinedEnv: this.options.inlinedEnv ?? definedEnv(compiler), resources: renderableModules(compilation, kept) });
      });
    }
  }
}

/**
 * The modules that define re-renderable components (the edge module imports them, they register
 * themselves), and the package functions any value hole calls (the edge module hands them over).
 */
function renderableModules(compilation: Compilation, kept: Map<string, ModuleAnalysis>): { resources: string[]; keys: string[]; hosts: HostName[] } {
  const resources = new Set<string>();
  const keys: string[] = [];
  const hosts = new Set<HostName>();
  for (const { module, analysis } of analyses(compilation, kept)) {
    for (const [key, entry] of Object.entries(analysis.components)) {
      for (const hole of entryHoles(entry)) exprHosts(hole, hosts);
      if (entry.render === undefined) continue;
      resources.add(module.resource);
      keys.push(key);
    }
  }
  return { resources: [...resources].sort(), keys: keys.sort(), hosts: [...hosts].sort() };
}

/** The modules the loader analyzed, with their analyses (kept in `buildInfo`, or under rspack in `kept`, by resource). */
function* analyses(compilation: Compilation, kept: Map<string, ModuleAnalysis>): Iterable<{ module: NormalModuleType; analysis: ModuleAnalysis }> {
  for (const module of allNormalModules(compilation)) {
    const analysis = ((module.buildInfo as Record<string, unknown> | undefined)?.[BUILD_INFO_KEY] as ModuleAnalysis | undefined) ?? kept.get(module.resource);
    if (analysis !== undefined) yield { module, analysis };
  }
}

/** Every normal module, including those scope hoisting folded into a concatenated module. */
function* allNormalModules(compilation: Compilation): Iterable<NormalModuleType> {
  const seen = new Set<unknown>();
  const visit = function* (m: any): Iterable<NormalModuleType> {
    if (seen.has(m)) return;
    seen.add(m);
    if (Array.isArray(m.modules) || m.modules instanceof Set) {
      for (const inner of m.modules) yield* visit(inner);
    } else if (typeof m.resource === 'string') {
      yield m as NormalModuleType;
    }
  };
  for (const m of compilation.modules) yield* visit(m);
}

/**
 * The names of `process.env` the compiler's `DefinePlugin`s replace (`process.env.NAME`, or a
 * whole `process.env` object), and `NODE_ENV` when webpack sets it to production. `NODE_ENV` is
 * the edge module's own (its build is always production, and its `process.env.NODE_ENV` wins
 * over a whole-object definition): an app build that defines it otherwise does not make it
 * inlined, and a whole `process.env` object counts only in a production build.
 */
export function definedEnv(compiler: Compiler): string[] {
  const names = new Set<string>();
  const fromObject = (env: unknown) => {
    if (typeof env === 'object' && env !== null) for (const name of Object.keys(env)) names.add(name);
    else names.add('*'); // code for the whole object: every read of it is a constant
  };
  for (const plugin of compiler.options.plugins ?? []) {
    if (!(plugin instanceof compiler.webpack.DefinePlugin)) continue;
    const definitions = (plugin as unknown as { definitions?: Record<string, unknown> }).definitions ?? {};
    for (const [key, value] of Object.entries(definitions)) {
      if (key.startsWith('process.env.')) names.add(key.slice('process.env.'.length));
      else if (key === 'process.env') fromObject(value);
      else if (key === 'process' && typeof value === 'object' && value !== null && 'env' in value) fromObject((value as { env: unknown }).env);
    }
  }
  const production = compiler.options.optimization?.nodeEnv === 'production';
  if (production) names.add('NODE_ENV');
  else {
    names.delete('NODE_ENV');
    names.delete('*');
  }
  return [...names].sort();
}
