import { parse as babelParse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import type { FileContext } from './context';
import { report } from './context';

function pluginsFor(filename: string): ParserPlugin[] {
  if (/\.[cm]?ts$/.test(filename)) return ['typescript'];
  if (/\.tsx$/.test(filename)) return ['jsx', 'typescript'];
  return ['jsx'];
}

// Decorators are valid TypeScript 5 (and what babel's decorators plugin, esbuild or swc compile
// in JavaScript): without them a module the app's own loaders build fails the build with
// SPLICE001. They come in two syntaxes Babel cannot parse at once: the standard one
// (`export @dec class`, `accessor`) and TypeScript's `experimentalDecorators` (parameter
// decorators `constructor(@Inject() x)`). A file that uses neither parses the same under both.
const DECORATORS: ParserPlugin[][] = [['decorators', 'decoratorAutoAccessors'], ['decorators-legacy', 'decoratorAutoAccessors']];

/**
 * The module's AST, as Babel parses it with the plugins its extension calls for, decorators of
 * either syntax (and in JavaScript, Flow) included. Throws Babel's error when it does not parse:
 * of the attempts', the one further into the file (the others stopped at syntax they do not know).
 */
export function parseSource(code: string, filename: string, sourceFilename: string): t.File {
  let furthest: unknown;
  // JavaScript with Flow annotations (@babel/preset-flow builds it) is tried last: Flow's
  // grammar reads some JSX differently (`<T>(x) => …`), so a file that parses without it never
  // meets it. Except under a `@flow` pragma: there Babel reads `f<T>(x)` as a call with type
  // arguments, which also parses without Flow, as two comparisons the printed module would keep.
  const flow = ['flow', ...DECORATORS[0]!] as ParserPlugin[];
  const syntaxes = /\.[cm]?tsx?$/.test(filename) ? DECORATORS : hasFlowPragma(code) ? [flow, ...DECORATORS] : [...DECORATORS, flow];
  for (const extra of syntaxes) {
    try {
      return babelParse(code, { sourceType: sourceTypeOf(filename), plugins: [...pluginsFor(filename), ...extra], sourceFilename });
    } catch (err) {
      if (furthest === undefined) furthest = err;
      else if (position(err) > position(furthest)) furthest = err;
    }
  }
  throw furthest;
}

/**
 * `.mjs`/`.mts` are ES modules, strict. Anything else may be a CommonJS script, which webpack
 * builds in sloppy mode (`0755`, `with`): parsed as a module it would be a SPLICE001 that fails
 * the build. Babel's 'unambiguous' parses as a module first and, when that fails or the file
 * has no import or export, as a script; a module with an error still reports the module's error.
 */
function sourceTypeOf(filename: string): 'module' | 'unambiguous' {
  return /\.m[jt]s$/.test(filename) ? 'module' : 'unambiguous';
}

/**
 * Whether Babel's Flow parser takes the file as `@flow`: the first comment that names `@flow` or
 * `@noflow` says, among those before the first token (a `#!` line, directives and `;` may come
 * first). Further down, the comment is no pragma.
 */
export function hasFlowPragma(code: string): boolean {
  let i = code.startsWith('#!') ? lineEnd(code, 0) : 0;
  for (;;) {
    while (i < code.length && /\s/.test(code[i]!)) i++;
    let comment: string | null = null;
    if (code.startsWith('//', i)) {
      const end = lineEnd(code, i);
      comment = code.slice(i + 2, end);
      i = end;
    } else if (code.startsWith('/*', i)) {
      const end = code.indexOf('*/', i + 2);
      if (end < 0) return false;
      comment = code.slice(i + 2, end);
      i = end + 2;
    } else if (code[i] === '"' || code[i] === "'") {
      const quote = code[i]!;
      for (i++; i < code.length && code[i] !== quote && code[i] !== '\n'; i++) if (code[i] === '\\') i++;
      i++;
    } else if (code[i] === ';') {
      i++;
    } else {
      return false;
    }
    const pragma = comment === null ? null : /@((?:no)?flow)\b/.exec(comment);
    if (pragma) return pragma[1] === 'flow';
  }
}

function lineEnd(code: string, from: number): number {
  const end = code.indexOf('\n', from);
  return end < 0 ? code.length : end;
}

function position(err: unknown): number {
  const pos = (err as { pos?: unknown }).pos;
  return typeof pos === 'number' ? pos : -1;
}

/** The file's AST, or `null` after reporting SPLICE001 when it does not parse. */
export function parse(ctx: FileContext, filename: string): t.File | null {
  try {
    return parseSource(ctx.code, filename, ctx.file);
  } catch (err) {
    const e = err as { message?: string; loc?: { line: number; column: number } };
    const message = String(e.message ?? err).replace(/\s*\(\d+:\d+\)$/, '');
    report(ctx, 'SPLICE001', 'error', message, e.loc);
    return null;
  }
}
