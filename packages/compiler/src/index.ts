import * as nodePath from 'path';
import type { ComponentEntry } from '@splice/manifest';
import type { FileContext } from './context';
import { report } from './context';
import type { Diagnostic } from './diagnostics';
import { runPipeline } from './pipeline';

export type { Diagnostic, Severity, DiagnosticCode } from './diagnostics';
export { DIAGNOSTIC_CODES, formatDiagnostic } from './diagnostics';

export interface CompileOptions {
  /** The module's path, absolute or relative to `root`. Its extension picks the parser plugins. */
  filename: string;
  /** Paths in entries and diagnostics are relative to it. Default: `process.cwd()`. */
  root?: string;
  /** Where `useSpliceProps` is imported from. Default: `@splice/client`. */
  runtimeModule?: string;
  sourceMaps?: boolean;
}

export interface CompileResult {
  code: string;
  map: object | null;
  /** Keyed by component key. */
  components: Record<string, ComponentEntry>;
  diagnostics: Diagnostic[];
  /** False when `code` is the input, untouched. */
  changed: boolean;
}

/** Analyzes and instruments one module. Never throws: problems come back as diagnostics. */
export function compile(code: string, options: CompileOptions): CompileResult {
  const ctx: FileContext = {
    code,
    file: relativeFile(options.filename, options.root),
    runtimeModule: options.runtimeModule ?? '@splice/client',
    diagnostics: [],
  };
  try {
    const result = runPipeline(ctx, options.filename, options.sourceMaps ?? false);
    return { ...result, diagnostics: ctx.diagnostics };
  } catch (err) {
    // Fail open: an uninstrumented module renders exactly as before.
    const diagnostics = ctx.diagnostics.slice();
    const scratch = { ...ctx, diagnostics };
    report(scratch, 'SPLICE002', 'warning', `internal error, module left uninstrumented: ${err instanceof Error ? err.message : String(err)}`, null);
    return { code, map: null, components: {}, diagnostics, changed: false };
  }
}

function relativeFile(filename: string, root: string | undefined): string {
  const base = root ?? process.cwd();
  const rel = nodePath.isAbsolute(filename) && base !== '' ? nodePath.relative(base, filename) : filename;
  return rel.split(nodePath.sep).join('/').replace(/^\.\//, '');
}
