import * as nodePath from 'path';
import * as t from '@babel/types';
import type { SourceLocation } from './diagnostics';
import { EXPOSED_PREFIX, isCreateContext, isEsModule } from './exposeContexts';
import { exportNameOf, memberName, moduleTree, nameOf, relativeSpecifier } from './modules';
import { eachChild } from './babel';
import type { ModuleGraph, ModuleSource } from './modules';

/**
 * The contexts a component's descendants read: the components its render creates elements of,
 * and theirs in turn, followed through the app's modules with the custom hooks they call.
 *
 * Why: the edge re-renders an instance's whole subtree under the contexts the instance recorded.
 * A child that reads a context the component itself does not read would get the context's
 * default value. The edge's first-render check sees that for a child the cached page shows, but
 * not for one only an override shows (`{sale && <Badge/>}`): that page would not hydrate.
 *
 * This walks bare syntax trees, with no Babel paths or scopes: a page component reaches most of
 * the app, and a scope crawl of every module it reaches, in every compile, cost half the
 * analyzer's throughput. Names resolve against each module's top-level bindings only; a local
 * that shadows one can only add a context to record, which is harmless.
 *
 * Followed: `<Badge>` and `createElement(Badge, …)`, through `memo(…)` / `forwardRef(…)` of a
 * function or of a name, the first argument of any other wrapper (an app's higher-order
 * component), class components (`static contextType` reads its context), aliases, and re-exports
 * however many barrels deep (a cycle of them ends the lookup). `<Ctx.Consumer>` reads `Ctx`, as
 * `useContext(Ctx)` does.
 *
 * Not followed: components from packages (Splice does not read packages), elements of a type held
 * in a variable, and `<Ns.Member>` (but `<Ctx.Consumer>`); nor effects, which do not run in a
 * server render. For those the edge's first-render check is all there is.
 */
export type DescendantRead =
  /** Read in the component's own module: recorded as that expression. */
  | { kind: 'own'; arg: t.Expression }
  /** Read in another module: the component's module imports it (`source` relative to it, or a package). */
  | { kind: 'import'; source: string; imported: string; name: string };

export type DescendantContexts =
  | { ok: true; reads: DescendantRead[] }
  /** `impure`: a descendant reads the clock or randomness (SPLICE030), not a context it cannot record (SPLICE034). */
  | { ok: false; reason: string; loc: SourceLocation | undefined; impure?: boolean };

/** What renders: a function component or hook, or a class component (its render, its `static contextType`). */
type Walkable = t.Function | t.Class;

/** A module's top-level bindings, by local name. */
type Top =
  | { kind: 'import'; source: string; imported: string }
  | { kind: 'function'; fn: Walkable }
  /** `key`: a name destructured out of `init` (`const { random } = Math`). */
  | { kind: 'const'; init: t.Expression | null | undefined; key?: string }
  | { kind: 'other' };

interface Facts {
  filename: string;
  code: string;
  program: t.Program;
  top: Map<string, Top>;
  /**
   * What the module's top-level statements add to its names: `Card.Header = …` (by
   * `Card\0Header`, the value) and `Object.assign(Card, { Header })` (by `Card\0`, the objects
   * assigned), the ways compound components are built besides an object literal.
   */
  added: Map<string, t.Node[]>;
}

/** What one function does directly during render. */
interface Direct {
  contexts: { arg: t.Expression; how: string; loc: SourceLocation | undefined }[];
  /** `useContext(x)` of something that is not a module-level binding. */
  unknown: { how: string; loc: SourceLocation | undefined } | null;
  /**
   * Components it creates elements of and custom hooks it calls, by local name, and the member
   * taken of it (`<parts.Stamp>`: `parts`, `Stamp`; null for the name itself; see `memberUse`).
   */
  uses: { name: string; member: string | null; label: string; loc: SourceLocation | undefined }[];
  /** The first read of the clock or randomness outside handlers and effects. */
  impure: { how: string; loc: SourceLocation | undefined } | null;
  /**
   * Names of the module's top level it reads outside handlers and effects (helpers it calls or
   * hands on, constants), with the member read of it (`dice.roll`), once each: what the
   * descendant runs or reads of its modules besides its own body.
   */
  refs: { name: string; member: string | null; loc: SourceLocation | undefined }[];
}

/**
 * What is known of the trees of one set of parsed modules (one compile, or a `splice analyze`
 * run that shares them). Plain maps, held by that set: a process-wide WeakMap keyed by syntax
 * nodes would have V8's scavenger treat every entry as a root and promote every tree it names,
 * which is what made garbage collection a third of the analyzer's time before (see `releaseTree`).
 */
interface Known {
  facts: Map<t.Program, Facts>;
  direct: Map<Walkable, Direct>;
  /** Why a module's top-level constant differs per process (`set from \`Date.now\``), by `file\0name`; null: it does not. */
  loaded: Map<string, string | null>;
  /**
   * The module being compiled, as its compile parsed it. Another module's import of it (a child
   * that imports back from it) names this one: its contexts are its own bindings, whichever tree
   * of the file that import found (a compile's own, or one `splice analyze` shares).
   */
  own?: Facts;
}
const knownOf = new WeakMap<object, Known>();

function knownFor(graph: ModuleGraph | null): Known {
  const fresh = (): Known => ({ facts: new Map(), direct: new Map(), loaded: new Map() });
  if (graph === null) return fresh();
  let known = knownOf.get(graph.trees);
  if (known === undefined) knownOf.set(graph.trees, (known = fresh()));
  return known;
}

/** React's hooks that call no component code of the app (their callbacks are the component's own, walked with it). */
const REACT_HOOKS = new Set([
  'useState', 'useReducer', 'useMemo', 'useCallback', 'useRef', 'useId', 'useEffect', 'useLayoutEffect', 'useInsertionEffect',
  'useTransition', 'useDeferredValue', 'useImperativeHandle', 'useDebugValue', 'useOptimistic', 'useActionState', 'useSyncExternalStore',
]);
/** Hooks whose callbacks never run in a server render. */
const AFTER_RENDER = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect', 'useImperativeHandle']);

