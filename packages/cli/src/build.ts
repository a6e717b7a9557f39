import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Compiler, Configuration, MultiCompiler, MultiStats, Stats } from 'webpack';
import type { SpliceProject } from './project';
import { outputPath } from './project';

/** Where progress and problems go: the terminal in the CLI, a buffer in tests. */
export interface BuildLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** A build step that failed: the message is what to show, without a stack. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

type Webpack = ((config: Configuration | Configuration[]) => Compiler | MultiCompiler) & { ProgressPlugin?: new (handler: (percentage: number, message: string) => void) => { apply(compiler: Compiler | MultiCompiler): void } };

/** The app's own webpack (resolved from the project, so its plugins and ours share one), else ours. */
export function webpackOf(project: SpliceProject): Webpack {
  let id: string;
  try {
    id = require.resolve('webpack', { paths: [project.root] });
  } catch {
    throw new BuildError(`webpack is not installed for ${project.root}: npm install --save-dev webpack`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(id) as Webpack;
}

/** The page index file the worker imports, next to the server bundle. */
export function pagesFile(project: SpliceProject): string {
  return path.join(outputPath(project.server, project.root), 'splice-pages.json');
}

/** Runs compilers once and reports their problems; rejects with the errors. */
export function runOnce(compiler: Compiler | MultiCompiler, log: BuildLog): Promise<Stats | MultiStats> {
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) return reject(new BuildError(error.message));
      const problem = report(stats!, log);
      if (problem !== null) return reject(new BuildError(problem));
      resolve(stats!);
    });
  });
}

/**
 * Prints SplicePlugin's notes (once per run: the plugin groups the client and server builds) and
 * the builds' warnings, and returns the errors as one message, or null. Errors are webpack's own
 * rendering: the file, the line and the code frame, as users know them.
 */
export function report(stats: Stats | MultiStats, log: BuildLog): string | null {
  if (stats.hasErrors()) return stats.toString({ preset: 'errors-only', colors: false, moduleTrace: false, errorDetails: false }).trim();
  const json = stats.toJson({ all: false, logging: 'info', loggingTrace: false, warnings: true });
  const builds = json.children !== undefined && json.children.length > 0 ? json.children : [json];
  for (const build of builds) {
    for (const [origin, group] of Object.entries(build.logging ?? {})) {
      if (!origin.includes('Splice')) continue;
      for (const entry of group.entries) if (entry.message !== undefined) log.info(entry.message);
    }
    for (const warning of build.warnings ?? []) log.warn(`warning${build.name ? ` in the ${build.name} build` : ''}: ${warning.message}`);
  }
  return null;
}

/** The files the server compilation wrote for its entries, in the config's order. */
export function serverBundle(stats: Stats): string[] {
  const { compilation } = stats;
  const files: string[] = [];
  for (const entry of compilation.entrypoints.values()) {
    const file = [...entry.getEntrypointChunk().files].find((f) => /\.(c|m)?js$/.test(f));
    if (file !== undefined) files.push(path.join(compilation.outputOptions.path!, file));
  }
  if (files.length === 0) throw new BuildError('the server build emitted no JavaScript entry to prerender with');
  return files;
}

/**
 * Writes each route's page: the server bundle's `prerender(route)` gives the source page (a server
 * render with Splice's markers); `preparePageSync` turns it into the page that is served (no
 * markers) and its index, which the worker imports as `splice-pages.json`, keyed by the file.
 */
