import type * as t from '@babel/types';
import type { ComponentEntry } from '@splice/manifest';
import { releaseTree, traverse, type NodePath } from './babel';
import type { FileContext } from './context';
import { parse } from './parse';
import { findComponents, mayFindComponents } from './findComponents';
import { analyzeComponent, type ComponentAnalysis } from './analyzeComponent';
import { instrument, isCommonJs } from './instrument';
import { emit } from './emit';
import type { SourceMapOptions } from './emit';
import { exposeText, hiddenContexts, isEsModule } from './exposeContexts';
import { findPackageHookCalls, wrapPackageHookCalls } from './packageHooks';

export interface PipelineResult {
  code: string;
  map: object | null;
  components: Record<string, ComponentEntry>;
  propTypes: Record<string, Record<string, string>>;
  changed: boolean;
}

/** The whole compiler, in order. Each pass is one file; reading this tells what runs when. */
export function runPipeline(ctx: FileContext, filename: string, sourceMaps: SourceMapOptions | false, analysisOnly = false): PipelineResult {
  const unchanged: PipelineResult = { code: ctx.code, map: null, components: {}, propTypes: {}, changed: false };
  const mayHoldContexts = ctx.code.includes('createContext');
  // A hook of a package, called somewhere (the app's own hooks hold no JSX).
  const mayCallPackageHooks = /\buse[A-Z0-9]/.test(ctx.code) && /\bfrom\s*['"][^.'"/]/.test(ctx.code);
  // Most modules of an app hold no JSX: skip them without parsing.
  if (!/<[A-Za-z>]/.test(ctx.code) && !mayHoldContexts && !mayCallPackageHooks) return unchanged;

  // An analysis changes no tree: it takes the one another compile parsed when following an
  // import of this module (`splice analyze` shares them), and leaves its own for the next. A
  // compile that instruments parses its own.
  const shared = analysisOnly ? ctx.modules?.trees : undefined;
  // Under the path the module reader gives it (the compile's root resolves a relative filename).
  const key = ctx.filename;
  const cached = shared?.get(key) ?? undefined;
  const ast = cached ?? parse(ctx, filename);
  if (ast === null) return unchanged;
  if (cached === undefined) shared?.set(key, ast);
  try {
    return passes(ctx, ast, unchanged, mayHoldContexts, mayCallPackageHooks, sourceMaps, analysisOnly);
  } finally {
    releaseTree(ast);
    for (const module of ctx.modules?.parsed.values() ?? []) if (module !== null) releaseTree(module.program.parent);
  }
}

function passes(
  ctx: FileContext,
  ast: t.File,
  unchanged: PipelineResult,
  mayHoldContexts: boolean,
  mayCallPackageHooks: boolean,
  sourceMaps: SourceMapOptions | false,
  analysisOnly: boolean,
): PipelineResult {
  // Without a component, only contexts to expose and package hooks to wrap need the scopes (and
  // neither is reported by an analysis alone): skip the crawl they cost.
  if (!mayFindComponents(ast.program) && (analysisOnly || (!mayHoldContexts && !mayCallPackageHooks))) return unchanged;
  const program = programPath(ast);
  // A loader applied twice must not instrument its own output.
  if (importsFromRuntime(program.node, ctx.runtimeModule, 'useSpliceProps') || importsFromRuntime(program.node, ctx.runtimeModule, 'useSpliceHook')) return unchanged;
  // Found before instrumenting: it invalidates the scope information this relies on.
  const exposed = exposeText(mayHoldContexts && isEsModule(program.node, ctx.code) ? hiddenContexts(program) : []);
  const withExposed = (r: PipelineResult): PipelineResult => (exposed === '' ? r : { ...r, code: r.code + exposed, changed: true });

  const analyses: ComponentAnalysis[] = [];
  for (const component of findComponents(ctx, program)) {
    const analysis = analyzeComponent(ctx, component);
    if (analysis !== null) analyses.push(analysis);
  }
  const components: Record<string, ComponentEntry> = {};
  const propTypes: Record<string, Record<string, string>> = {};
  for (const a of analyses) { components[a.key] = a.entry; propTypes[a.key] = a.propTypes; }
  // What `splice analyze` reports is known here; instrumenting and printing would be thrown away.
  if (analysisOnly) return { ...unchanged, components, propTypes };
  // Components with nothing patchable are in the manifest, to say why; their code is not touched.
  const instrumented = analyses.filter((a) => a.instrumented);
  // Found before instrumenting too; wrapped in every module, whichever component reaches them.
  const hookCalls = mayCallPackageHooks ? findPackageHookCalls(program, ctx.modules, ctx.filename, ctx.runtimeModule) : [];
  if (instrumented.length === 0 && hookCalls.length === 0) return withExposed({ ...unchanged, components, propTypes });

  const first = program.node.body[0];
  instrument(ctx, program, instrumented, isCommonJs(program.node, ctx.code, ctx.filename));
  wrapPackageHookCalls(program, hookCalls, ctx.runtimeModule);
  keepHeaderFirst(program.node, first);
  const { code, map } = emit(ctx, ast, sourceMaps);
  return withExposed({ code, map, components, propTypes, changed: true });
}

/**
 * A `@flow` pragma stays above the imports instrumenting added: Babel reads it only before the
 * first token, and below an import the app's own build would read `f<T>(x)` as two comparisons.
 * The comments up to it move with it; those after it stay with the statement they describe.
 */
function keepHeaderFirst(program: t.Program, first: t.Statement | undefined): void {
  const top = program.body[0];
  const comments = first?.leadingComments;
  if (first === undefined || top === undefined || top === first || comments == null) return;
  const pragma = comments.findIndex((c) => /@(?:no)?flow\b/.test(c.value));
  if (pragma < 0) return;
  top.leadingComments = [...comments.slice(0, pragma + 1), ...(top.leadingComments ?? [])];
  first.leadingComments = comments.slice(pragma + 1);
}

function importsFromRuntime(program: t.Program, runtimeModule: string, name: string): boolean {
  return program.body.some(
    (s) =>
      s.type === 'ImportDeclaration' &&
      s.source.value === runtimeModule &&
      s.specifiers.some((sp) => sp.type === 'ImportSpecifier' && (sp.imported.type === 'Identifier' ? sp.imported.name : sp.imported.value) === name),
  );
}

function programPath(ast: t.File): NodePath<t.Program> {
  let program: NodePath<t.Program> | undefined;
  traverse(ast, {
    Program(p) {
      program = p;
      p.stop();
    },
  });
  return program!;
}
