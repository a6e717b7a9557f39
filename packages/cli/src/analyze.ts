import * as nodePath from 'path';
import { compile, type CompileResult, type Diagnostic, type ModuleReader, type ParsedModules } from '@splice/compiler';

// Derived from the compiler's result so this package needs no direct dependency on the manifest.
type ManifestEntry = CompileResult['components'][string];
export type PropEntry = ManifestEntry['props'][string];
export type PropTier = PropEntry['tier'];

export interface SourceFile {
  /** Absolute path: the compiler picks its parser from the extension. */
  path: string;
  code: string;
  /** `process.env` names inlined for this file besides `AnalyzeOptions.inlinedEnv` (its framework's). */
  inlinedEnv?: readonly string[];
}

export interface ComponentReport {
  name: string;
  /** Relative to the working directory, `/`-separated; absolute when outside it. */
  file: string;
  line: number;
  props: Record<string, PropEntry>;
  /** The package hooks a re-renderable component calls, replayed at the edge (`useX (pkg)`); absent when none. */
  replays?: string[];
}

/** A file the compiler could not analyze at all (SPLICE001 syntax error, SPLICE002 internal error). */
export interface FileFailure {
  file: string;
  line: number;
  code: string;
  message: string;
}

export interface Summary {
  files: number;
  components: number;
  props: number;
  byTier: Record<PropTier, number>;
  /** (value + structural) / props, between 0 and 1 (0 when there are no props). */
  patchableShare: number;
  /**
   * Props that can reach the HTML: all but event handlers (SPLICE036: used only by `on…`
   * attributes, effects and callbacks), which render nothing and so have nothing to personalize.
   */
  renderedProps: number;
  /** (value + structural) / rendered props (0 when there are none). */
  renderedShare: number;
  /** Props with tier `none`, by code, the most frequent first. */
  refusals: Record<string, number>;
  /** The ten files that took longest to compile, slowest first. */
  slowest: { file: string; ms: number }[];
  /**
   * Components refused as a whole (classes SPLICE020; forwardRef, async, generators SPLICE021):
   * they have no entry and no props, so without this they would be invisible in the numbers.
   */
  refusedComponents: Record<string, number>;
  /**
   * Package hooks that re-renderable components call, which the edge replays from the source
   * page: components per hook, the most frequent first.
   */
  replayedHooks: Record<string, number>;
  failedFiles: FileFailure[];
  /**
   * The `process.env` names counted as inlined because a framework's build replaces them (a
   * package declaring `next`: `NEXT_PUBLIC_*`), per package, with the number of files analyzed
   * under it; empty when none (or `--no-framework-env`).
   */
  frameworkEnv: { framework: string; packageJson: string; inlinedEnv: string[]; files: number }[];
}

export interface AnalyzeReport {
  components: ComponentReport[];
  summary: Summary;
}

export interface AnalyzeOptions {
  /** `file` paths are shown relative to it; it is also the compile root. */
  cwd: string;
  /** Milliseconds; injectable so tests get stable timings. */
  now?: () => number;
  /** Reads the modules relative imports name, to follow custom hooks into them (the CLI passes `createModuleReader()`). */
  readModule?: ModuleReader;
  /** Names of `process.env` the app's build replaces by constants (the compiler's `inlinedEnv`). */
  inlinedEnv?: string[];
}

const SLOWEST = 10;
const WARM_UP: [string, string][] = [
  ['jsx', 'export function W({ a, b }) { return <p className={b}>{a ? <b>{a}</b> : null}</p>; }'],
  ['tsx', 'export function W({ a, b }: { a: string; b: string }) { return <p className={b}>{a ? <b>{a}</b> : null}</p>; }'],
];