export async function prerender(project: SpliceProject, bundles: readonly string[], log: BuildLog): Promise<Record<string, unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { preparePageSync } = require('@splice/edge') as typeof import('@splice/edge');
  // The first entry of the server build that exports the prerender function (a build may have others).
  let render: unknown;
  for (const bundle of bundles) {
    let loaded: Record<string, unknown>;
    try {
      loaded = await loadFresh(bundle);
    } catch (error) {
      // The bundle's top level ran and threw (a browser global read at module level, a missing
      // module): without this the CLI prints the bare message, with no file, line or step.
      throw new BuildError(`loading the server build ${path.relative(project.root, bundle)} to prerender threw: ${bundleStack(error, bundle)}`);
    }
    render = loaded[project.prerender.export];
    if (typeof render === 'function') break;
  }
  if (typeof render !== 'function') {
    throw new BuildError(`the server build (${bundles.map((b) => path.relative(project.root, b)).join(', ')}) has no export \`${project.prerender.export}(route)\` to prerender with: export a function that returns the page's HTML`);
  }
  const out = outputPath(project.client, project.root);
  // Every route first, then the files: a route that fails leaves the last build's pages and
  // index as they were, together (a new page next to an old index is patched wrongly).
  const rendered: { file: string; html: Uint8Array; index: unknown }[] = [];
  for (const [route, file] of Object.entries(project.prerender.routes)) {
    let html: unknown;
    try {
      html = await (render as (route: string) => unknown)(route);
    } catch (error) {
      throw new BuildError(`prerendering ${route} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (typeof html !== 'string') throw new BuildError(`prerendering ${route}: \`${project.prerender.export}\` must return the page's HTML as a string, not ${typeof html}`);
    const prepared = preparePageSync(html);
    for (const problem of prepared.problems) log.warn(`splice: prerender ${route}: ${problem}`);
    rendered.push({ file, html: prepared.html, index: prepared.index });
  }
  const pages: Record<string, unknown> = {};
  for (const { file, html, index } of rendered) {
    const target = path.join(out, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, html);
    pages[`/${file.split(path.sep).join('/')}`] = index;
  }
  const index = pagesFile(project);
  fs.mkdirSync(path.dirname(index), { recursive: true });
  // Only when it changed: `splice dev`'s worker build watches this file.
  const json = JSON.stringify(pages);
  if (!fs.existsSync(index) || fs.readFileSync(index, 'utf8') !== json) fs.writeFileSync(index, json);
  return pages;
}

/** The error's stack down to the bundle's last frame: Node's loader and the CLI below it say nothing. */
export function bundleStack(error: unknown, bundle: string): string {
  if (!(error instanceof Error)) return String(error);
  const lines = (error.stack ?? error.message).split('\n');
  let last = -1;
  lines.forEach((l, i) => { if (l.includes(bundle)) last = i; });
  return (last === -1 ? lines : lines.slice(0, last + 1)).join('\n');
}

let generation = 0;

/** Loads a bundle as it is on disk now, not as an earlier load left it in the module cache. */
async function loadFresh(file: string): Promise<Record<string, unknown>> {
  if (file.endsWith('.mjs')) return (await import(`${pathToFileURL(file).href}?v=${++generation}`)) as Record<string, unknown>;
  delete require.cache[require.resolve(file)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as Record<string, unknown>;
}

/** Copies the app's static files into the client output. */
export function copyPublic(project: SpliceProject): void {
  if (project.publicDir === null) return;
  if (!fs.existsSync(project.publicDir)) throw new BuildError(`publicDir ${project.publicDir} does not exist`);
  fs.cpSync(project.publicDir, outputPath(project.client, project.root), { recursive: true });
}

export interface BuildResult {
  /** The worker's ES module. */
  worker: string;
  /** Where the static assets (and the prerendered pages) are. */
  assets: string;
  pages: string[];
}

/** `splice build`: the client and server bundles, then the prerendered pages, then the worker, in that order (each needs the one before). */
export async function buildProject(project: SpliceProject, log: BuildLog): Promise<BuildResult> {
  const webpack = webpackOf(project);
  const started = Date.now();
  const stats = (await runOnce(webpack([project.client, project.server]), log)) as MultiStats;
  copyPublic(project);
  // A MultiStats lists its compilations in the order of the configurations.
  await prerender(project, serverBundle(stats.stats[1]!), log);
  const workerStats = (await runOnce(webpack(project.worker), log)) as Stats;
  const worker = workerFile(workerStats);
  log.info(`splice build: client, server, ${Object.keys(project.prerender.routes).length} prerendered page(s), worker ${path.relative(project.root, worker)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { worker, assets: outputPath(project.client, project.root), pages: Object.keys(project.prerender.routes) };
}

/** The worker compilation's ES module. */
export function workerFile(stats: Stats): string {
  const { compilation } = stats;
  for (const entry of compilation.entrypoints.values()) {
    for (const file of entry.getEntrypointChunk().files) {
      if (/\.m?js$/.test(file)) return path.join(compilation.outputOptions.path!, file);
    }
  }
  throw new BuildError('the worker build emitted no JavaScript entry');
}
