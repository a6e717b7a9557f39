import { parse as babelParse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import type { FileContext } from './context';
import { report } from './context';

function pluginsFor(filename: string): ParserPlugin[] {
  if (/\.[cm]?ts$/.test(filename)) return ['typescript'];
  if (/\.tsx$/.test(filename)) return ['jsx', 'typescript'];
  return ['jsx'];
}

/** The file's AST, or `null` after reporting SPLICE001 when it does not parse. */
export function parse(ctx: FileContext, filename: string): t.File | null {
  try {
    return babelParse(ctx.code, { sourceType: 'module', plugins: pluginsFor(filename), sourceFilename: ctx.file });
  } catch (err) {
    const e = err as { message?: string; loc?: { line: number; column: number } };
    const message = String(e.message ?? err).replace(/\s*\(\d+:\d+\)$/, '');
    report(ctx, 'SPLICE001', 'error', message, e.loc);
    return null;
  }
}
