import type * as t from '@babel/types';
import { generate } from './babel';
import type { FileContext } from './context';

export interface SourceMapOptions {
  /** The map of the input to an earlier file: the output's map is chained through it. */
  inputSourceMap?: object;
}

export function emit(ctx: FileContext, ast: t.File, sourceMaps: SourceMapOptions | false): { code: string; map: object | null } {
  if (sourceMaps === false) return { code: generate(ast, {}, ctx.code).code, map: null };
  // `inputSourceMap` is an option of @babel/generator that its type declarations leave out.
  const options: NonNullable<Parameters<typeof generate>[1]> & { inputSourceMap?: object } = { sourceMaps: true, sourceFileName: ctx.file, inputSourceMap: sourceMaps.inputSourceMap };
  const out = generate(ast, options, ctx.code);
  return { code: out.code, map: out.map ?? null };
}
