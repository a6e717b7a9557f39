import * as t from '@babel/types';
import { ownReturns, type NodePath } from './babel';
import type { DiagnosticCode, SourceLocation } from './diagnostics';
import type { ComponentFunction, FoundComponent } from './findComponents';
import { calleeName, hostTag } from './holes';
import { exportNameOf, foreignModule, functionOf, memberName, nameOf, relativeSpecifier, resolveExport } from './modules';
import { EXPOSED_PREFIX, isCreateContext, isEsModule } from './exposeContexts';
import type { ExportTarget, ForeignModule, ModuleGraph } from './modules';
import { functionArgument, inParameter, indirectPackageHook, packageHookOf } from './packageHooks';
import { EFFECT_HOOKS, runsAfterRender } from './handlers';
import { findDescendantContexts } from './descendantContexts';

/**
 * Can the edge re-render an instance of this component from its props and the contexts it
 * reads, and get the bytes of a full render? That holds when the render is a pure function of
 * them: no browser globals, clock, randomness or module-level mutable state, and no hooks whose
 * purity cannot be seen. Its bytes in the page are its root element's, or a boundary's.
 *
 * Child components are followed only for the contexts they read (`descendantContexts`): whatever
 * else they do, the edge checks each instance's first re-render against the bytes of the cached
 * page before it trusts it (see @splice/edge).
 */
export type Renderability =
  | {
    ok: true;
    contexts: t.Expression[];
    imports: ContextImport[];
    replays: string[];
    /** Where in `contexts` those start that only descendants read (see `descendantContexts`). */
    descendants: number;
  }
  | { ok: false; code: DiagnosticCode; reason: string; loc: SourceLocation | undefined };

/** A context read in a hook of another module: the instrumented module imports it to record its value. */
export interface ContextImport {
  source: string;
  imported: string;
  local: t.Identifier;
}

/** Where the build can read other modules of the app (null: it cannot, e.g. `compile()` alone). */
export interface RenderabilityEnv {
  graph: ModuleGraph | null;
  /** Absolute path of the component's module. */
  filename: string;
  /** The runtime's module (its hooks are not a package's). */
  runtimeModule: string;
  /** The module's source text. */
  code?: string;
  /** Names of `process.env` the build replaces by constants, for the edge module too (`CompileOptions.inlinedEnv`). */
  inlinedEnv?: (name: string) => boolean;
}

/**
 * Browser globals that no server runtime defines (Node, workerd, the other edge runtimes): the
 * server that rendered the page and the edge both lack them, so a render behaves the same on
 * both. A `typeof window` test takes the same branch, and an unguarded read throws on the server
 * as well, so it cannot have happened in a page that rendered: only a read that certainly runs
 * during render (in the render's own body, not in a function it creates, not under a `typeof`
 * test of it) is refused, because it says the component is not meant to render on a server.
 */
const ABSENT_ON_SERVERS = new Set([
  'window', 'document', 'localStorage', 'sessionStorage', 'location', 'history', 'screen',
  'matchMedia', 'innerWidth', 'innerHeight', 'devicePixelRatio', 'indexedDB', 'getComputedStyle',
]);

/** Globals that server runtimes define differently (workerd has `navigator` and `self`, Node 20 has neither): refused wherever read. */
const DIFFERENT_ON_SERVERS = new Set(['navigator', 'globalThis', 'self']);

/** `Object.member` reads that differ per call. */
const IMPURE_CALLS: Readonly<Record<string, ReadonlySet<string> | null>> = {
  Date: new Set(['now']),
  Math: new Set(['random']),
  performance: null,
  crypto: null,
  process: null,
};

/** React's hooks whose result is a function of props, state initializers and context only. */
const PURE_HOOKS = new Set([
  'useState', 'useReducer', 'useMemo', 'useCallback', 'useRef', 'useId', 'useEffect', 'useLayoutEffect', 'useInsertionEffect',
  'useTransition', 'useDeferredValue', 'useImperativeHandle', 'useDebugValue', 'useOptimistic', 'useActionState',
]);


export function analyzeRenderability(component: FoundComponent, env: RenderabilityEnv = { graph: null, filename: '', runtimeModule: '@splice/client' }): Renderability {
  const { fn } = component;
  const roots = returnShape(fn);
  if (roots !== null) return roots;
  if (!hasBinding(fn, component.name)) {
    return refuse('SPLICE033', `<${component.name}> has no name binding the edge module can import: give the function a name`, fn.node.loc?.start);
  }
  const contexts: t.Expression[] = [];
  const imports: ContextImport[] = [];
  const replays: string[] = [];
  const scan: ScanEnv = { ...env, module: null, imports, replays, program: fn.scope.getProgramParent(), helpers: new Set() };
  const seen = new Set<string>();
  const problem = scanRender(fn, contexts, seen, 0, scan);
  if (problem !== null) return problem;
  const descendants = contexts.length;
  const found = findDescendantContexts(fn.node, scan.program.block as t.Program, env.filename, env.code ?? '', env.graph);
  if (!found.ok) return refuse(found.impure === true ? 'SPLICE030' : 'SPLICE034', found.reason, found.loc);
  for (const read of found.reads) {
    if (read.kind === 'own') recordOwn(read.arg, contexts, seen);
    else recordImported(read.source, read.imported, read.name, contexts, seen, scan);
  }
  return { ok: true, contexts, imports, replays, descendants };
}

function refuse(code: DiagnosticCode, reason: string, loc: SourceLocation | undefined): Renderability {
  return { ok: false, code, reason, loc };
}

/** Elements whose server HTML depends on an ancestor's props, which a re-render alone does not have. */
const PARENT_DEPENDENT = new Set(['option', 'optgroup']);

/** Elements React hoists into the document shell: a boundary around them would move them. */
const DOCUMENT_SHELL = new Set(['html', 'head', 'body']);

/**
 * What a return may be. One host element carries the instance's root marker; anything else (a
 * component element, a fragment, text, nothing) is wrapped in a boundary in the source page
 * (see @splice/client), except what a re-render alone cannot reproduce: `<option>` roots, whose
 * `selected` comes from the `<select>`, and a document shell under a boundary, which React would
 * render differently.
 */
function returnShape(fn: NodePath<ComponentFunction>): Renderability | null {
  const body = fn.node.body;
  const check = (node: t.Node | null | undefined, loc: SourceLocation | undefined): Renderability | null => {
    const dependent = hostResults(node).find((el) => PARENT_DEPENDENT.has(hostTag(el) ?? ''));
    if (dependent !== undefined) {
      return refuse('SPLICE033', `returns <${hostTag(dependent)}>, whose \`selected\` React derives from the enclosing <select>: it cannot be re-rendered alone`, dependent.loc?.start ?? loc);
    }
    const bad = nonHostResult(node);
    const shell = bad === null ? undefined : shellElement(bad);
    if (shell === undefined) return null;
    return refuse('SPLICE033', `returns <${hostTag(shell)}> inside ${t.isJSXFragment(bad) ? 'a fragment' : 'another component'}: the boundary the edge needs around it would change how React writes the document; return the <${hostTag(shell)}> element itself`, shell.loc?.start ?? loc);
  };
  if (!t.isBlockStatement(body)) return check(body, body.loc?.start);
  for (const ret of ownReturns(fn.node)) {
    const found = check(ret.argument, ret.loc?.start);
    if (found !== null) return found;
  }
  return null;
}

