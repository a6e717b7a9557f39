import type { Diagnostic, DiagnosticCode, Severity, SourceLocation } from './diagnostics';
import { createDiagnostic } from './diagnostics';
import type { ModuleGraph } from './modules';

/** What every pass needs to know about the file being compiled, and where it reports. */
export interface FileContext {
  code: string;
  /** Relative to the compile root, `/`-separated: the `file` of entries and diagnostics. */
  file: string;
  runtimeModule: string;
  diagnostics: Diagnostic[];
  /** Absolute path of the module (for following imports). */
  filename: string;
  /** Absolute path of the compile root (`file` is relative to it). */
  root: string;
  /** Other modules of the app, when the caller can read them; else null. */
  modules: ModuleGraph | null;
  /** Names of `process.env` the app's build replaces by constants (`CompileOptions.inlinedEnv`). */
  inlinedEnv?: (name: string) => boolean;
}

/**
 * The test for `CompileOptions.inlinedEnv`: a name as it is, `PREFIX_*` for the names that start
 * with `PREFIX_`, `*` for every name (a definition of the whole `process.env` object).
 */
export function inlinedEnvTest(names: readonly string[] | undefined): ((name: string) => boolean) | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const exact = new Set(names.filter((n) => !n.endsWith('*')));
  const prefixes = names.filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1));
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}

export function report(
  ctx: FileContext,
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  loc: SourceLocation | null | undefined,
): void {
  ctx.diagnostics.push(createDiagnostic(ctx, code, severity, message, loc ?? { line: 1, column: 0 }));
}