/** Runs the compiler's analysis on each source and sums it up. Does no I/O. */
export function analyzeSources(sources: Iterable<SourceFile>, options: AnalyzeOptions): AnalyzeReport {
  const now = options.now ?? (() => performance.now());
  const components: ComponentReport[] = [];
  const timings: { file: string; ms: number }[] = [];
  const refusedComponents = new Map<string, number>();
  const failedFiles: FileFailure[] = [];
  // Hook modules are parsed once for the whole run, not once per importing file.
  const moduleCache: ParsedModules = new Map();

  // The first compile of each parser flavour pays for JIT warm-up; without this the first file
  // (and the first .tsx) would always look slowest.
  for (const [ext, code] of WARM_UP) compile(code, { filename: nodePath.join(options.cwd, `warm-up.${ext}`), root: options.cwd, analysisOnly: true });

  for (const source of sources) {
    const file = displayPath(source.path, options.cwd);
    const start = now();
    const inlinedEnv = source.inlinedEnv === undefined ? options.inlinedEnv : [...(options.inlinedEnv ?? []), ...source.inlinedEnv];
    const result = compile(source.code, { filename: source.path, root: options.cwd, readModule: options.readModule, moduleCache, analysisOnly: true, ...(inlinedEnv ? { inlinedEnv } : {}) });
    timings.push({ file, ms: round(now() - start, 2) });

    const entries = Object.values(result.components).sort((a, b) => a.line - b.line || a.name.localeCompare(b.name));
    for (const entry of entries) {
      const report: ComponentReport = { name: entry.name, file, line: entry.line, props: copyProps(entry.props) };
      if (entry.render?.replays !== undefined) report.replays = entry.render.replays.slice();
      components.push(report);
    }
    for (const d of result.diagnostics) {
      if (isFileFailure(d)) failedFiles.push({ file, line: d.line, code: d.code, message: d.message });
      else if (isComponentRefusal(d)) increment(refusedComponents, d.code);
    }
  }

  return { components, summary: summarize(components, timings, refusedComponents, failedFiles) };
}

function summarize(
  components: ComponentReport[],
  timings: { file: string; ms: number }[],
  refusedComponents: Map<string, number>,
  failedFiles: FileFailure[],
): Summary {
  const byTier: Record<PropTier, number> = { value: 0, structural: 0, none: 0 };
  const refusals = new Map<string, number>();
  const replayed = new Map<string, number>();
  for (const c of components) {
    for (const hook of c.replays ?? []) increment(replayed, hook);
    for (const p of Object.values(c.props)) {
      byTier[p.tier] += 1;
      if (p.tier === 'none') increment(refusals, p.code ?? 'unknown');
    }
  }
  const props = byTier.value + byTier.structural + byTier.none;
  const renderedProps = props - (refusals.get(HANDLER) ?? 0);
  const slowest = timings
    .slice()
    .sort((a, b) => b.ms - a.ms || a.file.localeCompare(b.file))
    .slice(0, SLOWEST);
  return {
    files: timings.length,
    components: components.length,
    props,
    byTier,
    patchableShare: props === 0 ? 0 : round((byTier.value + byTier.structural) / props, 4),
    renderedProps,
    renderedShare: renderedProps === 0 ? 0 : round((byTier.value + byTier.structural) / renderedProps, 4),
    refusals: byCount(refusals),
    slowest,
    refusedComponents: byCount(refusedComponents),
    replayedHooks: byCount(replayed),
    failedFiles,
    frameworkEnv: [],
  };
}

/** Relative to `cwd` when inside it, absolute otherwise; `/`-separated either way. */
export function displayPath(abs: string, cwd: string): string {
  const rel = nodePath.relative(cwd, abs);
  const outside = rel === '' || rel === '..' || rel.startsWith(`..${nodePath.sep}`) || nodePath.isAbsolute(rel);
  return (outside ? abs : rel).split(nodePath.sep).join('/');
}

/** The code of props that are event handlers only (not rendered props). */
const HANDLER = 'SPLICE036';

function isFileFailure(d: Diagnostic): boolean {
  return d.code === 'SPLICE001' || d.code === 'SPLICE002';
}

// Whole-component refusals name the component first (`<Card> uses forwardRef…`); a SPLICE021
// about one prop's parameter shape does not, and is already counted as that prop's refusal.
function isComponentRefusal(d: Diagnostic): boolean {
  return (d.code === 'SPLICE020' || d.code === 'SPLICE021') && d.message.startsWith('<');
}

// The report is the public JSON contract: only tier, code and reason, whatever else entries grow.
function copyProps(props: Record<string, PropEntry>): Record<string, PropEntry> {
  const out: Record<string, PropEntry> = {};
  for (const [name, p] of Object.entries(props)) {
    const copy: PropEntry = { tier: p.tier };
    if (p.code !== undefined) copy.code = p.code;
    if (p.reason !== undefined) copy.reason = p.reason;
    out[name] = copy;
  }
  return out;
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** A plain object whose insertion order is count descending, then code: JSON keeps that order. */
function byCount(counts: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [code, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) out[code] = n;
  return out;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