/** A `<html>`, `<head>` or `<body>` element written anywhere inside a returned expression. */
function shellElement(node: t.Node): t.JSXElement | undefined {
  let found: t.JSXElement | undefined;
  t.traverseFast(node, (n) => {
    if (found === undefined && t.isJSXElement(n) && DOCUMENT_SHELL.has(hostTag(n) ?? '')) found = n;
  });
  return found;
}

/**
 * The results a returned expression can take: host elements, `null` and other nothing (`false`,
 * `undefined`), through `c ? a : b` and `c && a`. The first one that is none of these, or null.
 */
function nonHostResult(node: t.Node | null | undefined): t.Node | null {
  if (node === null || node === undefined || t.isNullLiteral(node) || t.isBooleanLiteral(node) || t.isIdentifier(node, { name: 'undefined' })) return null;
  if (t.isParenthesizedExpression(node)) return nonHostResult(node.expression);
  if (t.isJSXElement(node) && hostTag(node) !== null) return null;
  if (t.isConditionalExpression(node)) return nonHostResult(node.consequent) ?? nonHostResult(node.alternate);
  if (t.isLogicalExpression(node) && node.operator === '&&') return nonHostResult(node.right);
  return node;
}

/** The host elements a returned expression can evaluate to (see `nonHostResult`). */
export function hostResults(node: t.Node | null | undefined, into: t.JSXElement[] = []): t.JSXElement[] {
  if (node === null || node === undefined) return into;
  if (t.isParenthesizedExpression(node)) return hostResults(node.expression, into);
  if (t.isJSXElement(node) && hostTag(node) !== null) into.push(node);
  else if (t.isConditionalExpression(node)) { hostResults(node.consequent, into); hostResults(node.alternate, into); }
  else if (t.isLogicalExpression(node) && node.operator === '&&') hostResults(node.right, into);
  return into;
}

function hasBinding(fn: NodePath<ComponentFunction>, name: string): boolean {
  const binding = fn.scope.getProgramParent().getBinding(name);
  return binding !== undefined && binding.kind !== 'module';
}


/** The program-level binding an expression like `Ctx` or `Ns.Ctx` hangs from, or null. */
function moduleRoot(expr: t.Node, scope: NodePath['scope']): boolean {
  let node = expr;
  while (t.isMemberExpression(node) && !node.computed) node = node.object;
  if (!t.isIdentifier(node)) return false;
  const binding = scope.getBinding(node.name);
  return binding !== undefined && binding.scope === scope.getProgramParent() && (binding.kind === 'module' || binding.kind === 'const' || binding.kind === 'hoisted');
}

interface ScanEnv extends RenderabilityEnv {
  /** The module being scanned, when it is not the component's own (a hook's, imported). */
  module: ForeignModule | null;
  imports: ContextImport[];
  /** Package hooks the render calls, which the edge replays (`useX (pkg)`). */
  replays: string[];
  /** The component's program scope: names for the imports it gets. */
  program: NodePath['scope'];
  /**
   * Scanning a plain function the render calls (a helper), not the render or a hook: what it
   * reads of globals no server has is not refused, since the call itself may sit under a test of
   * them (`typeof window === 'undefined' ? 0 : width()`) and behaves alike on both anyway.
   */
  helper?: boolean;
  /** Helpers already scanned (or being scanned) for this component: each once, and no cycle. */
  helpers?: Set<t.Node>;
}

