import type * as t from '@babel/types';
import { generate } from './babel';
import type { FileContext } from './context';

export function emit(ctx: FileContext, ast: t.File, sourceMaps: boolean): { code: string; map: object | null } {
  const out = generate(ast, { sourceMaps, sourceFileName: ctx.file }, ctx.code);
  return { code: out.code, map: sourceMaps ? (out.map ?? null) : null };
}