export function findDescendantContexts(fn: t.Function, program: t.Program, filename: string, code: string, graph: ModuleGraph | null): DescendantContexts {
  const known = knownFor(graph);
  const own = facts(known, { filename, code }, program);
  known.own = own;
  const reads: DescendantRead[] = [];
  const visited = new Set<Walkable>([fn]);
  const queue: { fn: Walkable; module: Facts; chain: string[]; loc: SourceLocation | undefined }[] = [{ fn, module: own, chain: [], loc: undefined }];
  while (queue.length > 0) {
    const at = queue.shift()!;
    const direct = directReads(known, at.fn, at.module.top);
    const foreign = at.module !== own;
    const through = at.chain.length === 0 ? '' : `${at.chain.join(', which ')}${foreign ? ` (${relativeSpecifier(filename, at.module.filename)})` : ''}, which `;
    // Where to point: the read itself in this file, else the element or call in it that leads there.
    const where = (loc: SourceLocation | undefined) => (foreign ? at.loc : loc ?? at.loc);
    if (direct.unknown !== null) {
      return { ok: false, reason: `${through}${direct.unknown.how} of something other than a module-level context: the edge cannot know its value`, loc: where(direct.unknown.loc) };
    }
    // The component's own render is held to this by renderability.ts, with scopes.
    if (direct.impure !== null && at.fn !== fn) {
      return { ok: false, impure: true, reason: `${through}${direct.impure.how} during render: the edge's re-render gets another value than the origin's, and where only an override shows that child, the edge's check of its first re-render against the cached page cannot see it; pass the time or the draw down as a prop`, loc: where(direct.impure.loc) };
    }
    for (const read of direct.contexts) {
      if (!at.module.top.has(rootName(read.arg))) {
        return { ok: false, reason: `${through}${read.how} of something other than a module-level context: the edge cannot know its value`, loc: where(read.loc) };
      }
      const found = foreign ? importedContext(read.arg, at.module, own, graph) : { kind: 'own' as const, arg: read.arg };
      if (typeof found === 'string') return { ok: false, reason: `${through}reads a context ${found}`, loc: where(read.loc) };
      reads.push(found.kind === 'import' ? ownImport(own, found, graph) ?? found : found);
    }
    for (const use of direct.uses) {
      for (const next of elementTypes(known, at.module, use.name, use.member, graph)) {
        if (visited.has(next.fn)) continue;
        visited.add(next.fn);
        queue.push({ fn: next.fn, module: next.module, chain: [...at.chain, use.label], loc: at.loc ?? use.loc });
      }
    }
    // What a descendant runs or reads of its modules: the helpers it calls and the constants it
    // reads are its render's as much as its body (the component's own are renderability.ts's).
    if (at.fn !== fn) {
      for (const ref of direct.refs) {
        const label = `${ref.name}${ref.member === null ? '' : `.${ref.member}`}`;
        const loaded = loadedImpurely(known, at.module, ref.name, graph, new Set());
        if (loaded !== null) {
          return { ok: false, impure: true, reason: `${through}reads \`${ref.name}\`, ${loaded.what} when ${relativeSpecifier(filename, loaded.where)} was loaded: the origin's server and the edge load it apart, and where only an override shows that child, the edge's check of its first re-render against the cached page cannot see it; pass the value down as a prop`, loc: where(ref.loc) };
        }
        for (const next of helpersOf(known, at.module, ref.name, ref.member, graph, 0)) {
          if (visited.has(next.fn)) continue;
          visited.add(next.fn);
          queue.push({ fn: next.fn, module: next.module, chain: [...at.chain, `calls ${label}()`], loc: at.loc ?? ref.loc });
        }
      }
    }
  }
  return { ok: true, reads };
}

/**
 * The functions an element type (or a hook) named in a render can be: the one function a name
 * stands for (through `memo`, wrappers, aliases and imports), else, for a member (`<parts.Stamp>`),
 * a name destructured from an object (`const { Stamp } = parts`) or a namespace import, what
 * `helpersOf` finds there, wrappers followed as for a name. Over-approximate, which can only
 * refuse more.
 */
function elementTypes(known: Known, module: Facts, name: string, member: string | null, graph: ModuleGraph | null): { fn: Walkable; module: Facts }[] {
  if (member === null) {
    const one = functionNamed(known, module, name, graph, new Set());
    if (one !== null) return [one];
  }
  return helpersOf(known, module, name, member, graph, 0, true);
}

/**
 * How deep a lookup goes (each import, alias, spread or member taken costs one to three): deep
 * enough for layered kits (`{ ...base }` of `{ ...ui }` of `{ ...parts }`; 8 lost the third
 * layer, which under-refuses), bounded for odd input, cycles being cut and lookups kept (`helpersOf`).
 */
const MAX_DEPTH = 32;

/** A top-level name of a module, followed through imports and re-exports to where it is declared. */
type Declared = { module: Facts; local: string } | { module: Facts; expr: t.Node } | { module: Facts; namespace: Facts };

function declaredAs(known: Known, module: Facts, name: string, graph: ModuleGraph | null, depth: number): Declared | null {
  if (depth > MAX_DEPTH) return null;
  const top = module.top.get(name);
  if (top === undefined) return null;
  if (top.kind !== 'import') return { module, local: name };
  if (graph === null) return null;
  const next = moduleFor(known, graph, top.source, module.filename);
  if (next === null) return null;
  // `import * as kit` that this module hands on (`export { kit }`): the namespace itself.
  return top.imported === '*' ? { module, namespace: next } : exportedAs(known, next, top.imported, graph, depth + 1);
}

/** What a module exports as `name`, where it is declared (through re-exports, `export *` too). */
function exportedAs(known: Known, module: Facts, name: string, graph: ModuleGraph, depth: number): Declared | null {
  if (depth > MAX_DEPTH) return null;
  // In one resolution, a module asked again for the same name (barrels that `export *` each
  // other, or share one) answers nothing new: the first ask found nothing, or is still looking.
  // Else k barrels re-exporting each other cost k to the depth's power.
  const outer = exporting === null;
  if (outer) exporting = new Map();
  try {
    const key = `${module.filename}\0${name}`;
    const before = exporting!.get(key);
    if (before !== undefined && before <= depth) return null;
    exporting!.set(key, depth);
    return exportedFrom(known, module, name, graph, depth);
  } finally {
    if (outer) exporting = null;
  }
}
/** The modules and names one `exportedAs` resolution has asked, at the least depth; null between them. */
let exporting: Map<string, number> | null = null;

