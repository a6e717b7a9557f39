import type { Diagnostic, DiagnosticCode, Severity, SourceLocation } from './diagnostics';
import { createDiagnostic } from './diagnostics';

/** What every pass needs to know about the file being compiled, and where it reports. */
export interface FileContext {
  code: string;
  /** Relative to the compile root, `/`-separated: the `file` of entries and diagnostics. */
  file: string;
  runtimeModule: string;
  diagnostics: Diagnostic[];
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
