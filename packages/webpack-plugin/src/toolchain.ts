import * as fs from 'fs';
import * as path from 'path';
import type { Compiler } from 'webpack';
import type { DiagnosticCode } from '@splice/compiler';

// Typed, so that the code stays one the compiler's table (DIAGNOSTIC_CODES) documents.
const CODE: DiagnosticCode = 'SPLICE050';

interface LoaderUse {
  loader: string;
  options: unknown;
}

/**
 * SPLICE050: ts-loader in the rules, with a TypeScript of major version 7 or later. TypeScript 7
 * ships no JavaScript compiler API, and ts-loader (which calls it) fails on every module with
 * "Cannot read properties of undefined (reading 'fileExists')", which names neither the cause
 * nor a fix. Null when there is no such problem, or when it cannot be told (a loader given by a
 * function, a package that does not resolve): webpack then reports what it finds.
 */
export function typescriptLoaderProblem(compiler: Compiler): string | null {
  for (const use of loaderUses(compiler.options.module.rules)) {
    const name = use.loader.split('?')[0]!;
    if (!/(^|[\\/])ts-loader([\\/]|$)/.test(name)) continue;
    // Where webpack looks for loaders: the project, and any folder `resolveLoader.modules` adds.
    const roots = [compiler.context, ...(compiler.options.resolveLoader.modules ?? []).filter((m) => path.isAbsolute(m))];
    const loaderDir = packageDir(name, roots);
    if (loaderDir === null) continue;
    // ts-loader loads `options.compiler` (default `typescript`) from its own folder.
    const options = loaderOptions(use);
    const typescript = typeof options.compiler === 'string' ? options.compiler : 'typescript';
    const found = packageVersion(typescript, loaderDir);
    if (found === null || Number.parseInt(found.version, 10) < 7) continue;
    return [
      `${CODE}: ts-loader cannot compile with TypeScript ${found.version} (${found.dir}): TypeScript 7 and later have no JavaScript compiler API for ts-loader to call, so it would fail on every module ("Cannot read properties of undefined (reading 'fileExists')").`,
      `Compile TypeScript with babel-loader with @babel/preset-typescript, swc-loader or esbuild-loader instead (and type-check with \`tsc --noEmit\`),`,
      `or give ts-loader a TypeScript 5 of its own: \`npm install -D typescript5@npm:typescript@5\` and ts-loader's option \`compiler: 'typescript5'\`.`,
    ].join('\n');
  }
  return null;
}

function* loaderUses(rules: readonly unknown[] | undefined): Iterable<LoaderUse> {
  for (const rule of rules ?? []) {
    if (typeof rule !== 'object' || rule === null) continue;
    const r = rule as { loader?: unknown; options?: unknown; use?: unknown; rules?: unknown; oneOf?: unknown };
    if (typeof r.loader === 'string') yield { loader: r.loader, options: r.options };
    for (const u of Array.isArray(r.use) ? r.use : r.use === undefined ? [] : [r.use]) {
      if (typeof u === 'string') yield { loader: u, options: undefined };
      else if (typeof u === 'object' && u !== null && typeof (u as LoaderUse).loader === 'string') yield u as LoaderUse;
    }
    if (Array.isArray(r.rules)) yield* loaderUses(r.rules);
    if (Array.isArray(r.oneOf)) yield* loaderUses(r.oneOf);
  }
}

/** The folder of the ts-loader package a rule names: by path, or by name from the project. */
function packageDir(loader: string, roots: string[]): string | null {
  const inPath = /^(.*[\\/]ts-loader)([\\/]|$)/.exec(loader);
  if (inPath !== null && path.isAbsolute(loader)) return inPath[1]!;
  const found = packageVersion('ts-loader', roots);
  return found === null ? null : found.dir;
}

function packageVersion(name: string, from: string | string[]): { dir: string; version: string } | null {
  try {
    const file = path.isAbsolute(name) ? path.join(name, 'package.json') : require.resolve(`${name}/package.json`, { paths: Array.isArray(from) ? from : [from] });
    const { version } = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? { dir: path.dirname(file), version } : null;
  } catch {
    return null;
  }
}

const RSPACK_CACHE: DiagnosticCode = 'SPLICE051';

/** rspack gives its compilers webpack's API object, with its own version on it. */
export function isRspack(compiler: Compiler): boolean {
  return 'rspackVersion' in compiler.webpack;
}

/**
 * SPLICE051: rspack with its persistent cache. Under rspack the plugin keeps the analyses itself
 * (rspack keeps no `buildInfo` a plugin writes), so a module restored from a persistent cache,
 * which no loader sees, would leave its components out of the manifest: a silently wrong build.
 */
export function rspackCacheProblem(compiler: Compiler): string | null {
  if (!isRspack(compiler)) return null;
  const options = compiler.options as unknown as { cache?: unknown; experiments?: { cache?: unknown } };
  const persistent = (c: unknown) => typeof c === 'object' && c !== null && (c as { type?: unknown }).type === 'persistent';
  if (!persistent(options.cache) && !persistent(options.experiments?.cache)) return null;
  return `${RSPACK_CACHE}: SplicePlugin does not work with rspack's persistent cache: a module restored from it is never analyzed, and its components would be missing from the manifest. Remove \`cache: { type: 'persistent' }\` (rspack's memory cache, the default in development, works), or build with webpack, whose filesystem cache keeps Splice's analyses.`;
}

/**
 * A loader's options as webpack hands them over: an object, or a string (JSON or a query string),
 * given as `options` or after `?` in the loader's name (`ts-loader?compiler=typescript5`).
 */
function loaderOptions(use: LoaderUse): { compiler?: unknown } {
  if (typeof use.options === 'object' && use.options !== null) return use.options as { compiler?: unknown };
  const text = typeof use.options === 'string' ? use.options : use.loader.includes('?') ? use.loader.slice(use.loader.indexOf('?') + 1) : '';
  if (text === '') return {};
  if (text.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null ? (parsed as { compiler?: unknown }) : {};
    } catch {
      return {};
    }
  }
  const compiler = new URLSearchParams(text).get('compiler');
  return compiler === null ? {} : { compiler };
}