function exportedFrom(known: Known, module: Facts, name: string, graph: ModuleGraph, depth: number): Declared | null {
  for (const stmt of module.program.body) {
    if (t.isExportNamedDeclaration(stmt) && stmt.exportKind !== 'type') {
      const decl = stmt.declaration;
      if ((t.isFunctionDeclaration(decl) || t.isClassDeclaration(decl)) && decl.id?.name === name) return { module, local: name };
      if (t.isVariableDeclaration(decl) && module.top.has(name) && decl.declarations.some((d) => Object.hasOwn(t.getBindingIdentifiers(d.id), name))) return { module, local: name };
      for (const spec of stmt.specifiers) {
        if (t.isExportNamespaceSpecifier(spec) && stmt.source != null && nameOf(spec.exported) === name) {
          // `export * as kit from './parts'`.
          const next = moduleFor(known, graph, stmt.source.value, module.filename);
          return next === null ? null : { module, namespace: next };
        }
        if (!t.isExportSpecifier(spec) || nameOf(spec.exported) !== name) continue;
        if (stmt.source == null) return declaredAs(known, module, spec.local.name, graph, depth + 1);
        const next = moduleFor(known, graph, stmt.source.value, module.filename);
        return next === null ? null : exportedAs(known, next, spec.local.name, graph, depth + 1);
      }
    } else if (t.isExportDefaultDeclaration(stmt) && name === 'default') {
      const decl = stmt.declaration;
      if (t.isIdentifier(decl)) return declaredAs(known, module, decl.name, graph, depth + 1);
      return { module, expr: decl };
    }
  }
  if (name === 'default') return null;
  for (const stmt of module.program.body) {
    if (!t.isExportAllDeclaration(stmt) || stmt.exportKind === 'type') continue;
    const next = moduleFor(known, graph, stmt.source.value, module.filename);
    const found = next === null ? null : exportedAs(known, next, name, graph, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The functions of the app that reading `name` (or its `member`) of a module can run: a function
 * declared there, what a `const` holds (a function, an alias, `fn.bind(…)`, `cache(fn)`, an
 * object literal's method, or all of its functions when no member is named), through imports and
 * namespace imports. Over-approximate, which can only refuse more.
 */
function helpersOf(known: Known, module: Facts, name: string, member: string | null, graph: ModuleGraph | null, depth: number, element = false): { fn: Walkable; module: Facts }[] {
  if (depth > MAX_DEPTH) return [];
  // A lookup is a union: a name met again in it (`const Card = { ...Card }`, `Card.X = Card.X`,
  // an object spread from another many times: `{ ...b, ...b, … }` of `{ ...a, ...a, … }`) adds
  // nothing its first visit did not, unless that visit had less depth left. Else each object that
  // names another k times would multiply the walk by k at every level.
  const key = `${module.filename}\0${name}\0${member ?? ''}\0${element ? 1 : 0}`;
  const outer = expanded === null;
  if (outer) expanded = new Map();
  try {
    const before = expanded!.get(key);
    if (before !== undefined && before <= depth) return [];
    expanded!.set(key, depth);
    return lookUp(known, module, name, member, graph, depth, element);
  } finally {
    if (outer) expanded = null;
  }
}
/** The names a lookup has visited (see `helpersOf`), at the least depth; null between lookups. */
let expanded: Map<string, number> | null = null;

function lookUp(known: Known, module: Facts, name: string, member: string | null, graph: ModuleGraph | null, depth: number, element: boolean): { fn: Walkable; module: Facts }[] {
  const top = module.top.get(name);
  if (top?.kind === 'import' && top.imported === '*') {
    const next = member === null || graph === null ? null : moduleFor(known, graph, top.source, module.filename);
    return next === null ? [] : namespaceHelpers(known, next, member, graph, depth + 1, element);
  }
  const found = declaredAs(known, module, name, graph, depth + 1);
  return found === null ? [] : declaredHelpers(known, found, member, graph, depth + 1, element);
}

/** What a namespace's `member` export stands for, all of it (`<kit.ui.card.Header>`: everything `ui` holds). */
function namespaceHelpers(known: Known, namespace: Facts, member: string | null, graph: ModuleGraph | null, depth: number, element: boolean): { fn: Walkable; module: Facts }[] {
  const found = member === null || graph === null ? null : exportedAs(known, namespace, member, graph, depth + 1);
  return found === null ? [] : declaredHelpers(known, found, null, graph, depth + 1, element);
}

/** `element`: what is looked for is an element type, so a class counts, and a call stands for what it wraps (`memo(Badge)`). */
function declaredHelpers(known: Known, found: Declared, member: string | null, graph: ModuleGraph | null, depth: number, element = false): { fn: Walkable; module: Facts }[] {
  if ('expr' in found) return valueHelpers(known, found.module, found.expr, member, graph, depth, element);
  if ('namespace' in found) return depth > MAX_DEPTH ? [] : namespaceHelpers(known, found.namespace, member, graph, depth, element);
  // Members the module's statements add to the name (`Card.Header = …`, `Object.assign(Card, { Header })`).
  const added: { fn: Walkable; module: Facts }[] = [];
  if (member !== null && depth <= MAX_DEPTH) {
    for (const value of found.module.added.get(`${found.local}\0${member}`) ?? []) added.push(...valueHelpers(known, found.module, value, null, graph, depth + 1, element));
    for (const object of found.module.added.get(`${found.local}\0`) ?? []) added.push(...valueHelpers(known, found.module, object, member, graph, depth + 1, element));
  }
  const top = found.module.top.get(found.local);
  if (top?.kind === 'function') {
    if (member !== null && t.isClass(top.fn)) return [...added, ...staticHelpers(known, found.module, top.fn, member, graph, depth, element)];
    return member === null && (element || t.isFunction(top.fn)) ? [{ fn: top.fn, module: found.module }] : added;
  }
  if (top?.kind !== 'const' || top.init == null) return added;
  if (top.key !== undefined) return [...added, ...valueHelpers(known, found.module, top.init, top.key, graph, depth, element)];
  return [...added, ...valueHelpers(known, found.module, top.init, member, graph, depth, element)];
}

/** A class's static member (`static Header = …`, `static Header() {}`): the compound component a class holds. */
function staticHelpers(known: Known, module: Facts, cls: t.Class, member: string, graph: ModuleGraph | null, depth: number, element: boolean): { fn: Walkable; module: Facts }[] {
  const out: { fn: Walkable; module: Facts }[] = [];
  for (const item of cls.body.body) {
    if (!(t.isClassProperty(item) || t.isClassMethod(item)) || !item.static || item.computed) continue;
    const key = t.isIdentifier(item.key) ? item.key.name : t.isStringLiteral(item.key) ? item.key.value : null;
    if (key !== member) continue;
    if (t.isClassMethod(item)) out.push({ fn: item, module });
    else if (t.isClassProperty(item) && item.value != null) out.push(...valueHelpers(known, module, item.value, null, graph, depth + 1, element));
  }
  return out;
}

/** The functions an expression at a module's top level stands for (see `helpersOf`). */
function valueHelpers(known: Known, module: Facts, node: t.Node, member: string | null, graph: ModuleGraph | null, depth: number, element = false): { fn: Walkable; module: Facts }[] {
  if (depth > MAX_DEPTH) return [];
  if (t.isTSAsExpression(node) || t.isTSNonNullExpression(node) || t.isTSSatisfiesExpression(node) || t.isParenthesizedExpression(node)) return valueHelpers(known, module, node.expression, member, graph, depth + 1, element);
  if (t.isClassExpression(node) && member !== null) return staticHelpers(known, module, node, member, graph, depth, element);
  if (t.isArrowFunctionExpression(node) || t.isFunctionExpression(node) || t.isFunctionDeclaration(node) || (element && t.isClassExpression(node))) return member === null ? [{ fn: node, module }] : [];
  if (t.isIdentifier(node)) return helpersOf(known, module, node.name, member, graph, depth + 1, element);
  if (t.isMemberExpression(node) && t.isIdentifier(node.object) && member === null) {
    const name = memberName(node);
    return name === null ? [] : helpersOf(known, module, node.object.name, name, graph, depth + 1, element);
  }
  if (t.isMemberExpression(node)) {
    // `kit.ui`'s member, `kit.ui.card` (a nested destructuring, `const { ui: { card } } = kit`):
    // everything the first member holds, as `memberUse` takes a longer chain.
    const use = memberUse(node);
    return use === null ? [] : helpersOf(known, module, use.name, use.member, graph, depth + 1, element);
  }
  if (t.isCallExpression(node)) {
    const callee = node.callee;
    // `Object.assign(Root, { Header })`: a member is any of its arguments'.
    if (member !== null && isObjectAssign(callee, module)) {
      return node.arguments.flatMap((arg) => (t.isExpression(arg) ? valueHelpers(known, module, arg, member, graph, depth + 1, element) : []));
    }
    // `stamp.bind(null)`, React's `cache(stamp)`: functions that run `stamp`.
    if (t.isMemberExpression(callee) && memberName(callee) === 'bind') return valueHelpers(known, module, callee.object, member, graph, depth + 1, element);
    const cache = t.isIdentifier(callee, { name: 'cache' }) || (t.isMemberExpression(callee) && memberName(callee) === 'cache');
    const first = node.arguments[0];
    if (cache && first !== undefined) return valueHelpers(known, module, first, member, graph, depth + 1, element);
    // An element type made by a wrapper (`memo(Badge)`, `withTheme(Badge)`, `connect(map)(Badge)`):
    // what it wraps is followed, as `unwrapped` does for a name.
    if (element && member === null) {
      if (first !== undefined && (t.isIdentifier(first) || t.isFunction(first) || t.isClassExpression(first) || t.isCallExpression(first))) return valueHelpers(known, module, first, null, graph, depth + 1, element);
      if (t.isCallExpression(callee)) return valueHelpers(known, module, callee, null, graph, depth + 1, element);
    }
    return [];
  }
  if (t.isObjectExpression(node)) {
    const out: { fn: Walkable; module: Facts }[] = [];
    for (const prop of node.properties) {
      if (t.isSpreadElement(prop)) { out.push(...valueHelpers(known, module, prop.argument, member, graph, depth + 1, element)); continue; }
      const key = !prop.computed && t.isIdentifier(prop.key) ? prop.key.name : t.isStringLiteral(prop.key) ? prop.key.value : null;
      if (member !== null && key !== member) continue;
      if (t.isObjectMethod(prop)) out.push({ fn: prop, module });
      else if (t.isExpression(prop.value)) out.push(...valueHelpers(known, module, prop.value, null, graph, depth + 1, element));
    }
    return out;
  }
  return [];
}

/**
 * A module-level constant whose value comes from the clock or randomness when its module loads
 * (`const BOOT = Date.now()`, `const { random } = Math`), directly or through the module's
 * constants it is computed from and the functions it calls then, followed through imports: why,
 * and the module's file. Null when it does not.
 */
function loadedImpurely(known: Known, module: Facts, name: string, graph: ModuleGraph | null, visiting: Set<string>): { what: string; where: string } | null {
  const found = declaredAs(known, module, name, graph, 0);
  if (found === null || !('local' in found)) return null;
  const key = `${found.module.filename}\0${found.local}`;
  const done = known.loaded.get(key);
  if (done !== undefined) return done === null ? null : { what: done, where: found.module.filename };
  if (visiting.has(key)) return null;
  visiting.add(key);
  const what = loadedFrom(known, found.module, found.local, graph, visiting);
  known.loaded.set(key, what);
  return what === null ? null : { what, where: found.module.filename };
}

function loadedFrom(known: Known, module: Facts, local: string, graph: ModuleGraph | null, visiting: Set<string>): string | null {
  const top = module.top.get(local);
  if (top?.kind !== 'const' || top.init == null) return null;
  const global = (n: string) => !module.top.has(n);
  const init = top.init;
  if (top.key !== undefined) {
    // `const { random } = Math`.
    if (isIdentifier(init) && Object.hasOwn(IMPURE_MEMBERS, init.name) && global(init.name)) {
      const members = IMPURE_MEMBERS[init.name];
      return members === null || members?.has(top.key) ? `taken from \`${init.name}.${top.key}\`` : null;
    }
  }
  let what: string | null = null;
  const cache = (call: t.CallExpression) => isIdentifier(call.callee, { name: 'cache' }) || (isMemberExpression(call.callee) && memberName(call.callee) === 'cache');
  // A function written in place runs at load when called there or handed to a call (`[1].map(() => …)`), not when stored or wrapped in cache().
  const runs = (node: t.Node, parent: t.Node | null, key: string) => isCallExpression(parent) && (key === 'callee' || (key === 'arguments' && !cache(parent)));
  const stack: t.Node[] = [];
  const visit = (node: t.Node, parent: t.Node | null, key: string): void => {
    if (what !== null || (isFunction(node) && !runs(node, parent, key)) || isClass(node)) return;
    what = impureRead(node, global);
    if (what !== null) { what = `set from ${what.replace(/^reads /, '')}`; return; }
    if (isIdentifier(node) && module.top.has(node.name) && isReference(node, parent, key)) {
      const inner = loadedImpurely(known, module, node.name, graph, visiting);
      if (inner !== null) { what = `computed from \`${node.name}\`, ${inner.what}`; return; }
      // Called (`stamp()`, `stamp.call(…)`, `utils.stamp()`) or handed to a call (`[1].map(roll)`).
      const grand = stack[stack.length - 2];
      const member = isMemberExpression(parent) && key === 'object' && isCallExpression(grand) && grand.callee === parent ? memberName(parent) : undefined;
      const called = (isCallExpression(parent) && (key === 'callee' || (key === 'arguments' && !cache(parent)))) || member !== undefined;
      if (called) {
        const read = member === 'call' || member === 'apply' || member === undefined ? null : member;
        for (const helper of helpersOf(known, module, node.name, read, graph, 0)) {
          const read = directReads(known, helper.fn, helper.module.top).impure;
          if (read !== null) { what = `returned by \`${node.name}()\`, which ${read.how}`; return; }
        }
      }
    }
    stack.push(node);
    eachChild(node, (c, k) => visit(c, node, k));
    stack.pop();
  };
  visit(init, null, 'init');
  return what;
}

/**
 * How the component's module imports a context that another module's code reads by `arg`:
 * what that module imports it from, or what it exports it as (a context it keeps to itself is
 * exported under a reserved name when it is compiled, see exposeContexts.ts). Else why not.
 */
function importedContext(arg: t.Expression, module: Facts, own: Facts, graph: ModuleGraph | null): DescendantRead | string {
  const filename = own.filename;
  const where = relativeSpecifier(filename, module.filename);
  if (!t.isIdentifier(arg)) return `in ${where} by an expression: name the context by an identifier`;
  const top = module.top.get(arg.name);
  if (top?.kind === 'import') {
    if (top.imported === '*') return `${arg.name} in ${where}, a namespace import: import the context by name`;
    const file = graph?.read(top.source, module.filename)?.filename;
    if (file === undefined) {
      // A package the component's module imports by the same name; a module of the app that is not there.
      if (isBareSpecifier(top.source)) return { kind: 'import', source: top.source, imported: top.imported, name: arg.name };
      return `${arg.name} from ${top.source}, which cannot be read`;
    }
    // Imported from the component's own module: its binding there, not an import of itself.
    const local = sameFile(file, filename) ? localOfExport(own.program, top.imported) : null;
    if (local !== null) return { kind: 'own', arg: t.identifier(local) };
    return { kind: 'import', source: relativeSpecifier(filename, file), imported: top.imported, name: arg.name };
  }
  const exposable = top?.kind === 'const' && isCreateContext(top.init) && isEsModule(module.program, module.code);
  const exported = exportNameOf(module.program, arg.name) ?? (exposable ? `${EXPOSED_PREFIX}${arg.name}` : null);
  if (exported === null) return `${arg.name}, which ${where} does not export and does not create with createContext(): export it so that the edge can record its value`;
  return { kind: 'import', source: where, imported: exported, name: arg.name };
}

/** The component's module imports that context itself: then it is that name (recorded once, not twice under two keys). */
function ownImport(own: Facts, read: Extract<DescendantRead, { kind: 'import' }>, graph: ModuleGraph | null): DescendantRead | null {
  for (const [local, top] of own.top) {
    if (top.kind !== 'import' || top.imported !== read.imported) continue;
    const file = graph?.read(top.source, own.filename)?.filename;
    const source = file === undefined ? top.source : relativeSpecifier(own.filename, file);
    if (source === read.source) return { kind: 'own', arg: t.identifier(local) };
  }
  return null;
}

function rootName(arg: t.Expression): string {
  let node: t.Node = arg;
  while (t.isMemberExpression(node)) node = node.object;
  return t.isIdentifier(node) ? node.name : '';
}

function isBareSpecifier(source: string): boolean {
  return !source.startsWith('./') && !source.startsWith('../');
}

/**
 * The function a top-level name of a module stands for, followed through imports, re-exports
 * (however many barrels deep) and aliases; null if none the app defines. `through`: the names
 * this lookup has been through, so that a cycle of them ends it.
 */
function functionNamed(known: Known, module: Facts, name: string, graph: ModuleGraph | null, through: Set<string>): { fn: Walkable; module: Facts } | null {
  const step = `${module.filename}\0local\0${name}`;
  if (through.has(step)) return null;
  through.add(step);
  const top = module.top.get(name);
  if (top === undefined) return null;
  if (top.kind === 'function') return { fn: top.fn, module };
  // `const { Stamp } = parts` is not what `parts` is (`elementTypes` follows the member).
  if (top.kind === 'const') return top.key === undefined ? functionOf(known, module, top.init, graph, through) : null;
  if (top.kind !== 'import' || top.imported === '*' || graph === null) return null;
  const next = moduleFor(known, graph, top.source, module.filename);
  return next === null ? null : exported(known, next, top.imported, graph, through);
}

/**
 * The function an expression stands for: a function, the one inside `memo(…)` / `forwardRef(…)`
 * (either order, `React.memo` too), or what a name there stands for (`memo(PriceView)`, an alias).
 */
function functionOf(known: Known, module: Facts, node: t.Node | null | undefined, graph: ModuleGraph | null, through: Set<string>): { fn: Walkable; module: Facts } | null {
  const inner = unwrapped(node);
  if (inner === null) return null;
  if (t.isIdentifier(inner)) return functionNamed(known, module, inner.name, graph, through);
  return { fn: inner, module };
}

/** What a module exports as `name`: its function. */
function exported(known: Known, module: Facts, name: string, graph: ModuleGraph, through: Set<string>): { fn: Walkable; module: Facts } | null {
  const step = `${module.filename}\0export\0${name}`;
  if (through.has(step)) return null;
  through.add(step);
  for (const stmt of module.program.body) {
    if (t.isExportNamedDeclaration(stmt)) {
      const decl = stmt.declaration;
      if ((t.isFunctionDeclaration(decl) || t.isClassDeclaration(decl)) && decl.id?.name === name) return { fn: decl, module };
      if (t.isVariableDeclaration(decl)) {
        for (const d of decl.declarations) {
          if (!t.isIdentifier(d.id, { name })) continue;
          return functionOf(known, module, d.init, graph, through);
        }
      }
      for (const spec of stmt.specifiers) {
        if (!t.isExportSpecifier(spec) || nameOf(spec.exported) !== name) continue;
        if (stmt.source == null) return functionNamed(known, module, spec.local.name, graph, through);
        const next = moduleFor(known, graph, stmt.source.value, module.filename);
        return next === null ? null : exported(known, next, spec.local.name, graph, through);
      }
    } else if (t.isExportDefaultDeclaration(stmt) && name === 'default') {
      const decl = stmt.declaration;
      if (t.isFunctionDeclaration(decl) || t.isClassDeclaration(decl)) return { fn: decl, module };
      return t.isExpression(decl) ? functionOf(known, module, decl, graph, through) : null;
    }
  }
  // As in ES modules: `export *` never gives `default`, and the module's own exports come first.
  if (name === 'default') return null;
  for (const stmt of module.program.body) {
    if (!t.isExportAllDeclaration(stmt)) continue;
    const next = moduleFor(known, graph, stmt.source.value, module.filename);
    const found = next === null ? null : exported(known, next, name, graph, through);
    if (found !== null) return found;
  }
  return null;
}

/** A function, or the function or name inside `memo(…)` / `forwardRef(…)` (either order, `React.memo` too). */
function unwrapped(node: t.Node | null | undefined): Walkable | t.Identifier | null {
  for (let depth = 0; depth < 4 && (t.isCallExpression(node) || t.isTSAsExpression(node) || t.isTSSatisfiesExpression(node) || t.isTSNonNullExpression(node) || t.isParenthesizedExpression(node)); depth++) {
    if (!t.isCallExpression(node)) { node = node.expression; continue; }
    // `memo(Badge)`, `forwardRef(…)`, and any other wrapper of a component, as a higher-order
    // component is (`withTheme(Badge)`, `connect(map)(Badge)`): what it renders is followed.
    // Only element types get here, so following a wrapper's first argument can only add a
    // context to record.
    const first = node.arguments[0];
    node = first !== undefined && (t.isIdentifier(first) || t.isFunction(first) || t.isClassExpression(first) || t.isCallExpression(first)) ? first
      : t.isCallExpression(node.callee) ? node.callee
      : undefined;
  }
  return t.isArrowFunctionExpression(node) || t.isFunctionExpression(node) || t.isClassExpression(node) || t.isIdentifier(node) ? node : null;
}

/** The module an import names, read and parsed through the graph (its trees are shared); null for a package or one that does not parse. */
function moduleFor(known: Known, graph: ModuleGraph, specifier: string, importer: string): Facts | null {
  const found = moduleTree(graph, specifier, importer);
  if (found !== null && known.own !== undefined && sameFile(found.source.filename, known.own.filename)) return known.own;
  return found === null || found.tree === null ? null : facts(known, found.source, found.tree.program);
}

function sameFile(a: string, b: string): boolean {
  return nodePath.resolve(a) === nodePath.resolve(b);
}

/** The top-level binding a module exports as `exported` (`export const X`, `export { L as X }`, `export default L`, or an exposed context's); null if none. */
function localOfExport(program: t.Program, exported: string): string | null {
  if (exported.startsWith(EXPOSED_PREFIX)) return exported.slice(EXPOSED_PREFIX.length);
  for (const stmt of program.body) {
    if (t.isExportNamedDeclaration(stmt) && stmt.source == null) {
      const decl = stmt.declaration;
      if (t.isVariableDeclaration(decl) && decl.declarations.some((d) => t.isIdentifier(d.id, { name: exported }))) return exported;
      if ((t.isFunctionDeclaration(decl) || t.isClassDeclaration(decl)) && decl.id?.name === exported) return exported;
      for (const spec of stmt.specifiers) if (t.isExportSpecifier(spec) && nameOf(spec.exported) === exported) return spec.local.name;
    }
    if (exported === 'default' && t.isExportDefaultDeclaration(stmt) && t.isIdentifier(stmt.declaration)) return stmt.declaration.name;
  }
  return null;
}

function facts(known: Known, source: ModuleSource, program: t.Program): Facts {
  const done = known.facts.get(program);
  if (done !== undefined) return done;
  const top = new Map<string, Top>();
  const added = new Map<string, t.Node[]>();
  const add = (key: string, value: t.Node) => {
    const list = added.get(key);
    if (list === undefined) added.set(key, [value]);
    else list.push(value);
  };
  // `const { random } = Math`: a constant whose value is the member it takes; `{ S: Stamp }`,
  // `{ Stamp = Fallback }` and `{ ui: { card } }` (the member of `init.ui`) too.
  const destructure = (pattern: t.ObjectPattern, init: t.Expression, depth = 0): void => {
    for (const prop of pattern.properties) {
      if (!t.isObjectProperty(prop) || prop.computed) continue;
      const key = t.isIdentifier(prop.key) ? prop.key.name : t.isStringLiteral(prop.key) ? prop.key.value : null;
      const value = t.isAssignmentPattern(prop.value) ? prop.value.left : prop.value;
      if (key === null) continue;
      if (t.isIdentifier(value)) top.set(value.name, { kind: 'const', init, key });
      else if (t.isObjectPattern(value) && depth < 8) destructure(value, t.memberExpression(init, t.identifier(key)), depth + 1);
    }
  };
  const declare = (decl: t.Node | null | undefined) => {
    if (t.isFunctionDeclaration(decl) && decl.id) top.set(decl.id.name, { kind: 'function', fn: decl });
    else if (t.isClassDeclaration(decl) && decl.id) top.set(decl.id.name, { kind: 'function', fn: decl });
    else if (t.isVariableDeclaration(decl)) {
      for (const d of decl.declarations) {
        if (t.isIdentifier(d.id)) top.set(d.id.name, decl.kind === 'const' ? { kind: 'const', init: d.init } : { kind: 'other' });
        else if (t.isObjectPattern(d.id) && decl.kind === 'const' && d.init != null) destructure(d.id, d.init);
      }
    }
  };
  for (const stmt of program.body) {
    if (t.isImportDeclaration(stmt)) {
      if (stmt.importKind === 'type') continue;
      for (const spec of stmt.specifiers) {
        const imported = t.isImportSpecifier(spec) ? nameOf(spec.imported) : t.isImportDefaultSpecifier(spec) ? 'default' : '*';
        if (t.isImportSpecifier(spec) && spec.importKind === 'type') continue;
        top.set(spec.local.name, { kind: 'import', source: stmt.source.value, imported });
      }
    } else if (t.isExportNamedDeclaration(stmt) || t.isExportDefaultDeclaration(stmt)) {
      declare(stmt.declaration);
    } else if (t.isExpressionStatement(stmt)) {
      const expr = stmt.expression;
      if (t.isAssignmentExpression(expr, { operator: '=' }) && t.isMemberExpression(expr.left) && t.isIdentifier(expr.left.object)) {
        // `Card.Header = function Header() {…}`.
        const member = memberName(expr.left);
        if (member !== null) add(`${expr.left.object.name}\0${member}`, expr.right);
      } else if (t.isCallExpression(expr) && isObjectAssign(expr.callee, null) && t.isIdentifier(expr.arguments[0])) {
        // `Object.assign(Card, { Header })`.
        for (const arg of expr.arguments.slice(1)) if (t.isExpression(arg)) add(`${expr.arguments[0].name}\0`, arg);
      }
    } else {
      declare(stmt);
    }
  }
  // A module's own `Object` is not the runtime's.
  if (top.has('Object')) for (const key of [...added.keys()]) if (key.endsWith('\0')) added.delete(key);
  const out: Facts = { filename: source.filename, code: source.code, program, top, added };
  known.facts.set(program, out);
  return out;
}

// Read once for the walks that test every node of a render with them (`directReads`,
// `handlerOnlyFunctions`, `loadedFrom`): @babel/types re-exports them through getters that each
// call would run again (the getter alone was 2% of a warm pass over the corpus).
const {
  isArrowFunctionExpression, isBreakStatement, isCallExpression, isClass, isClassMethod, isClassProperty, isContinueStatement, isExpression, isFunction, isFunctionDeclaration, isFunctionExpression, isIdentifier, isJSXAttribute, isJSXExpressionContainer, isJSXIdentifier, isJSXMemberExpression, isJSXOpeningElement, isLabeledStatement, isMemberExpression, isNewExpression, isObjectMethod, isObjectProperty, isOptionalMemberExpression, isTSAsExpression, isTSNonNullExpression, isTSSatisfiesExpression, isVariableDeclarator,
} = t;

/** One walk of a function's render-time code. Kept per function node: the same for whoever reaches it. */
function directReads(known: Known, fn: Walkable, top: Map<string, Top>): Direct {
  const done = known.direct.get(fn);
  if (done !== undefined) return done;
  const out: Direct = { contexts: [], unknown: null, uses: [], impure: null, refs: [] };
  // Unbound names only: a module's own `performance` or `crypto` is not the runtime's.
  const global = (name: string) => !top.has(name);
  const handlers = handlerOnlyFunctions(fn);
  const referenced = new Set<string>();
  const visit = (node: t.Node, parent: t.Node | null, handler: boolean, key: string): void => {
    if (node !== fn && isFunction(node) && runsAfterRender(node, parent)) return;
    // In an `on…` attribute: runs in the browser, after hydration. Still walked for what it renders.
    if (isJSXAttribute(node) && isJSXIdentifier(node.name) && /^on[A-Z]/.test(node.name.name)) handler = true;
    // A local function only elements' `on…` attributes take (`const roll = …; <button onClick={roll}>`).
    if (node !== fn && handlers.has(node)) handler = true;
    if (!handler && out.impure === null) {
      const how = impureRead(node, global);
      if (how !== null) out.impure = { how, loc: node.loc?.start };
    }
    if (!handler && isIdentifier(node) && top.has(node.name) && isReference(node, parent, key)) {
      const read = (isMemberExpression(parent) || isOptionalMemberExpression(parent)) && key === 'object' ? memberName(parent) : null;
      // `stamp.call(null)`, `stamp.bind(null)` run `stamp` itself.
      const member = read === 'call' || read === 'apply' || read === 'bind' ? null : read;
      const id = `${node.name}.${member ?? ''}`;
      if (!referenced.has(id)) {
        referenced.add(id);
        out.refs.push({ name: node.name, member, loc: node.loc?.start });
      }
    }
    if (isClassProperty(node) && node.static && !node.computed && isIdentifier(node.key, { name: 'contextType' }) && node.value != null) {
      // A class component's `static contextType = Ctx` (its `this.context`).
      const arg = node.value;
      if (isName(arg)) out.contexts.push({ arg, how: 'has a static contextType', loc: node.loc?.start });
      else if (out.unknown === null) out.unknown = { how: 'has a static contextType', loc: node.loc?.start };
    } else if (isJSXOpeningElement(node) && isJSXIdentifier(node.name) && /^[A-Z]/.test(node.name.name)) {
      out.uses.push({ name: node.name.name, member: null, label: `renders <${node.name.name}>`, loc: node.loc?.start });
    } else if (isJSXOpeningElement(node) && isJSXMemberExpression(node.name) && node.name.property.name !== 'Consumer' && node.name.property.name !== 'Provider') {
      // `<parts.Stamp>`, `<ui.Card.Header>`: the name's member, or all it holds for a longer chain.
      const use = memberUse(jsxNameExpression(node.name));
      if (use !== null) out.uses.push({ ...use, label: `renders <${jsxText(node.name)}>`, loc: node.loc?.start });
    } else if (isJSXOpeningElement(node) && isJSXMemberExpression(node.name) && node.name.property.name === 'Consumer') {
      // `<Ctx.Consumer>{(value) => …}</Ctx.Consumer>` reads Ctx as useContext(Ctx) does.
      const arg = jsxNameExpression(node.name.object);
      out.contexts.push({ arg, how: `renders <${sourceText(arg)}.Consumer>`, loc: node.loc?.start });
    } else if (isCallExpression(node)) {
      const callee = node.callee;
      const name = isIdentifier(callee) ? callee.name : isMemberExpression(callee) && !callee.computed && isIdentifier(callee.property) ? callee.property.name : null;
      const type = node.arguments[0];
      if (name === 'createElement' && isIdentifier(type) && /^[A-Z]/.test(type.name)) {
        // `createElement(Badge, …)`: an element of Badge, as `<Badge>` is.
        out.uses.push({ name: type.name, member: null, label: `creates an element of ${type.name}`, loc: node.loc?.start });
      } else if (name === 'createElement' && isMemberExpression(type)) {
        const use = memberUse(type);
        if (use !== null) out.uses.push({ ...use, label: `creates an element of ${sourceText(type)}`, loc: node.loc?.start });
      }
      const react = reactReadOf(callee, top);
      if (react !== null) {
        const arg = node.arguments[0];
        const how = name === react || name === null ? `calls ${react}()` : `calls ${name}() (React's ${react})`;
        if (arg !== undefined && isExpression(arg) && isName(arg)) out.contexts.push({ arg, how, loc: node.loc?.start });
        else if (out.unknown === null) out.unknown = { how, loc: node.loc?.start };
      } else if (isIdentifier(callee) && name !== null && /^use[A-Z0-9]/.test(name) && !REACT_HOOKS.has(name)) {
        out.uses.push({ name, member: null, label: `calls ${name}()`, loc: node.loc?.start });
      }
    }
    eachChild(node, (c, k) => visit(c, node, handler, k));
  };
  visit(fn, null, false, '');
  known.direct.set(fn, out);
  return out;
}

/** An identifier that reads a binding: not a declared name, a member's or a key's name, or a type's. */
function isReference(node: t.Identifier, parent: t.Node | null, key: string): boolean {
  if (parent === null) return false;
  if ((isMemberExpression(parent) || isOptionalMemberExpression(parent)) && key === 'property' && !parent.computed) return false;
  if ((isObjectProperty(parent) || isObjectMethod(parent) || isClassMethod(parent) || isClassProperty(parent)) && key === 'key' && !parent.computed) return false;
  if (isVariableDeclarator(parent) && key === 'id') return false;
  if (isFunction(parent) && (key === 'id' || key === 'params')) return false;
  if (isLabeledStatement(parent) || isBreakStatement(parent) || isContinueStatement(parent)) return false;
  if (parent.type.startsWith('TS') && !(isTSAsExpression(parent) || isTSNonNullExpression(parent) || isTSSatisfiesExpression(parent))) return false;
  return true;
}

/**
 * The functions a render declares (`const roll = () => …`, `function onHover() {}`) that never
 * run during a server render: every use of their name is an `on…` attribute of a host element
 * (`<button onClick={roll}>`), whose handlers React never calls on the server, or is inside
 * another such function or in place in an `on…` attribute. A name declared twice in the render,
 * or handed to a component's `on…` prop (the component may call it while it renders), is not one.
 */
function handlerOnlyFunctions(fn: Walkable): Set<t.Node> {
  const declared = new Map<string, t.Node | null>();
  // By name: a large render has thousands of references and many local functions.
  const refs = new Map<string, { host: boolean; inside: readonly t.Node[]; inAttribute: boolean }[]>();
  const stack: t.Node[] = [];
  // The functions in `stack`, and a copy of them that references share until one is entered or
  // left: a copy per reference cost a tenth of the analysis on large renders.
  const functions: t.Node[] = [];
  let inside: readonly t.Node[] | null = null;
  // `attribute`: where in `stack` the `on…` attribute the walk is in sits, or -1; `outer`: how
  // many of `functions` were entered before it.
  const walk = (node: t.Node, parent: t.Node | null, key: string, attribute: number, outer: number): void => {
    if (attribute < 0 && isJSXAttribute(node) && isJSXIdentifier(node.name) && /^on[A-Z]/.test(node.name.name)) {
      attribute = stack.length;
      outer = functions.length;
    }
    if (node !== fn) {
      // `const f = useCallback(() => …, deps)` holds that function as `const f = () => …` does.
      const callback = isCallExpression(parent) && parent.arguments[0] === node && (isIdentifier(parent.callee, { name: 'useCallback' }) || (isMemberExpression(parent.callee) && isIdentifier(parent.callee.property, { name: 'useCallback' })));
      const holder = callback ? stack[stack.length - 2] : parent;
      const local = isFunctionDeclaration(node) && node.id ? node.id.name
        : (isArrowFunctionExpression(node) || isFunctionExpression(node)) && isVariableDeclarator(holder) && (callback ? holder.init === parent : key === 'init') && isIdentifier(holder.id) ? holder.id.name
        : null;
      if (local !== null) declared.set(local, declared.has(local) ? null : node);
      else if (isVariableDeclarator(node) && isIdentifier(node.id) && !(isArrowFunctionExpression(node.init) || isFunctionExpression(node.init) || isCallbackOfFunction(node.init))) declared.set(node.id.name, null);
    }
    if (isIdentifier(node) && isReference(node, parent, key)) {
      const container = stack[stack.length - 1];
      const attr = stack[stack.length - 2];
      const element = stack[stack.length - 3];
      const host = isJSXExpressionContainer(container) && isJSXAttribute(attr) && isJSXIdentifier(attr.name) && /^on[A-Z]/.test(attr.name.name)
        && isJSXOpeningElement(element) && isJSXIdentifier(element.name) && /^[a-z]/.test(element.name.name);
      // In a function written in place in an `on…` attribute (of any element, as `directReads` takes it).
      const inAttribute = attribute >= 0 && functions.length > outer;
      let list = refs.get(node.name);
      if (list === undefined) refs.set(node.name, (list = []));
      list.push({ host, inside: (inside ??= functions.slice()), inAttribute });
    }
    const entered = isFunction(node);
    if (entered) { functions.push(node); inside = null; }
    stack.push(node);
    eachChild(node, (c, k) => walk(c, node, k, attribute, outer));
    stack.pop();
    if (entered) { functions.pop(); inside = null; }
  };
  walk(fn, null, '', -1, 0);
  const only = new Set<t.Node>();
  // To a fixed point: a function only another handler-only function calls is one too.
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, node] of declared) {
      if (node === null || only.has(node)) continue;
      const uses = (refs.get(name) ?? []).filter((r) => !r.inside.includes(node));
      if (uses.length > 0 && uses.every((r) => r.host || r.inAttribute || r.inside.some((f) => only.has(f)))) {
        only.add(node);
        changed = true;
      }
    }
  }
  return only;
}

/** `useCallback(() => …, deps)`, `React.useCallback(function () {…})`. */
function isCallbackOfFunction(init: t.Node | null | undefined): boolean {
  if (!isCallExpression(init)) return false;
  const callee = init.callee;
  const named = isIdentifier(callee, { name: 'useCallback' }) || (isMemberExpression(callee) && isIdentifier(callee.property, { name: 'useCallback' }));
  const first = init.arguments[0];
  return named && (isArrowFunctionExpression(first) || isFunctionExpression(first));
}

/** Members of runtime objects that differ per call: the clock and randomness (null: every member). */
const IMPURE_MEMBERS: Readonly<Record<string, ReadonlySet<string> | null>> = {
  Date: new Set(['now']),
  Math: new Set(['random']),
  performance: null,
  crypto: null,
};

/** How `node` reads the clock or randomness (`reads \`Date.now\``), or null. */
function impureRead(node: t.Node, global: (name: string) => boolean): string | null {
  if (isMemberExpression(node) && isIdentifier(node.object) && Object.hasOwn(IMPURE_MEMBERS, node.object.name) && global(node.object.name)) {
    const members = IMPURE_MEMBERS[node.object.name];
    const member = memberName(node);
    if (members === null || (member !== null && members?.has(member))) return `reads \`${node.object.name}${member === null ? '' : `.${member}`}\``;
    return null;
  }
  if (isNewExpression(node) && isIdentifier(node.callee, { name: 'Date' }) && node.arguments.length === 0 && global('Date')) return 'reads the clock (`new Date()`)';
  if (isCallExpression(node) && isIdentifier(node.callee, { name: 'Date' }) && global('Date')) return 'reads the clock (`Date()`)';
  return null;
}

/**
 * React's `useContext` or `use`, as the callee names it: imported from 'react' under any name
 * (`useContext as useLabels`), a member of React's namespace or default import
 * (`React.useContext`), or the bare name with no binding. Null for anything else: a method that
 * happens to be called `useContext` (tRPC's `trpc.useContext()`) is not React's.
 */
function reactReadOf(callee: t.Node, top: Map<string, Top>): 'useContext' | 'use' | null {
  const read = (name: string): 'useContext' | 'use' | null => (name === 'useContext' || name === 'use' ? name : null);
  if (t.isIdentifier(callee)) {
    const binding = top.get(callee.name);
    if (binding === undefined) return read(callee.name);
    return binding.kind === 'import' && binding.source === 'react' ? read(binding.imported) : null;
  }
  if (!t.isMemberExpression(callee) || callee.computed || !t.isIdentifier(callee.property) || !t.isIdentifier(callee.object)) return null;
  const binding = top.get(callee.object.name);
  const namespace = binding?.kind === 'import' && binding.source === 'react' && (binding.imported === '*' || binding.imported === 'default');
  return namespace ? read(callee.property.name) : null;
}

/**
 * The root name of a member chain and the member taken of it: `parts.Stamp` is `parts`'s `Stamp`;
 * `kit.ui.card.Header` is everything `kit`'s `ui` holds (`helpersOf` of a member whose value is
 * an object follows all its functions).
 */
function memberUse(node: t.Expression): { name: string; member: string | null } | null {
  let inner: t.Node = node;
  while (t.isMemberExpression(inner) && t.isMemberExpression(inner.object)) inner = inner.object;
  if (!t.isMemberExpression(inner) || !t.isIdentifier(inner.object)) return null;
  return { name: inner.object.name, member: memberName(inner) };
}

function jsxText(name: t.JSXIdentifier | t.JSXMemberExpression | t.JSXNamespacedName): string {
  if (t.isJSXIdentifier(name)) return name.name;
  if (t.isJSXNamespacedName(name)) return `${name.namespace.name}:${name.name.name}`;
  return `${jsxText(name.object)}.${name.property.name}`;
}

/** `Ctx` or `Ns.Ctx` of a JSX element name, as an expression. */
function jsxNameExpression(name: t.JSXIdentifier | t.JSXMemberExpression): t.Expression {
  return t.isJSXIdentifier(name) ? t.identifier(name.name) : t.memberExpression(jsxNameExpression(name.object), t.identifier(name.property.name));
}

/** The runtime's `Object.assign` (`module` null: the caller checks the module does not bind `Object`). */
function isObjectAssign(callee: t.Node, module: Facts | null): boolean {
  return t.isMemberExpression(callee) && t.isIdentifier(callee.object, { name: 'Object' }) && memberName(callee) === 'assign' && (module === null || !module.top.has('Object'));
}

function sourceText(node: t.Expression): string {
  return t.isMemberExpression(node) && t.isIdentifier(node.property) ? `${sourceText(node.object as t.Expression)}.${node.property.name}` : t.isIdentifier(node) ? node.name : '…';
}

/** `Ctx` or `Ns.Ctx`: a name, not a value computed in the render (checked against the module's top level where it is resolved). */
function isName(arg: t.Expression): boolean {
  let node: t.Node = arg;
  while (t.isMemberExpression(node) && !node.computed) node = node.object;
  return t.isIdentifier(node);
}

/**
 * A function passed to an effect hook: it never runs in a server render. (Anything else, `on…`
 * handlers included, is walked: what it adds can only be a context to record.)
 */
function runsAfterRender(fn: t.Function, parent: t.Node | null): boolean {
  if (!isCallExpression(parent) || !parent.arguments.includes(fn as t.Expression)) return false;
  const callee = parent.callee;
  const name = isIdentifier(callee) ? callee.name : isMemberExpression(callee) && isIdentifier(callee.property) ? callee.property.name : null;
  return name !== null && AFTER_RENDER.has(name);
}
