import * as nodePath from 'path';
import type { ComponentEntry } from '@splice/manifest';
import type { FileContext } from './context';
import { inlinedEnvTest, report } from './context';
import type { Diagnostic } from './diagnostics';
import { runPipeline } from './pipeline';
import { createModuleGraph } from './modules';
import type { ModuleReader, ParsedModules } from './modules';

export type { Diagnostic, Severity, DiagnosticCode } from './diagnostics';
export { DIAGNOSTIC_CODES, formatDiagnostic } from './diagnostics';
export { createModuleReader } from './modules';
export { componentMapTypes } from './componentMap';
export { checkConfigOverrides } from './configCheck';
export type { ConfigCheck } from './configCheck';
export type { ModuleReader, ModuleSource, ForeignModule, ParsedModules, Lookups } from './modules';

export interface CompileOptions {
  /** The module's path, absolute or relative to `root`. Its extension picks the parser plugins. */
  filename: string;
  /** Paths in entries and diagnostics are relative to it. Default: `process.cwd()`. */
  root?: string;
  /** Where `useSpliceProps` is imported from. Default: `@splice/client`. */
  runtimeModule?: string;
  sourceMaps?: boolean;
  /**
   * With `sourceMaps`: the map of `code` to the file it was made from (a loader before this one,
   * a TypeScript stripper). The returned map then points into that file, not into `code`.
   */
  inputSourceMap?: object;
  /**
   * Reads other modules of the app, so that custom hooks imported from them are followed (see
   * `createModuleReader`). Without it such hooks are refused (SPLICE035).
   */
  readModule?: ModuleReader;
  /** Modules parsed by earlier compiles with the same reader, to share (a corpus run): their trees only (`ParsedModules`). */
  moduleCache?: ParsedModules;
  /**
   * The analysis alone (`splice analyze`): the components, their props' tiers and the
   * diagnostics, as a compile finds them, but no instrumentation and no output code (`code` is
   * the input, `changed` false).
   */
  analysisOnly?: boolean;
  /**
   * Names of `process.env` the app's build replaces by constants (webpack's `DefinePlugin`, as
   * Next.js does for `NEXT_PUBLIC_*`): `NAME`, `PREFIX_*`, or `*` for all of them. A render that
   * reads one is the same at the edge, whose module gets the same definitions (SplicePlugin
   * passes its build's); any other `process.env` read keeps a component from being re-rendered.
   */
  inlinedEnv?: readonly string[];
}

export interface CompileResult {
  code: string;
  map: object | null;
  /** Keyed by component key. */
  components: Record<string, ComponentEntry>;
  /** Component key → prop → its declared type, where JSON can hold it (for the component map; not in the manifest). */
  propTypes: Record<string, Record<string, string>>;
  diagnostics: Diagnostic[];
  /** False when `code` is the input, untouched. */
  changed: boolean;
  /** Other modules the analysis read (their hooks), and the tsconfig files that resolved them: a change to one changes this result. */
  dependencies: string[];
  /**
   * Files the analysis looked for and did not find (a module that would shadow the one an import
   * resolved to, a tsconfig that would add an alias): creating one changes this result. A
   * watching build watches them (webpack's `addMissingDependency`).
   */
  missingDependencies: string[];
}

/** Analyzes and instruments one module. Never throws: problems come back as diagnostics. */
export function compile(code: string, options: CompileOptions): CompileResult {
  const ctx: FileContext = {
    code,
    file: relativeFile(options.filename, options.root),
    runtimeModule: options.runtimeModule ?? '@splice/client',
    diagnostics: [],
    filename: nodePath.resolve(options.root ?? process.cwd(), options.filename),
    root: nodePath.resolve(options.root ?? process.cwd()),
    modules: options.readModule === undefined ? null : createModuleGraph(options.readModule, options.moduleCache),
  };
  const inlinedEnv = inlinedEnvTest(options.inlinedEnv);
  if (inlinedEnv !== undefined) ctx.inlinedEnv = inlinedEnv;
  try {
    const result = runPipeline(ctx, options.filename, options.sourceMaps === true ? { inputSourceMap: options.inputSourceMap } : false, options.analysisOnly === true);
    return { ...result, diagnostics: ctx.diagnostics, ...lookedAt(ctx) };
  } catch (err) {
    // Fail open: an uninstrumented module renders exactly as before.
    const diagnostics = ctx.diagnostics.slice();
    const scratch = { ...ctx, diagnostics };
    report(scratch, 'SPLICE002', 'warning', `internal error, module left uninstrumented: ${err instanceof Error ? err.message : String(err)}`, null);
    return { code, map: null, components: {}, propTypes: {}, diagnostics, changed: false, ...lookedAt(ctx) };
  }
}

function lookedAt(ctx: FileContext): Pick<CompileResult, 'dependencies' | 'missingDependencies'> {
  return { dependencies: [...(ctx.modules?.dependencies ?? [])], missingDependencies: [...(ctx.modules?.missing ?? [])] };
}

function relativeFile(filename: string, root: string | undefined): string {
  const base = root ?? process.cwd();
  const rel = nodePath.isAbsolute(filename) && base !== '' ? nodePath.relative(base, filename) : filename;
  return rel.split(nodePath.sep).join('/').replace(/^\.\//, '');
}