function scanRender(fn: NodePath<t.Function>, contexts: t.Expression[], seen: Set<string>, depth: number, env: ScanEnv): Renderability | null {
  let problem: Renderability | null = null;
  const stop = (r: Renderability, p: NodePath) => { problem = r; p.stop(); };
  fn.traverse({
    Function(p) {
      if (runsAfterRender(p)) p.skip();
    },
    AwaitExpression(p) {
      stop(refuse('SPLICE030', 'awaits during render: the edge renders synchronously', p.node.loc?.start), p);
    },
    Identifier(p) {
      if (!p.isReferencedIdentifier()) return;
      const name = p.node.name;
      const indirect = indirectPackageHook(p as NodePath<t.Identifier>, env.graph, env.module?.filename ?? env.filename, env.runtimeModule);
      if (indirect !== null) {
        stop(refuse('SPLICE035', `uses the package hook ${indirect}() other than by calling it directly (an optional call, .call, a variable): Splice records only direct calls`, p.node.loc?.start), p);
        return;
      }
      const binding = p.scope.getBinding(name);
      if (binding === undefined) {
        const absent = ABSENT_ON_SERVERS.has(name);
        if (DIFFERENT_ON_SERVERS.has(name) || (absent && env.helper !== true && certainlyRead(p, name, fn))) {
          stop(refuse('SPLICE030', `reads the browser global \`${name}\` during render: ${absent ? 'no server has it, so the component is not meant to render on one' : 'the edge has another value than the server'}`, p.node.loc?.start), p);
        }
        return;
      }
      if (binding.scope === p.scope.getProgramParent() && (binding.kind === 'let' || binding.kind === 'var')) {
        stop(refuse('SPLICE030', `reads module-level mutable \`${name}\` during render: its value at the edge is not the one the page was rendered with`, p.node.loc?.start), p);
        return;
      }
      if (binding.scope === p.scope.getProgramParent()) {
        const loaded = loadedImpurely(binding, env);
        if (loaded !== null) {
          stop(refuse('SPLICE030', `reads module-level \`${name}\`, ${loaded.what} when ${loaded.where} was loaded: the origin's server and the edge load it apart, so the render gets another value from it at the edge; compute it where the component is used and pass it as a prop`, p.node.loc?.start), p);
        }
      }
    },
    UpdateExpression(p) {
      const what = moduleObjectChanged(p.node.argument, p, fn);
      if (what !== null) stop(refuse('SPLICE030', `changes module-level \`${what}\` during render (\`${what}${p.node.operator}\`): each process (the origin's, every edge isolate) counts on its own, so the edge renders another value; count where the component is used and pass the result as a prop`, p.node.loc?.start), p);
    },
    AssignmentExpression(p) {
      // A plain `=` is how a memo cache fills itself (`cache[key] = value`): only a new value made
      // from the old one (`+=`, `seen[id] = (seen[id] ?? 0) + 1`) is a count.
      const { operator, left, right } = p.node;
      if (operator === '??=' || operator === '||=' || operator === '&&=') return;
      // Through a local too (`const n = seen[id] ?? 0; seen[id] = n + 1`).
      if (operator === '=' && !readsItself(left, right) && !derivedFrom(p.get('right'), (n) => t.isNodesEquivalent(n, left))) return;
      const what = moduleObjectChanged(p.node.left, p, fn);
      if (what !== null) stop(refuse('SPLICE030', `changes module-level \`${what}\` during render (\`${what} ${operator}\`): each process (the origin's, every edge isolate) counts on its own, so the edge renders another value; count where the component is used and pass the result as a prop`, p.node.loc?.start), p);
    },
    NewExpression(p) {
      if (t.isIdentifier(p.node.callee) && p.node.arguments.length === 0 && impureGlobal(p.node.callee, p.scope) === 'Date') {
        stop(refuse('SPLICE030', 'reads the clock (`new Date()`) during render: the edge would render another time', p.node.loc?.start), p);
      }
    },
    // Optional too: `Date?.now()` reads the clock as `Date.now()` does.
    'MemberExpression|OptionalMemberExpression'(p) {
      const { object, property, computed } = p.node as t.MemberExpression | t.OptionalMemberExpression;
      const global = t.isIdentifier(object) ? impureGlobal(object, p.scope) : null;
      if (global === null) return;
      if (p.parentPath?.isMemberExpression({ object: p.node }) === true && inlinedEnvRead(p.parentPath.node as t.MemberExpression, env)) return;
      const members = IMPURE_CALLS[global];
      // `Math['random']` as well as `Math.random`.
      const member = t.isIdentifier(property) && !computed ? property.name : t.isStringLiteral(property) ? property.value : null;
      if (members === null || (member !== null && members?.has(member))) {
        stop(refuse('SPLICE030', `reads \`${global}${member === null ? '' : `.${member}`}\`${global === (object as t.Identifier).name ? '' : ` (as \`${(object as t.Identifier).name}\`)`} during render: the edge would get another value`, p.node.loc?.start), p);
      }
    },
    OptionalCallExpression(p) {
      const callee = p.node.callee;
      const name = t.isIdentifier(callee) ? callee.name : t.isOptionalMemberExpression(callee) || t.isMemberExpression(callee) ? (t.isIdentifier(callee.property) ? callee.property.name : null) : null;
      if (name !== null && (name === 'use' || /^use[A-Z0-9]/.test(name))) {
        stop(refuse('SPLICE035', `calls ${name}() optionally (\`?.()\`): Splice follows and records only direct hook calls`, p.node.loc?.start), p);
      }
    },
    CallExpression(p) {
      // `Date()` called without `new` returns the clock as a string.
      if (t.isIdentifier(p.node.callee) && impureGlobal(p.node.callee, p.scope) === 'Date') {
        stop(refuse('SPLICE030', 'reads the clock (`Date()`) during render: the edge would render another time', p.node.loc?.start), p);
        return;
      }
      const counted = countedByMethod(p, fn);
      if (counted !== null) {
        stop(refuse('SPLICE030', `changes module-level \`${counted.what}\` during render (\`${counted.what}.${counted.method}(…)\`): each process (the origin's, every edge isolate) counts on its own, so the edge renders another value; count where the component is used and pass the result as a prop`, p.node.loc?.start), p);
        return;
      }
      // A package's hook, also imported under another name (`import { usePath as current }`).
      const imported = packageHookOf(p, env.graph, env.module?.filename ?? env.filename, env.runtimeModule);
      const name = imported !== null ? imported.id.slice(imported.id.lastIndexOf('#') + 1) : calleeName(p.node);
      if (name === null || !(name === 'use' || /^use[A-Z0-9]/.test(name))) {
        const inner = scanHelpers(p, fn, contexts, seen, depth, env);
        if (inner !== null) stop(inner, p);
        return;
      }
      const at = p.node.loc?.start;
      if (name === 'useContext' || name === 'use') {
        const arg = p.node.arguments[0];
        if (arg === undefined || !moduleRoot(arg, p.scope)) {
          stop(refuse('SPLICE034', `${name}() of something other than a module-level context: the edge cannot know its value`, at), p);
          return;
        }
        const why = recordContext(arg, p, contexts, seen, env);
        if (why !== null) stop(refuse('SPLICE034', `${name}() ${why}`, at), p);
        return;
      }
      if (PURE_HOOKS.has(name)) return;
      if (name === 'useSyncExternalStore') {
        stop(refuse('SPLICE030', 'reads an external store (useSyncExternalStore): the edge cannot know its value', at), p);
        return;
      }
      const packageHook = imported;
      if (packageHook !== null) {
        const pkg = packageHook.source;
        if (inParameter(p)) {
          stop(refuse('SPLICE035', `calls ${name}() of the package ${JSON.stringify(pkg)} in a parameter's default value: Splice records a package hook only in the body of a component or a hook; call it there`, at), p);
          return;
        }
        // Wrapped by the loader wherever it is (see packageHooks.ts): the edge replays its result.
        if (functionArgument(p.node) !== undefined) {
          stop(refuse('SPLICE035', `passes a function to ${name}() of the package ${JSON.stringify(pkg)}: the edge replays a package hook's result recorded for the same arguments, and cannot compare functions; call it in a parent and pass its result down as a prop`, at), p);
          return;
        }
        const label = `${name} (${pkg})`;
        if (!env.replays.includes(label)) env.replays.push(label);
        return;
      }
      if (depth > 4) {
        stop(refuse('SPLICE035', `calls ${name}(), which nests custom hooks too deeply to follow`, at), p);
        return;
      }
      const local = localHook(p, name);
      const hook = local !== null ? { fn: local, module: env.module } : importedHook(p, env);
      if (typeof hook === 'string') {
        stop(refuse('SPLICE035', `calls ${name}() ${hook}`, at), p);
        return;
      }
      const inner = scanRender(hook.fn, contexts, seen, depth + 1, { ...env, module: hook.module });
      // A refusal inside another module is reported at the call in this one (the frame is of this file).
      if (inner !== null && !inner.ok) stop({ ...inner, reason: `${name}() ${inner.reason}`, loc: hook.module === env.module ? inner.loc : at }, p);
    },
  });
  return problem;
}

/**
 * The functions of the app a call during render runs: its callee and the functions handed to it
 * (`tags.map(label)`, `useMemo(compute)`), when each is a function at the top level of this
 * module or of another module of the app (imported by name). Each is scanned as the render is:
 * the clock, randomness, a module-level `let` of its own module, a global servers define
 * differently, read in a helper of a util module, are the render's reads as much as its own.
 * Packages are not read (as for hooks: the edge's first-render check is what catches them).
 */
function scanHelpers(call: NodePath<t.CallExpression>, fn: NodePath<t.Function>, contexts: t.Expression[], seen: Set<string>, depth: number, env: ScanEnv): Renderability | null {
  if (!mayRunDuringRender(call, fn)) return null;
  const name = calleeName(call.node);
  // An effect's or useCallback's functions do not run during render.
  const args = name !== null && EFFECT_HOOKS.has(name) ? [] : call.get('arguments');
  const at = call.node.loc?.start;
  const callee = call.get('callee');
  // `stamp.call(null)`, `stamp.apply(null, [])` run `stamp` as `stamp()` does.
  const called = callee.isMemberExpression() && memberName(callee.node) !== null && (memberName(callee.node) === 'call' || memberName(callee.node) === 'apply')
    ? callee.get('object') as NodePath
    : callee;
  for (const target of [called, ...args]) {
    const helper = helperFunction(target, env.module, env);
    if (helper === null) continue;
    const helpers = env.helpers ?? new Set<t.Node>();
    if (helpers.has(helper.fn.node)) continue;
    helpers.add(helper.fn.node);
    const label = calleeText(target.node);
    if (depth > 12) return refuse('SPLICE030', `calls ${label}(), which nests helper functions too deeply to follow: Splice cannot see whether they read the clock or other state the edge does not have`, at);
    const inner = scanRender(helper.fn, contexts, seen, depth + 1, { ...env, module: helper.module, helper: true, helpers });
    if (inner !== null && !inner.ok) {
      return { ...inner, reason: `calls ${label}(), which ${inner.reason}${/where the component is used/.test(inner.reason) ? '' : '; compute it where the component is used and pass it as a prop'}`, loc: helper.module === env.module ? inner.loc : at };
    }
  }
  return null;
}

/** How a refusal names a function the render calls: `stamp`, `utils.stamp` (a bound one by what it binds). */
function calleeText(node: t.Node): string {
  if (t.isIdentifier(node)) return node.name;
  if (t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) return `${calleeText(node.object)}.${memberName(node) ?? '[…]'}`;
  if (t.isCallExpression(node) && (t.isMemberExpression(node.callee) || t.isOptionalMemberExpression(node.callee)) && memberName(node.callee) === 'bind') return calleeText(node.callee.object);
  if (t.isCallExpression(node) && node.arguments.length > 0 && isCacheCall(node)) return calleeText(node.arguments[0]!);
  if (t.isTSAsExpression(node) || t.isTSNonNullExpression(node) || t.isTSSatisfiesExpression(node) || t.isParenthesizedExpression(node)) return calleeText(node.expression);
  return '…';
}

/**
 * `cache(fn)`, `React.cache(fn)`: React's memoizer for server components returns a function that
 * runs `fn` (once per request, which is once per render at the origin and at the edge alike), so
 * the wrapped function is what a call runs. Known by its name, whatever it is imported from: a
 * function of another memoizer called so is followed the same way, which can only refuse more.
 */
function isCacheCall(node: t.CallExpression): boolean {
  const callee = node.callee;
  return t.isIdentifier(callee, { name: 'cache' }) || (t.isMemberExpression(callee) && memberName(callee) === 'cache');
}

/**
 * Whether code can run when the render does: directly in the scanned function, or in functions
 * that are handed to a call (`.map`, a hook's initializer) or are local functions called or
 * handed on somewhere; not in a handler written in place or a function only JSX attributes take.
 */
function mayRunDuringRender(ref: NodePath, fn: NodePath<t.Function>): boolean {
  for (let f = ref.getFunctionParent(); f !== null && f.node !== fn.node; f = f.parentPath?.getFunctionParent() ?? null) {
    if (f.parentPath?.isCallExpression() && f.listKey === 'arguments') continue;
    const id = f.isFunctionDeclaration() ? f.node.id : f.parentPath?.isVariableDeclarator() ? f.parentPath.node.id : null;
    if (!t.isIdentifier(id)) return false;
    const binding = (f.parentPath ?? f).scope.getBinding(id.name);
    const called = binding?.referencePaths.some((r) => r.parentPath?.isCallExpression() === true && (r.key === 'callee' || r.listKey === 'arguments'));
    if (called !== true) return false;
  }
  return true;
}

/**
 * The function of the app that an expression used as a callee, or handed to a call, runs: a
 * function at the top level of this module or of another module of the app (imported by name,
 * by default or through a namespace, `utils.stamp`), reached through `const` aliases
 * (`const now = stamp`, in the module or in the render), `.bind` (`stamp.bind(null)`), React's
 * `cache(fn)`, and methods or properties of `const` objects (`const utils = { stamp() {} }`,
 * `{ stamp }`, nested, spread in) and static methods of classes. Functions the render writes in
 * place are not: they are scanned as part of the render. Null for anything else (a package's
 * function, a parameter, a value computed at run time).
 */
function helperFunction(expr: NodePath, module: ForeignModule | null, env: ScanEnv, depth = 0): { fn: NodePath<t.Function>; module: ForeignModule | null } | null {
  if (depth > 8) return null;
  const next = (p: NodePath, m: ForeignModule | null = module) => helperFunction(p, m, env, depth + 1);
  const node = expr.node;
  if (t.isTSAsExpression(node) || t.isTSNonNullExpression(node) || t.isTSSatisfiesExpression(node) || t.isParenthesizedExpression(node)) {
    return next(expr.get('expression') as NodePath);
  }
  if (expr.isIdentifier()) {
    const binding = expr.scope.getBinding(expr.node.name);
    if (binding === undefined) return null;
    const topLevel = binding.scope === binding.scope.getProgramParent();
    if (binding.kind === 'module') {
      const target = importTarget(binding, { ...env, module });
      if (target?.kind === 'function') return { fn: target.fn, module: target.module };
      return target?.kind === 'binding' ? declaredIn(target.module, target.local, env, depth) : null;
    }
    const fn = functionOf(binding.path);
    if (fn !== null) return topLevel ? { fn, module } : null;
    // An alias, at the top level or in the render: what it was set to, once.
    if (binding.kind !== 'const' && !(binding.kind === 'let' && binding.constantViolations.length === 0)) return null;
    if (!binding.path.isVariableDeclarator() || !t.isIdentifier(binding.path.node.id) || binding.path.node.init == null) return null;
    return next(binding.path.get('init') as NodePath);
  }
  if (expr.isCallExpression()) {
    const callee = expr.get('callee');
    // `stamp.bind(null)`: a function that runs `stamp`.
    if (callee.isMemberExpression() && memberName(callee.node) === 'bind') return next(callee.get('object') as NodePath);
    if (isCacheCall(expr.node) && expr.node.arguments.length > 0) return next(expr.get('arguments')[0] as NodePath);
    return null;
  }
  if (expr.isMemberExpression()) {
    const member = memberName(expr.node);
    if (member === null) return null;
    const object = expr.get('object') as NodePath;
    // `utils.stamp` of `import * as utils from './utils'`.
    const foreign = object.isIdentifier() ? namespaceImport(object, module, env) : null;
    if (foreign !== null) {
      const target = resolveExport(env.graph!, foreign, member);
      if (target.kind === 'function') return { fn: target.fn, module: target.module };
      return target.kind === 'binding' ? declaredIn(target.module, target.local, env, depth) : null;
    }
    const holder = objectOf(object, module, env, depth + 1);
    return holder === null ? null : propertyOf(holder.object, member, holder.module, env, depth + 1);
  }
  if (expr.isArrowFunctionExpression() || expr.isFunctionExpression()) {
    // Written in place in the render: scanned with it. At a module's top level: a helper.
    return expr.getFunctionParent() === null ? { fn: expr as NodePath<t.Function>, module } : null;
  }
  return null;
}

/** A top-level binding of another module, as a function (`export const now = stamp`, `export const utils = { … }`). */
function declaredIn(module: ForeignModule, local: string, env: ScanEnv, depth: number): { fn: NodePath<t.Function>; module: ForeignModule | null } | null {
  const binding = module.program.scope.getBinding(local);
  if (binding === undefined || !binding.path.isVariableDeclarator() || binding.path.node.init == null) return null;
  if (binding.kind !== 'const' && binding.constantViolations.length > 0) return null;
  return helperFunction(binding.path.get('init') as NodePath, module, env, depth + 1);
}

/** The object literal or class that an expression holding methods stands for (`utils`, `utils.time`, an import of one), with its module. */
function objectOf(expr: NodePath, module: ForeignModule | null, env: ScanEnv, depth: number): { object: NodePath<t.ObjectExpression | t.Class>; module: ForeignModule | null } | null {
  if (depth > 8) return null;
  if (expr.isObjectExpression() || expr.isClass()) return { object: expr as NodePath<t.ObjectExpression | t.Class>, module };
  if (expr.isTSAsExpression() || expr.isTSNonNullExpression() || expr.isTSSatisfiesExpression() || expr.isParenthesizedExpression()) {
    return objectOf(expr.get('expression') as NodePath, module, env, depth + 1);
  }
  if (expr.isIdentifier()) {
    const binding = expr.scope.getBinding(expr.node.name);
    if (binding === undefined) return null;
    if (binding.kind === 'module') {
      const target = importTarget(binding, { ...env, module });
      const anonymous = target?.kind === 'missing' ? defaultExpression(binding, module, env) : null;
      if (anonymous !== null) return objectOf(anonymous.expr, anonymous.module, env, depth + 1);
      if (target?.kind !== 'binding') return null;
      const found = target.module.program.scope.getBinding(target.local);
      if (found === undefined) return null;
      if (found.path.isClassDeclaration()) return { object: found.path, module: target.module };
      if (!found.path.isVariableDeclarator() || found.path.node.init == null) return null;
      return objectOf(found.path.get('init') as NodePath, target.module, env, depth + 1);
    }
    if (binding.path.isClassDeclaration()) return { object: binding.path, module };
    if (!binding.path.isVariableDeclarator() || binding.path.node.init == null) return null;
    return objectOf(binding.path.get('init') as NodePath, module, env, depth + 1);
  }
  if (expr.isMemberExpression()) {
    const member = memberName(expr.node);
    // `game.dice` of `import * as game from './dice'`: what that module exports as `dice`.
    const inner = expr.get('object') as NodePath;
    const namespace = member === null || !inner.isIdentifier() ? null : namespaceImport(inner, module, env);
    if (namespace !== null) {
      const target = resolveExport(env.graph!, namespace, member!);
      const found = target.kind === 'binding' ? target.module.program.scope.getBinding(target.local) : undefined;
      if (found?.path.isClassDeclaration()) return { object: found.path, module: target.kind === 'binding' ? target.module : null };
      if (found === undefined || !found.path.isVariableDeclarator() || found.path.node.init == null) return null;
      return objectOf(found.path.get('init') as NodePath, (target as { module: ForeignModule }).module, env, depth + 1);
    }
    const holder = member === null ? null : objectOf(expr.get('object') as NodePath, module, env, depth + 1);
    const value = holder === null || member === null ? null : propertyValue(holder.object, member);
    return value === null ? null : objectOf(value, holder!.module, env, depth + 1);
  }
  return null;
}

/** The module a namespace import (`import * as utils from './utils'`) names, parsed; null for anything else or a package. */
function namespaceImport(id: NodePath<t.Identifier>, module: ForeignModule | null, env: ScanEnv): ForeignModule | null {
  const binding = id.scope.getBinding(id.node.name);
  const decl = binding?.path.parentPath?.node;
  if (binding?.kind !== 'module' || !t.isImportNamespaceSpecifier(binding.path.node) || !t.isImportDeclaration(decl) || env.graph === null) return null;
  return foreignModule(env.graph, decl.source.value, module?.filename ?? env.filename);
}

/** `export default { stamp }` (an expression with no name) of the module a default import names, or null. */
function defaultExpression(binding: NonNullable<ReturnType<NodePath['scope']['getBinding']>>, module: ForeignModule | null, env: ScanEnv): { expr: NodePath; module: ForeignModule } | null {
  const decl = binding.path.parentPath?.node;
  if (env.graph === null || !t.isImportDefaultSpecifier(binding.path.node) || !t.isImportDeclaration(decl)) return null;
  const foreign = foreignModule(env.graph, decl.source.value, module?.filename ?? env.filename);
  for (const stmt of foreign?.program.get('body') ?? []) {
    if (stmt.isExportDefaultDeclaration() && t.isExpression(stmt.node.declaration)) return { expr: stmt.get('declaration') as NodePath, module: foreign! };
  }
  return null;
}

/** The value path of an object literal's property `name` (a spread object's too), or a class's static one; null if none. */
function propertyValue(object: NodePath<t.ObjectExpression | t.Class>, name: string): NodePath | null {
  if (object.isClass()) {
    for (const member of object.get('body').get('body')) {
      if (member.isClassMethod() && member.node.static && !member.node.computed && t.isIdentifier(member.node.key, { name }) && member.node.kind === 'method') return member;
      if (member.isClassProperty() && member.node.static && !member.node.computed && t.isIdentifier(member.node.key, { name }) && member.node.value != null) return member.get('value') as NodePath;
    }
    return null;
  }
  const properties = (object as NodePath<t.ObjectExpression>).get('properties');
  // The last property of that name wins, as in the object the module builds.
  for (let i = properties.length - 1; i >= 0; i--) {
    const prop = properties[i]!;
    const key = (prop.isObjectMethod() || prop.isObjectProperty()) && !prop.node.computed
      ? (t.isIdentifier(prop.node.key) ? prop.node.key.name : t.isStringLiteral(prop.node.key) ? prop.node.key.value : null)
      : null;
    if (prop.isObjectMethod() && prop.node.kind === 'method' && key === name) return prop;
    if (prop.isObjectProperty() && key === name) return prop.get('value') as NodePath;
    if (prop.isSpreadElement()) {
      const inner = prop.get('argument');
      const spread = inner.isObjectExpression() ? propertyValue(inner, name) : null;
      if (spread !== null) return spread;
    }
  }
  return null;
}

/** The function a property of an object literal or class holds, followed as `helperFunction` follows a name. */
function propertyOf(object: NodePath<t.ObjectExpression | t.Class>, name: string, module: ForeignModule | null, env: ScanEnv, depth: number): { fn: NodePath<t.Function>; module: ForeignModule | null } | null {
  const value = propertyValue(object, name);
  if (value === null) return null;
  if (value.isObjectMethod() || value.isClassMethod()) return { fn: value as NodePath<t.Function>, module };
  return helperFunction(value, module, env, depth + 1);
}

/** What a name imported from another module of the app (by name or default) is there, or null. */
function importTarget(binding: NonNullable<ReturnType<NodePath['scope']['getBinding']>>, env: ScanEnv): ExportTarget | null {
  const spec = binding.path.node;
  const decl = binding.path.parentPath?.node;
  if (env.graph === null || !t.isImportDeclaration(decl) || !(t.isImportSpecifier(spec) || t.isImportDefaultSpecifier(spec))) return null;
  const module = foreignModule(env.graph, decl.source.value, env.module?.filename ?? env.filename);
  return module === null ? null : resolveExport(env.graph, module, t.isImportSpecifier(spec) ? nameOf(spec.imported) : 'default');
}

/**
 * The runtime object (`Date`, `Math`, `process`…) whose clock or randomness `id` reaches: the
 * global itself, or a `const` that holds it under another name (`const D = Date`), whose members
 * read the same clock. Null for anything else.
 */
function impureGlobal(id: t.Identifier, scope: NodePath['scope'], depth = 0): string | null {
  const binding = scope.getBinding(id.name);
  if (binding === undefined) return id.name in IMPURE_CALLS ? id.name : null;
  if (depth > 8 || binding.kind !== 'const' || !binding.path.isVariableDeclarator()) return null;
  const { id: target, init } = binding.path.node;
  return t.isIdentifier(target) && t.isIdentifier(init) ? impureGlobal(init, binding.path.scope, depth + 1) : null;
}

/**
 * Methods that change an array or a set whatever they are given: a list or set kept at the
 * module and grown or consumed during render (`seen.push(id)`, `ids.add(id)`, `queue.shift()`)
 * holds what this process has rendered, so what the render reads of it differs between the
 * origin and each edge isolate. `set` counts only when its value is made from the object's own
 * (`views.set(k, (views.get(k) ?? 0) + 1)`): a memo cache's `cache.set(key, value)` stores the
 * same value for the same key in every process. Not `delete`/`clear`, which LRU caches call.
 */
const MUTATING_METHODS = new Set(['push', 'unshift', 'splice', 'pop', 'shift', 'reverse', 'add']);

/** `seen.push(x)`, `views.set(k, views.get(k) + 1)`… on a module-level object, during render: what is changed and by which method, else null. */
function countedByMethod(call: NodePath<t.CallExpression>, fn: NodePath<t.Function>): { what: string; method: string } | null {
  const callee = call.node.callee;
  if (!t.isMemberExpression(callee) && !t.isOptionalMemberExpression(callee)) return null;
  const method = memberName(callee);
  if (method === null || !(MUTATING_METHODS.has(method) || method === 'set')) return null;
  const what = moduleObjectChanged(callee.object, call, fn, true);
  if (what === null) return null;
  if (method === 'set') {
    const value = call.get('arguments')[1];
    let root: t.Node = callee.object;
    while (t.isMemberExpression(root) || t.isOptionalMemberExpression(root)) root = root.object;
    if (value === undefined || !t.isIdentifier(root) || !derivedFrom(value, (n) => t.isIdentifier(n, { name: (root as t.Identifier).name }))) return null;
  }
  return { what, method };
}

/**
 * Is the value of `expr` made from what `reads` matches: in the expression itself, or in the
 * locals it reads (their initializers and later assignments), a few steps deep. A local that is
 * stored as it is (`cache.set(k, f)`) and reassigned only from other values (`f = new
 * Intl.NumberFormat(…)`) is a memo cache's miss, not a count: its initializer (the lookup) is
 * left out then.
 */
function derivedFrom(expr: NodePath, reads: (n: t.Node) => boolean, depth = 0): boolean {
  if (depth > 4) return false;
  let found = false;
  const locals = new Set<NonNullable<ReturnType<NodePath['scope']['getBinding']>>>();
  const visit = (p: NodePath) => {
    if (reads(p.node)) { found = true; return; }
    if (p.isIdentifier() && p.isReferencedIdentifier()) {
      const binding = p.scope.getBinding(p.node.name);
      if (binding !== undefined && binding.scope !== binding.scope.getProgramParent() && binding.path.isVariableDeclarator()) locals.add(binding);
    }
  };
  visit(expr);
  if (!found) expr.traverse({ enter(p) { if (!found) visit(p); else p.stop(); } });
  if (found) return true;
  const stored = expr.isIdentifier() ? expr.node.name : null;
  for (const binding of locals) {
    const name = (binding.identifier as t.Identifier).name;
    const self = (n: t.Node) => reads(n) || t.isIdentifier(n, { name });
    const changes = binding.constantViolations;
    // `let f = cache.get(k); if (!f) { f = make(k); cache.set(k, f); }`: a memo's miss.
    const memo = stored === name && changes.length > 0 && changes.every((c) => !(c.isAssignmentExpression() && c.node.operator === '=' ? derivedFrom(c.get('right'), self, depth + 1) : true));
    if (memo) continue;
    const init = (binding.path as NodePath<t.VariableDeclarator>).get('init');
    if (init.node != null && derivedFrom(init as NodePath, reads, depth + 1)) return true;
    for (const change of changes) {
      if (change.isAssignmentExpression() && derivedFrom(change.get('right'), reads, depth + 1)) return true;
    }
  }
  return false;
}

/** Does `right` read `left` (`s.n = s.n + 1`): a count, not a memo cache's plain store. */
function readsItself(left: t.Node, right: t.Node): boolean {
  let found = false;
  t.traverseFast(right, (n) => { if (!found && t.isNodesEquivalent(n, left)) found = true; });
  return found;
}

/**
 * The member (`counter.n`, `stats.views`) of an object held by a module-level binding, or an
 * import, that `target` is, when the change can run during the render; else null.
 */
function moduleObjectChanged(target: t.Node, at: NodePath, fn: NodePath<t.Function>, whole = false): string | null {
  let root: t.Node = target;
  while (t.isMemberExpression(root) || t.isOptionalMemberExpression(root)) root = root.object;
  // `whole`: the object itself changes (`seen.push(x)`), not a binding assigned (`n++` of a `let` is refused as a read of it).
  if ((root === target && !whole) || !t.isIdentifier(root)) return null;
  const binding = at.scope.getBinding(root.name);
  if (binding === undefined || binding.scope !== at.scope.getProgramParent() || !mayRunDuringRender(at, fn)) return null;
  const text = (n: t.Node): string => (t.isMemberExpression(n) || t.isOptionalMemberExpression(n))
    ? `${text(n.object)}${!n.computed && t.isIdentifier(n.property) ? `.${n.property.name}` : '[…]'}`
    : t.isIdentifier(n) ? n.name : '…';
  return text(target);
}

/**
 * A module-level constant whose value comes from the clock, randomness or a runtime's globals
 * when its module loads (`const BOOT = Date.now()`, `const { random } = Math`, `const now =
 * Date.now`): the origin's process and each edge isolate load it apart, so the render reads
 * another value, or calls another function, at the edge. In this module, or imported by name from
 * another module of the app. Null when its initializer reads none of them.
 */
function loadedImpurely(binding: NonNullable<ReturnType<NodePath['scope']['getBinding']>>, env: ScanEnv): { what: string; where: string } | null {
  let declarator: NodePath = binding.path;
  // A helper's or a hook's module, when the read is in one.
  let where = env.module === null || env.module.filename === env.filename ? 'this module' : relativeSpecifier(env.filename, env.module.filename);
  if (binding.kind === 'module') {
    const target = importTarget(binding, env);
    if (target?.kind !== 'binding') return null;
    const found = target.module.program.scope.getBinding(target.local);
    if (found === undefined || found.kind === 'module') return null;
    declarator = found.path;
    where = relativeSpecifier(env.filename, target.module.filename);
  }
  const what = impureInitializer(declarator, env, new Set());
  return what === null ? null : { what, where };
}

/**
 * Why a module-level declarator's value differs per process (`set from \`Date.now\``), or null:
 * read in its initializer, or in the module-level constants it is computed from and the functions
 * of its module the initializer calls (`const BOOT = Date.now(); const LABEL = \`v${BOOT}\``,
 * `const STAMP = stamp()`), which load with it.
 */
function impureInitializer(declarator: NodePath, env: RenderabilityEnv, visited: Set<t.Node>): string | null {
  if (visited.has(declarator.node)) return null;
  visited.add(declarator.node);
  if (!declarator.isVariableDeclarator() || declarator.node.init == null) return null;
  const { id, init } = declarator.node;
  const program = declarator.scope.getProgramParent();
  const global = (name: string) => program.getBinding(name) === undefined;
  // `const { now } = Date`: the impure member taken out of its object.
  if (t.isObjectPattern(id) && t.isIdentifier(init) && init.name in IMPURE_CALLS && global(init.name)) {
    let what: string | null = null;
    const members = IMPURE_CALLS[init.name];
    for (const prop of id.properties) {
      const key = t.isObjectProperty(prop) && !prop.computed && t.isIdentifier(prop.key) ? prop.key.name : null;
      if (members === null || (key !== null && members?.has(key))) what ??= `taken from \`${init.name}${key === null ? '' : `.${key}`}\``;
    }
    return what;
  }
  return impureAtLoad(declarator.get('init') as NodePath, env, visited);
}

/**
 * What code that runs when its module loads (an initializer, or the body of a function it calls)
 * reads of the clock, randomness or a runtime's globals, directly or through the module's other
 * constants and functions; not inside functions it only creates (`{ stamp: () => Date.now() }`).
 */
function impureAtLoad(start: NodePath, env: RenderabilityEnv, visited: Set<t.Node>): string | null {
  const program = start.scope.getProgramParent();
  const global = (name: string) => program.getBinding(name) === undefined;
  let what: string | null = null;
  const check = (p: NodePath): boolean => {
    const n = p.node;
    if (t.isMemberExpression(n) && inlinedEnvRead(n, env) && global('process')) return false;
    if (t.isMemberExpression(n) && t.isIdentifier(n.object) && n.object.name in IMPURE_CALLS && global(n.object.name)) {
      const members = IMPURE_CALLS[n.object.name];
      const member = memberName(n);
      if (members === null || (member !== null && members?.has(member))) what = `set from \`${n.object.name}${member === null ? '' : `.${member}`}\``;
    } else if ((t.isNewExpression(n) ? n.arguments.length === 0 : t.isCallExpression(n)) && t.isIdentifier((n as t.CallExpression).callee, { name: 'Date' }) && global('Date')) {
      what = t.isNewExpression(n) ? 'set from the clock (`new Date()`)' : 'set from the clock (`Date()`)';
    } else if (t.isIdentifier(n) && DIFFERENT_ON_SERVERS.has(n.name) && global(n.name)) {
      what = `set from \`${n.name}\``;
    } else if (p.isCallExpression() && !isCacheCall(p.node)) {
      // What the call runs at load, reached other than by its plain name (handled below):
      // `stamp.call(null)`, `utils.stamp()`, and `now()` of `const now = stamp`.
      const callee = p.get('callee');
      const target = callee.isMemberExpression() && (memberName(callee.node) === 'call' || memberName(callee.node) === 'apply') ? callee.get('object') as NodePath : callee;
      const alias = target.isIdentifier() && functionOf(program.getBinding(target.node.name)?.path ?? target) === null;
      // And the functions it is handed by name (`[1, 2].map(roll)`), which it may call.
      const targets = [...(!target.isIdentifier() || alias || target !== callee ? [target] : []), ...p.get('arguments').filter((a) => !a.isFunction())];
      // This module's functions only, as for a plain name (imports are not followed at load).
      const local: ScanEnv = { ...env, graph: null, module: null, imports: [], replays: [], program };
      for (const at of targets) {
        const helper = what === null ? helperFunction(at, null, local) : null;
        if (helper === null || visited.has(helper.fn.node)) continue;
        visited.add(helper.fn.node);
        const inner = impureAtLoad(helper.fn.get('body') as NodePath, env, visited);
        if (inner !== null) what = `${at === target ? 'returned by' : 'run by a call with'} \`${calleeText(at.node)}()\`, ${inner}`;
      }
    } else if (t.isIdentifier(n) && p.isReferencedIdentifier()) {
      const binding = p.scope.getBinding(n.name);
      if (binding !== undefined && binding.scope === program && binding.kind !== 'module') {
        const fn = functionOf(binding.path);
        const called = p.parentPath?.isCallExpression() === true && p.key === 'callee';
        const inner = fn === null ? impureInitializer(binding.path, env, visited)
          : called && !visited.has(fn.node) ? (visited.add(fn.node), impureAtLoad(fn.get('body') as NodePath, env, visited))
          : null;
        if (inner !== null) what = `${fn === null ? `computed from \`${n.name}\`` : `returned by \`${n.name}()\``}, ${inner}`;
      }
    }
    return true;
  };
  if (start.isFunction() || start.isClass()) return null;
  if (!check(start)) return null;
  if (what !== null) return what;
  start.traverse({
    enter(p) {
      if (what !== null || (p.isFunction() && !runsAtLoad(p)) || p.isClass() || !check(p)) p.skip();
      if (what !== null) p.stop();
    },
  });
  return what;
}

/**
 * A function written in place that the code around it calls as it runs: called itself
 * (`(() => Date.now())()`), or handed to a call (`[1].map(() => Math.random())`), which may call
 * it (any but `cache(fn)`, which only wraps it). One stored in an object or a constant is only created.
 */
function runsAtLoad(fn: NodePath<t.Function>): boolean {
  const parent = fn.parentPath;
  if (!parent?.isCallExpression()) return false;
  return fn.key === 'callee' || (fn.listKey === 'arguments' && !isCacheCall(parent.node));
}

/**
 * `process.env.NAME` where the build replaces it by a constant, in the app's bundles and in the
 * edge module alike (`RenderabilityEnv.inlinedEnv`): the same value on both sides.
 */
function inlinedEnvRead(node: t.MemberExpression, env: RenderabilityEnv): boolean {
  if (env.inlinedEnv === undefined) return false;
  const inner = node.object;
  if (!t.isMemberExpression(inner) || inner.computed || !t.isIdentifier(inner.object, { name: 'process' }) || !t.isIdentifier(inner.property, { name: 'env' })) return false;
  const name = memberName(node);
  return name !== null && env.inlinedEnv(name);
}

/**
 * A read of a global that certainly runs when the render does: directly in the scanned function's
 * body (not in a function it creates), not the operand of `typeof`, and not under a test of
 * `typeof` it (either branch is the same on the server and at the edge).
 */
function certainlyRead(ref: NodePath, name: string, fn: NodePath<t.Function>): boolean {
  if (ref.parentPath?.isUnaryExpression({ operator: 'typeof' })) return false;
  if (ref.getFunctionParent()?.node !== fn.node) return false;
  for (let p: NodePath | null = ref; p !== null && p.node !== fn.node; p = p.parentPath) {
    const parent = p.parentPath;
    if (parent === null) break;
    const test = parent.isConditionalExpression() || parent.isIfStatement() ? (p.key === 'test' ? null : parent.node.test)
      : parent.isLogicalExpression() && p.key === 'right' ? parent.node.left : null;
    if (test !== null && testsTypeof(test, name)) return false;
  }
  return true;
}

function testsTypeof(test: t.Node, name: string): boolean {
  let found = false;
  t.traverseFast(test, (n) => {
    if (t.isUnaryExpression(n, { operator: 'typeof' }) && t.isIdentifier(n.argument, { name })) found = true;
  });
  return found;
}

/**
 * A custom hook imported from another module of the app, found through the module graph; or why
 * it cannot be followed.
 */
function importedHook(call: NodePath<t.CallExpression>, env: ScanEnv): { fn: NodePath<t.Function>; module: ForeignModule } | string {
  const callee = call.node.callee;
  const binding = t.isIdentifier(callee) ? call.scope.getBinding(callee.name) : undefined;
  const spec = binding?.kind === 'module' ? binding.path.node : null;
  const decl = binding?.path.parentPath?.node;
  if (spec === null || !t.isImportDeclaration(decl) || !(t.isImportSpecifier(spec) || t.isImportDefaultSpecifier(spec))) {
    return 'from another module, which it does not import by name: Splice cannot see whether it reads browser state or context; inline it or move it into this module';
  }
  const source = decl.source.value;
  if (env.graph === null) return `from ${source}, which this build cannot read (compile() was given no module reader): inline it or move it into this module`;
  const module = foreignModule(env.graph, source, env.module?.filename ?? env.filename);
  if (module === null && !source.startsWith('.')) {
    return `from the package ${JSON.stringify(source)}: Splice does not read packages, so it cannot see whether it reads browser state or a context the edge cannot know`;
  }
  if (module === null) return `from ${source}, which cannot be read or parsed`;
  const target = resolveExport(env.graph, module, t.isImportSpecifier(spec) ? nameOf(spec.imported) : 'default');
  if (target.kind !== 'function') return `from ${source}, where it is not a function the build can follow`;
  return { fn: target.fn, module: target.module };
}

/**
 * Adds a context the render reads (`arg` of `useContext(arg)` in `call`, a module-level value) to
 * those an instance records. Null when done, else why it cannot be.
 */
function recordContext(arg: t.Node, call: NodePath, contexts: t.Expression[], seen: Set<string>, env: ScanEnv): string | null {
  // The component's own module, reached again through another (a child that imports from it).
  const own = env.module === null || env.module.filename === env.filename;
  if (!own) return foreignContext(arg, call, contexts, seen, env);
  recordOwn(arg as t.Expression, contexts, seen);
  return null;
}

/** A context named in the component's own module: recorded as that expression, once. */
function recordOwn(arg: t.Expression, contexts: t.Expression[], seen: Set<string>): void {
  const text = sourceOf(arg);
  if (seen.has(text)) return;
  seen.add(text);
  contexts.push(t.cloneNode(arg, true));
}

/** A context of another module: imported into the component's module (one local per module) and recorded, once. */
function recordImported(source: string, imported: string, name: string, contexts: t.Expression[], seen: Set<string>, env: ScanEnv): void {
  const key = `${source}#${imported}`;
  if (seen.has(key)) return;
  seen.add(key);
  const local = sharedLocal(env.program, key, `splice_${imported === 'default' || imported.startsWith(EXPOSED_PREFIX) ? name : imported}`);
  env.imports.push({ source, imported, local });
  contexts.push(t.cloneNode(local));
}

/**
 * A context read in a hook of another module: the component's module must reach the same context
 * object to record its value, through an import of it. Null when it can, else why not.
 */
function foreignContext(arg: t.Node, call: NodePath, contexts: t.Expression[], seen: Set<string>, env: ScanEnv): string | null {
  const module = env.module as ForeignModule;
  const where = relativeSpecifier(env.filename, module.filename);
  if (!t.isIdentifier(arg)) return `of ${sourceOf(arg)} in ${where}: name the context by an identifier`;
  const binding = call.scope.getBinding(arg.name);
  if (binding === undefined) return `of an unknown ${arg.name}`;
  let source: string;
  let imported: string;
  if (binding.kind === 'module') {
    const spec = binding.path.node;
    const decl = binding.path.parentPath?.node;
    if (!t.isImportDeclaration(decl) || !(t.isImportSpecifier(spec) || t.isImportDefaultSpecifier(spec))) return `of ${arg.name}, a namespace import: import the context by name`;
    imported = t.isImportSpecifier(spec) ? nameOf(spec.imported) : 'default';
    source = decl.source.value;
    if (source.startsWith('.')) {
      const file = env.graph?.read(source, module.filename)?.filename;
      if (file === undefined) return `of ${arg.name} from ${source}, which cannot be read`;
      source = relativeSpecifier(env.filename, file);
    }
  } else {
    // A context the module keeps to itself is exported under a reserved name when it is compiled.
    const exposable = isCreateContext(constInit(binding)) && isEsModule(module.program.node, module.code);
    const exported = exportNameOf(module.program.node, arg.name) ?? (exposable ? `${EXPOSED_PREFIX}${arg.name}` : null);
    if (exported === null) return `of ${arg.name}, which ${where} does not export and does not create with createContext(): export it so that the edge can record its value`;
    imported = exported;
    source = relativeSpecifier(env.filename, module.filename);
  }
  recordImported(source, imported, arg.name, contexts, seen, env);
  return null;
}

/** Per module being compiled: the local each imported context got, so that its components share one import. */
const contextLocals = new WeakMap<NodePath['scope'], Map<string, t.Identifier>>();

function sharedLocal(program: NodePath['scope'], key: string, hint: string): t.Identifier {
  // By scope, not node: a tree compiled again (watch mode, a shared tree) gets new scopes and names.
  let locals = contextLocals.get(program);
  if (locals === undefined) contextLocals.set(program, (locals = new Map()));
  let local = locals.get(key);
  if (local === undefined) locals.set(key, (local = program.generateUidIdentifier(hint)));
  return t.cloneNode(local);
}

/** The initializer of a top-level `const` binding, or null. */
function constInit(binding: NonNullable<ReturnType<NodePath['scope']['getBinding']>>): t.Node | null {
  return binding.kind === 'const' && binding.path.isVariableDeclarator() ? binding.path.node.init ?? null : null;
}

/** A custom hook defined at the top level of this module, as a function. */
function localHook(call: NodePath<t.CallExpression>, name: string): NodePath<t.Function> | null {
  if (!t.isIdentifier(call.node.callee)) return null;
  const binding = call.scope.getBinding(name);
  if (binding === undefined || binding.scope !== call.scope.getProgramParent()) return null;
  return functionOf(binding.path);
}

function sourceOf(node: t.Node): string {
  if (t.isIdentifier(node)) return node.name;
  if (t.isMemberExpression(node) && t.isIdentifier(node.property)) return `${sourceOf(node.object)}.${node.property.name}`;
  return `@${node.start ?? 0}`;
}
