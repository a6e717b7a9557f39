import * as t from '@babel/types';
import type { Binding } from '@babel/traverse';
import type { CallName, Expr, JsonValue } from '@splice/manifest';
import { isHostName } from '@splice/manifest';
import type { NodePath } from './babel';
import type { ComponentFunction } from './findComponents';
import { isReactHook, readsOnlyAfterRender } from './handlers';
import { calleeImport, exportNameOf, foreignModule, functionOf, nameOf, resolveExport, type ForeignModule, type ModuleGraph } from './modules';
import * as nodePath from 'path';

/**
 * Lowers a JSX expression to the manifest's expression IR, when it is a pure function of props
 * that the edge can evaluate exactly (see `evaluateExpr`): props and their members, literals,
 * operators, `const` bindings of the component (followed), module constants (copied), the
 * known string and number functions, and `clsx`/`classnames` recognized by their import.
 * Anything else (a call of an unknown function, a hook, `this`, an object built inline) makes
 * the whole expression not a value hole: the caller falls back to structural.
 */
export interface ValueExprEnv {
  fn: NodePath<ComponentFunction>;
  /** The prop each reference node reads (`collectPropReferences`). */
  propRead(node: t.Node): { path: string[]; defaults?: number[]; fallback?: NodePath } | undefined;
  /**
   * The module being compiled (absolute `filename`, compile `root`) and the app's other modules
   * (`graph`), to follow a class-merging helper (`cn`) imported from one; null: not followed.
   */
  modules: { graph: ModuleGraph | null; filename: string; root: string } | null;
}

/** Why an expression did not lower: the innermost part of it the IR cannot compute. */
export interface LoweringFailure {
  node: t.Node;
  /** In words, for a diagnostic: "a call of `format()`", "`?.`", "elements". */
  what: string;
}

export interface LoweredExpr {
  expr: Expr;
  /** The prop reference nodes the expression reads, directly or through `const` bindings. */
  reads: Set<t.Node>;
  /** The component's `const` bindings it followed: each of their uses must be a hole too. */
  bindings: Set<Binding>;
}

const MAX_DEPTH = 32;
/** A module constant copied into the manifest beyond this is not worth the bytes of every page's manifest. */
const MAX_CONSTANT_BYTES = 4096;

const METHODS: Record<string, CallName> = { toUpperCase: 'toUpperCase', toLowerCase: 'toLowerCase', trim: 'trim', slice: 'slice', join: 'join', toFixed: 'toFixed' };
const MATH: Record<string, CallName> = { round: 'Math.round', floor: 'Math.floor', ceil: 'Math.ceil', min: 'Math.min', max: 'Math.max', abs: 'Math.abs' };
const BINARY = new Set(['===', '!==', '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%']);

export function lowerExpression(path: NodePath<t.Expression>, env: ValueExprEnv): LoweredExpr | LoweringFailure {
  const reads = new Set<t.Node>();
  const bindings = new Set<Binding>();
  const failure: { at: NodePath | null } = { at: null };
  const expr = lower(path, env, reads, bindings, 0, failure);
  return expr === null ? describeFailure(failure.at ?? path, env.modules) : { expr, reads, bindings };
}

function describeFailure(path: NodePath, modules: ValueExprEnv['modules']): LoweringFailure {
  const node = path.node;
  const code = (p: NodePath) => { const text = p.toString(); return text.length > 40 ? `${text.slice(0, 37)}…` : text; };
  let what: string;
  if (t.isCallExpression(node) || t.isOptionalCallExpression(node)) {
    what = `a call of \`${code(path.get('callee') as NodePath)}()\``;
    const binding = t.isIdentifier(node.callee) ? path.scope.getBinding(node.callee.name) : undefined;
    const variants = binding === undefined ? null : variantsDeclaration(binding, modules);
    const kind = variants === null ? null : variantsKind(variants.binding);
    if (kind === 'tv') what += ', a tailwind-variants function (its settings, `defaultConfig`, can be changed for the whole app, where the edge cannot see it)';
    else if (kind === 'cva' && variants!.exported === null) what += ', a variant function its module does not export (exported, the edge module imports it and computes the class)';
  }
  else if (t.isOptionalMemberExpression(node)) what = 'optional chaining (`?.`)';
  else if (t.isJSXElement(node) || t.isJSXFragment(node)) what = 'elements';
  else if (t.isNewExpression(node)) what = `\`new ${code(path.get('callee') as NodePath)}\``;
  else if (t.isIdentifier(node)) {
    if (exportedObjectConstant(path, node.name)) what = `\`${node.name}\`, an object its module exports (another module could change it: keep it in this module, not exported, and it is copied)`;
    else if (path.scope.getBinding(node.name)?.kind === 'module') what = `\`${node.name}\`, an import (of another module only a string, number, boolean or null \`const\` is copied)`;
    else what = `\`${node.name}\`, which is not a prop, a followed \`const\` or a module constant`;
  }
  else if (t.isBinaryExpression(node)) what = `the operator \`${node.operator}\``;
  else what = `\`${code(path)}\``;
  return { node, what };
}

function lower(path: NodePath, env: ValueExprEnv, reads: Set<t.Node>, bindings: Set<Binding>, depth: number, failure: { at: NodePath | null }): Expr | null {
  const result = lowerNode(path, env, reads, bindings, depth, failure);
  // The innermost node that failed is the one to name (it fails first, its parents after it).
  if (result === null && failure.at === null) failure.at = path;
  return result;
}

function lowerNode(path: NodePath, env: ValueExprEnv, reads: Set<t.Node>, bindings: Set<Binding>, depth: number, failure: { at: NodePath | null }): Expr | null {
  if (depth > MAX_DEPTH) return null;
  const node = path.node;
  const read = env.propRead(node);
  const sub = (p: NodePath): Expr | null => lower(p, env, reads, bindings, depth + 1, failure);
  if (read !== undefined) {
    reads.add(node);
    const value: Expr = read.defaults === undefined ? { kind: 'prop', path: read.path } : { kind: 'prop', path: read.path, defaults: read.defaults };
    if (read.fallback === undefined) return value;
    // `{ title = 'Untitled' }`: JavaScript's default applies to undefined alone (not to null).
    const fallback = sub(read.fallback);
    return fallback === null ? null : { kind: 'cond', test: { kind: 'binary', op: '===', left: value, right: { kind: 'undefined' } }, then: fallback, else: value };
  }
  // JSON (the manifest) has no Infinity (`1e999`): such a literal is not lowered.
  if (t.isNumericLiteral(node)) return Number.isFinite(node.value) ? { kind: 'literal', value: node.value } : null;
  if (t.isStringLiteral(node) || t.isBooleanLiteral(node)) return { kind: 'literal', value: node.value };
  if (t.isNullLiteral(node)) return { kind: 'literal', value: null };
  // Types only: nothing at run time.
  if (path.isTSAsExpression() || path.isTSNonNullExpression() || path.isTSSatisfiesExpression() || path.isParenthesizedExpression()) return sub(path.get('expression') as NodePath);
  if (path.isTemplateLiteral()) {
    const exprs: Expr[] = [];
    for (const e of path.get('expressions')) {
      const x = sub(e);
      if (x === null) return null;
      exprs.push(x);
    }
    const quasis = path.node.quasis.map((q) => q.value.cooked);
    if (quasis.some((q) => q === null || q === undefined)) return null;
    return { kind: 'template', quasis: quasis as string[], exprs };
  }
  if (path.isConditionalExpression()) {
    const test = sub(path.get('test'));
    const then = test && sub(path.get('consequent'));
    const otherwise = then && sub(path.get('alternate'));
    return otherwise ? { kind: 'cond', test: test!, then: then!, else: otherwise } : null;
  }
  if (path.isUnaryExpression()) {
    const op = path.node.operator;
    if (op !== '!' && op !== '-' && op !== '+') return null;
    const arg = sub(path.get('argument'));
    return arg && { kind: 'unary', op, arg };
  }
  if (path.isBinaryExpression()) {
    const op = path.node.operator;
    if (!BINARY.has(op) || t.isPrivateName(path.node.left)) return null;
    const left = sub(path.get('left') as NodePath);
    const right = left && sub(path.get('right'));
    return right ? { kind: 'binary', op: op as Extract<Expr, { kind: 'binary' }>['op'], left: left!, right } : null;
  }
  if (path.isLogicalExpression()) {
    const left = sub(path.get('left'));
    const right = left && sub(path.get('right'));
    return right ? { kind: 'logical', op: path.node.operator, left: left!, right } : null;
  }
  if (path.isMemberExpression()) {
    const object = sub(path.get('object'));
    if (object === null) return null;
    const property = path.get('property');
    let key: Expr | null;
    if (!path.node.computed) key = t.isIdentifier(property.node) ? { kind: 'literal', value: property.node.name } : null;
    else key = sub(property as NodePath);
    return key && { kind: 'member', object, key };
  }
  if (path.isOptionalMemberExpression()) return lowerOptionalChain(path, sub);
  if (path.isCallExpression()) return lowerCall(path, env, sub);
  if (path.isArrayExpression()) {
    const items: Expr[] = [];
    for (const item of path.get('elements')) {
      if (item.node === null || !item.isExpression()) return null; // a hole or a spread
      const x = sub(item);
      if (x === null) return null;
      items.push(x);
    }
    return { kind: 'array', items };
  }
  if (path.isObjectExpression()) {
    const entries: [string, Expr][] = [];
    for (const property of path.get('properties')) {
      if (!property.isObjectProperty() || property.node.computed) return null;
      const k = property.node.key;
      const key = t.isIdentifier(k) ? k.name : t.isStringLiteral(k) ? k.value : t.isNumericLiteral(k) ? String(k.value) : null;
      // `__proto__: x` sets the prototype; a repeated key keeps its first position with its last value.
      if (key === null || key === '__proto__' || entries.some(([existing]) => existing === key)) return null;
      const value = sub(property.get('value') as NodePath);
      if (value === null) return null;
      entries.push([key, value]);
    }
    return { kind: 'object', entries };
  }
  if (path.isIdentifier({ name: 'undefined' }) && path.scope.getBinding('undefined') === undefined) return { kind: 'undefined' };
  if (path.isIdentifier()) return lowerIdentifier(path, env, reads, bindings, depth, failure);
  return null;
}

/**
 * `a?.b.c`, `a?.[k]`, `a.b?.c`: member reads where an optional link short-circuits the rest of
 * its chain (`a?.b.c` is undefined when `a` is null or undefined, not a TypeError at `.c`). The
 * IR has no such node: each optional link becomes `x === null || x === undefined ? undefined :
 * <the rest of the chain on x>`, `x` written twice (expressions of the IR have no effects). A
 * call in the chain (`a?.f()`) is not lowered.
 */
function lowerOptionalChain(path: NodePath<t.OptionalMemberExpression>, sub: (p: NodePath) => Expr | null): Expr | null {
  // The links from the base out: Babel nests the chain with the last link outermost, every link
  // of it an OptionalMemberExpression (`optional` on those written `?.`); the base is the first
  // object that is not one (`a.b` in `a.b?.c`).
  const links: { key: Expr; optional: boolean }[] = [];
  let at: NodePath = path;
  while (at.isOptionalMemberExpression()) {
    const node = at.node;
    const key: Expr | null = !node.computed
      ? (t.isIdentifier(node.property) ? { kind: 'literal', value: node.property.name } : null)
      : sub(at.get('property') as NodePath);
    if (key === null) return null;
    links.unshift({ key, optional: node.optional });
    at = at.get('object');
  }
  const base = sub(at);
  if (base === null) return null;
  const build = (object: Expr, from: number): Expr => {
    let acc = object;
    for (let i = from; i < links.length; i++) {
      const link = links[i]!;
      if (link.optional) {
        const nullish: Expr = { kind: 'logical', op: '||', left: { kind: 'binary', op: '===', left: acc, right: { kind: 'literal', value: null } }, right: { kind: 'binary', op: '===', left: acc, right: { kind: 'undefined' } } };
        return { kind: 'cond', test: nullish, then: { kind: 'undefined' }, else: build({ kind: 'member', object: acc, key: link.key }, i + 1) };
      }
      acc = { kind: 'member', object: acc, key: link.key };
    }
    return acc;
  };
  return build(base, 0);
}

function lowerCall(path: NodePath<t.CallExpression>, env: ValueExprEnv, sub: (p: NodePath) => Expr | null): Expr | null {
  const callee = path.get('callee');
  const args: Expr[] = [];
  for (const a of path.get('arguments')) {
    if (!a.isExpression()) return null; // a spread
    const x = sub(a);
    if (x === null) return null;
    args.push(x);
  }
  if (callee.isIdentifier()) {
    const name = callee.node.name;
    const binding = path.scope.getBinding(name);
    if (binding === undefined && (name === 'String' || name === 'Number')) return { kind: 'call', fn: name, args };
    if (binding !== undefined && isClassJoin(path)) return { kind: 'classes', args };
    // tailwind-merge's own function, which the edge module bundles (see `Expr` kind `host`).
    if (binding !== undefined && isTwMerge(path)) return { kind: 'host', fn: 'twMerge', args };
    const helper = binding === undefined ? null : helperOf(binding, env.modules);
    const merger = helper === null ? null : classMerger(helper.fn);
    // `cn(…)` over tailwind-merge's default merger: twMerge of the clsx join of the arguments.
    if (merger === 'package') return { kind: 'host', fn: 'twMerge', args: [{ kind: 'classes', args }] };
    // Over a merger the project configured (`extendTailwindMerge(…)`): the helper itself, which
    // the edge module imports from the app, by the file and name it is exported from.
    if (merger === 'configured' && helper!.exported !== null && env.modules !== null) {
      const fn = hostName(env.modules.root, helper!.file, helper!.exported);
      return fn === null ? null : { kind: 'host', fn, args };
    }
    // A variant function (`buttonVariants({ variant })`): the package's own, imported the same way.
    const variants = binding === undefined || env.modules === null ? null : variantsOf(binding, env.modules);
    const fn = variants === null ? null : hostName(env.modules!.root, variants.file, variants.exported);
    return fn === null ? null : { kind: 'host', fn, args };
  }
  if (callee.isMemberExpression() && !callee.node.computed && t.isIdentifier(callee.node.property)) {
    const method = callee.node.property.name;
    const object = callee.get('object');
    if (object.isIdentifier({ name: 'Math' }) && path.scope.getBinding('Math') === undefined) {
      const fn = MATH[method];
      return fn === undefined ? null : { kind: 'call', fn, args };
    }
    const fn = Object.prototype.hasOwnProperty.call(METHODS, method) ? METHODS[method] : undefined;
    if (fn === undefined) return null;
    const receiver = sub(object);
    return receiver && { kind: 'call', fn, args: [receiver, ...args] };
  }
  return null;
}

/**
 * `clsx` (default or named import of `clsx`) or `classnames` (default import): recognized by
 * where they come from, not by the local name, which a project may give anything (and `cn` is
 * often `twMerge(clsx(…))`, whose merging the IR does not model).
 */
function isClassJoin(call: NodePath<t.CallExpression>): boolean {
  const imp = calleeImport(call);
  if (imp === null || imp.member) return false;
  return (imp.source === 'clsx' && (imp.kind === 'default' || imp.exported === 'clsx')) || (imp.source === 'classnames' && imp.kind === 'default');
}

/**
 * A host function's name: the file it is exported from, relative to the compile root, and the
 * name. Null where that is no name the manifest accepts (`isHostName`: a path with a space or a
 * `#`, an export name that is not an ASCII identifier): the edge refuses a whole manifest with one.
 */
function hostName(root: string, file: string, exported: string): `${string}#${string}` | null {
  const name = `${nodePath.relative(root, file).split(nodePath.sep).join('/')}#${exported}`;
  return isHostName(name) ? name as `${string}#${string}` : null;
}

/**
 * A variant function, by any name: a module-level `const` nothing reassigns, initialized by
 * class-variance-authority's `cva(…)` over a configuration written out as data (`variantsKind`).
 * Declared in this module or in an app module it is imported from (through re-exports), and
 * exported there: the edge module imports it by that file and name. It is a pure function of its
 * argument and its configuration, so the edge computes what the server did with the package's
 * own code.
 */
function variantsOf(binding: Binding, modules: NonNullable<ValueExprEnv['modules']>): { file: string; exported: string } | null {
  const found = variantsDeclaration(binding, modules);
  return found !== null && found.exported !== null && variantsKind(found.binding) === 'cva' ? { file: found.file, exported: found.exported } : null;
}

/**
 * Where the `const` a called name stands for is declared: here, or in the app module an import
 * names (through re-exports), with the name that module exports it by (null: not exported).
 */
function variantsDeclaration(binding: Binding, modules: ValueExprEnv['modules']): { binding: Binding; file: string; exported: string | null } | null {
  if (modules === null) return null;
  if (binding.kind === 'module') {
    const found = importedBinding(binding, modules);
    return found === null ? null : { binding: found.binding, file: found.module.filename, exported: exportNameOf(found.module.program.node, found.binding.identifier.name) };
  }
  if (!binding.scope.path.isProgram()) return null;
  return { binding, file: modules.filename, exported: exportNameOf(binding.scope.path.node as t.Program, binding.identifier.name) };
}

/**
 * A declaration TypeScript erases: `declare const X = 'a'` (or one inside `declare global`, a
 * `declare namespace`) only says what some other code defines (a global, a bundler's
 * DefinePlugin), and an exported one is not exported at run time. Its literal is not its value.
 */
function isAmbient(declarator: NodePath<t.VariableDeclarator>): boolean {
  const declaration = declarator.parentPath;
  if (declaration.isVariableDeclaration() && declaration.node.declare === true) return true;
  return declarator.findParent((p) => p.isTSModuleDeclaration() && p.node.declare === true) !== null;
}

/**
 * The top-level binding an import of an app module stands for, followed through re-exports, and
 * the module declaring it; null for a package (not read), a type-only import, a namespace import,
 * or an export that is not a binding.
 */
function importedBinding(binding: Binding, modules: ValueExprEnv['modules']): { binding: Binding; module: ForeignModule } | null {
  const decl = binding.path.parentPath;
  if (modules?.graph == null || !decl?.isImportDeclaration() || decl.node.importKind === 'type') return null;
  const spec = binding.path.node;
  const exported = t.isImportSpecifier(spec) ? nameOf(spec.imported) : t.isImportDefaultSpecifier(spec) ? 'default' : null;
  if (exported === null || (t.isImportSpecifier(spec) && spec.importKind === 'type')) return null;
  // The reader follows what the app resolves (relative paths, tsconfig `paths`); a package is not read.
  const module = foreignModule(modules.graph, decl.node.source.value, modules.filename);
  const target = module === null ? null : resolveExport(modules.graph, module, exported);
  if (target?.kind !== 'binding') return null;
  const declared = target.module.program.scope.getBinding(target.local);
  return declared === undefined ? null : { binding: declared, module: target.module };
}

/**
 * The plain data a top-level `const` of its module holds (`constantValue` of its initializer), or
 * undefined: another kind of binding, one nothing guarantees (reassigned, `let`, a pattern), or
 * one TypeScript erases (`isAmbient`).
 */
function moduleConstant(binding: Binding): JsonValue | undefined {
  const declarator = binding.path;
  if (!binding.constant || !binding.scope.path.isProgram() || !declarator.isVariableDeclarator() || !declarator.parentPath.isVariableDeclaration({ kind: 'const' })) return undefined;
  if (!t.isIdentifier(declarator.node.id) || declarator.node.init == null || isAmbient(declarator)) return undefined;
  return constantValue(declarator.node.init);
}

const isPrimitive = (value: JsonValue): boolean => value === null || typeof value !== 'object';

/**
 * A string, number, boolean or `null` constant an app module exports (through re-exports too) and
 * this one imports by name: `export const FOCUS_CLASS = 'outline-none'`. A primitive cannot
 * change, so it is copied as a module's own is; an object or array is not (any module could
 * change it).
 */
function importedPrimitive(binding: Binding, modules: ValueExprEnv['modules']): Expr | null {
  if (!t.isImportSpecifier(binding.path.node)) return null;
  const found = importedBinding(binding, modules);
  const value = found === null ? undefined : moduleConstant(found.binding);
  if (value === undefined || !isPrimitive(value) || JSON.stringify(value).length > MAX_CONSTANT_BYTES) return null;
  return { kind: 'literal', value };
}

/** A module-level `const` of plain-data object or array that its module exports (see `lowerIdentifier`). */
function exportedObjectConstant(path: NodePath, name: string): boolean {
  const binding = path.scope.getBinding(name);
  const value = binding === undefined ? undefined : moduleConstant(binding);
  return value !== undefined && !isPrimitive(value) && exportNameOf(binding!.scope.path.node as t.Program, name) !== null;
}

/**
 * What a module-level `const` of a variant function is made by: `cva` (class-variance-authority)
 * or `tv` (tailwind-variants, without slots), over a configuration written out as data; null:
 * neither. Only `cva`'s are value holes: tailwind-variants reads settings any module of the app
 * can change for every `tv()` made after it (`defaultConfig.twMerge`, `twMergeConfig`), in code
 * the edge module never runs, so the edge's class could differ from the server's.
 */
function variantsKind(binding: Binding): 'cva' | 'tv' | null {
  const declarator = binding.path;
  if (!binding.constant || !declarator.isVariableDeclarator() || !declarator.parentPath.isVariableDeclaration({ kind: 'const' })) return null;
  if (!binding.scope.path.isProgram()) return null;
  const init = declarator.get('init');
  if (Array.isArray(init) || !init.isCallExpression()) return null;
  const imp = calleeImport(init);
  if (imp === null || imp.member || imp.kind !== 'named') return null;
  // The function keeps its configuration by reference and reads it at every call: the edge
  // module's copy of the module computes what the server did only from plain data nothing can
  // change (an object of the module could be changed by code the edge does not run, a condition
  // on `process.env` read otherwise in the edge module's build).
  if (!init.node.arguments.every((a) => isPlainData(a, init))) return null;
  if (imp.source === 'class-variance-authority' && imp.exported === 'cva') return 'cva';
  if (imp.source !== 'tailwind-variants' || imp.exported !== 'tv') return null;
  const config = init.node.arguments[0];
  return t.isObjectExpression(config) && config.properties.every((p) =>
    t.isObjectProperty(p) && !p.computed && !(t.isIdentifier(p.key) ? ['slots', 'extend'].includes(p.key.name) : t.isStringLiteral(p.key) ? ['slots', 'extend'].includes(p.key.value) : true)) ? 'tv' : null;
}

/**
 * Literal data, written out in place: strings, numbers, booleans, null, arrays and objects of
 * them (no spread, computed key, method or `__proto__`), templates of them, and module-level
 * `const`s of this module holding a string, number, boolean or null (which nothing can change).
 */
function isPlainData(node: t.Node, at: NodePath): boolean {
  if (t.isTSAsExpression(node) || t.isTSSatisfiesExpression(node) || t.isTSNonNullExpression(node) || t.isParenthesizedExpression(node)) return isPlainData(node.expression, at);
  if (t.isStringLiteral(node) || t.isNumericLiteral(node) || t.isBooleanLiteral(node) || t.isNullLiteral(node)) return true;
  if (t.isUnaryExpression(node) && node.operator === '-') return t.isNumericLiteral(node.argument);
  if (t.isTemplateLiteral(node)) return node.expressions.every((e) => isPlainData(e, at));
  if (t.isArrayExpression(node)) return node.elements.every((e) => e !== null && !t.isSpreadElement(e) && isPlainData(e, at));
  if (t.isObjectExpression(node)) {
    return node.properties.every((p) => t.isObjectProperty(p) && !p.computed && !t.isIdentifier(p.key, { name: '__proto__' }) && !t.isStringLiteral(p.key, { value: '__proto__' }) && isPlainData(p.value, at));
  }
  if (t.isIdentifier(node)) {
    const binding = at.scope.getBinding(node.name);
    const value = binding === undefined ? undefined : moduleConstant(binding);
    return value !== undefined && isPrimitive(value);
  }
  return false;
}

/** `twMerge` imported from `tailwind-merge` (its default configuration: `extendTailwindMerge`'s is another function). */
function isTwMerge(call: NodePath<t.CallExpression>): boolean {
  const imp = calleeImport(call);
  return imp !== null && !imp.member && imp.source === 'tailwind-merge' && imp.kind === 'named' && imp.exported === 'twMerge';
}

/**
 * The function a called binding names, where it is exported from (`file`, absolute; `exported`,
 * null when the module does not export it): declared in this module, or exported by a module
 * of the app it is imported from (followed through the module graph, as hooks are). Null
 * otherwise.
 */
function helperOf(binding: Binding, modules: ValueExprEnv['modules']): { fn: NodePath<t.Function>; file: string; exported: string | null } | null {
  const path = binding.path;
  if (binding.kind === 'module') {
    const decl = path.parentPath;
    if (modules?.graph == null || !decl?.isImportDeclaration() || decl.node.importKind === 'type') return null;
    const spec = path.node;
    const exported = t.isImportSpecifier(spec) ? nameOf(spec.imported) : t.isImportDefaultSpecifier(spec) ? 'default' : null;
    if (exported === null) return null;
    // The reader follows what the app resolves (relative paths, tsconfig `paths`); a package is not read.
    const module = foreignModule(modules.graph, decl.node.source.value, modules.filename);
    const target = module === null ? null : resolveExport(modules.graph, module, exported);
    // Imported by the edge module from the module the component imports it from, under the same name.
    return target?.kind === 'function' ? { fn: target.fn, file: module!.filename, exported } : null;
  }
  if (!binding.constant || modules === null) return null;
  if (path.isVariableDeclarator() && !path.parentPath.isVariableDeclaration({ kind: 'const' })) return null;
  const fn = functionOf(path);
  if (fn === null) return null;
  const scope = binding.scope.path;
  return { fn, file: modules.filename, exported: scope.isProgram() ? exportNameOf(scope.node, binding.identifier.name) : null };
}

type Merger = 'package' | 'configured' | null;
const mergers = new WeakMap<t.Node, Merger>();

/**
 * The class-merging helper of Tailwind projects, `cn` / `cx` by any name:
 * `(...inputs) => merge(clsx(inputs))` (or `clsx(...inputs)`, or `classnames`), a rest parameter
 * nothing reassigns and one returned call, where `merge` is tailwind-merge's `twMerge`
 * ('package') or a module-level `const` of `extendTailwindMerge(…)` nothing reassigns
 * ('configured': the project's own merging, which only its own code reproduces). Null: not one.
 */
function classMerger(fn: NodePath<t.Function>): Merger {
  const known = mergers.get(fn.node);
  if (known !== undefined) return known;
  const result = classMergerShape(fn);
  mergers.set(fn.node, result);
  return result;
}

function classMergerShape(fn: NodePath<t.Function>): Merger {
  const [param, ...others] = fn.node.params;
  if (others.length > 0 || !t.isRestElement(param) || !t.isIdentifier(param.argument) || fn.node.async || fn.node.generator) return null;
  const rest = param.argument.name;
  const restBinding = fn.scope.getOwnBinding(rest);
  if (restBinding === undefined || !restBinding.constant) return null;
  const body = fn.get('body') as NodePath;
  let returned: NodePath | null = null;
  if (body.isExpression()) returned = body;
  else if (body.isBlockStatement()) {
    const statements = body.get('body');
    const only = statements[0];
    if (statements.length === 1 && only !== undefined && only.isReturnStatement() && only.node.argument != null) returned = only.get('argument') as NodePath;
  }
  if (returned === null || !returned.isCallExpression()) return null;
  const merger: Merger = isTwMerge(returned) ? 'package' : isConfiguredMerger(returned) ? 'configured' : null;
  if (merger === null) return null;
  const [join, ...more] = returned.get('arguments');
  if (more.length > 0 || join === undefined || !join.isCallExpression() || !isClassJoin(join)) return null;
  const [arg, ...extra] = join.get('arguments');
  if (extra.length > 0 || arg === undefined) return null;
  const inner = arg.isSpreadElement() ? arg.get('argument') : arg;
  // `clsx(inputs)` flattens the array as `clsx(...inputs)` takes its items: the same string.
  return inner.isIdentifier({ name: rest }) && inner.scope.getBinding(rest) === restBinding ? merger : null;
}

/** A call of a module-level `const merge = extendTailwindMerge(…)` nothing reassigns. */
function isConfiguredMerger(call: NodePath<t.CallExpression>): boolean {
  const callee = call.get('callee');
  if (!callee.isIdentifier()) return false;
  const binding = call.scope.getBinding(callee.node.name);
  if (binding === undefined || !binding.constant || !binding.scope.path.isProgram()) return false;
  const declarator = binding.path;
  if (!declarator.isVariableDeclarator() || !declarator.parentPath.isVariableDeclaration({ kind: 'const' })) return false;
  const init = declarator.get('init');
  if (Array.isArray(init) || !init.isCallExpression()) return false;
  const imp = calleeImport(init);
  return imp !== null && !imp.member && imp.source === 'tailwind-merge' && imp.kind === 'named' && imp.exported === 'extendTailwindMerge';
}

function lowerIdentifier(path: NodePath<t.Identifier>, env: ValueExprEnv, reads: Set<t.Node>, bindings: Set<Binding>, depth: number, failure: { at: NodePath | null }): Expr | null {
  const binding = path.scope.getBinding(path.node.name);
  if (binding === undefined) return null;
  if (binding.kind === 'module') return importedPrimitive(binding, env.modules);
  const declarator = binding.path;
  if (!declarator.isVariableDeclarator() || !binding.constant) return null;
  const declaration = declarator.parentPath;
  if (!declaration?.isVariableDeclaration() || declaration.node.kind !== 'const' || declarator.node.init == null) return null;
  const owner = declarator.getFunctionParent();
  if (owner?.node === env.fn.node) {
    const initial = hookValue(declarator, path.node.name);
    if (initial !== undefined) {
      if (initial === null) return null;
      const lowered = lower(initial, env, reads, bindings, depth + 1, failure);
      if (lowered !== null) bindings.add(binding);
      return lowered;
    }
  }
  if (!t.isIdentifier(declarator.node.id)) return null;
  if (owner?.node === env.fn.node) {
    // A `const` of the component itself: followed into its initializer.
    const init = declarator.get('init') as NodePath<t.Expression>;
    const lowered = lower(init, env, reads, bindings, depth + 1, failure);
    if (lowered !== null) bindings.add(binding);
    return lowered;
  }
  if (owner === null) {
    // A module constant: copied when it is plain data nothing can change. A string, number,
    // boolean or null cannot change, exported or not. An object or array can, in any module it
    // reaches: only one this module does not export (`export const`, or `export { X }`), whose
    // every use reads a primitive out of it.
    if (isAmbient(declarator)) return null;
    const value = constantValue(declarator.node.init);
    if (value === undefined) return null;
    if (!isPrimitive(value) && exportNameOf(binding.scope.getProgramParent().path.node as t.Program, path.node.name) !== null) return null;
    if (!readOnly(binding, value)) return null;
    if (JSON.stringify(value).length > MAX_CONSTANT_BYTES) return null;
    return { kind: 'literal', value };
  }
  return null;
}

/**
 * What a React hook's result is in the render that produced the HTML (the server's, and the
 * first render at hydration, which must equal it): `const [x] = useState(init)` is `init` (or
 * what `() => init` returns), `const [x] = useReducer(reducer, init)` is `init`, and
 * `const x = useMemo(() => value, deps)` is `value`. `undefined`: not such a binding; `null`:
 * one whose initial value is not a plain expression.
 */
function hookValue(declarator: NodePath<t.VariableDeclarator>, name: string): NodePath | null | undefined {
  const init = declarator.get('init');
  if (!init.isCallExpression()) return undefined;
  const hook = reactHookName(init);
  if (hook === null) return undefined;
  const id = declarator.node.id;
  const args = init.get('arguments');
  if (hook === 'useState' || hook === 'useReducer') {
    if (!t.isArrayPattern(id) || !t.isIdentifier(id.elements[0], { name })) return undefined;
    // A setter called during render (derived state) makes React render again with the new
    // state: the HTML then holds that, not the initial value.
    const setter = id.elements[1];
    if (t.isIdentifier(setter)) {
      const uses = declarator.scope.getBinding(setter.name)?.referencePaths ?? [];
      if (!uses.every((u) => readsOnlyAfterRender(u, declarator.getFunctionParent()!))) return null;
    } else if (setter != null) return null;
    const arg = hook === 'useState' ? args[0] : args.length === 2 ? args[1] : undefined;
    if (arg === undefined || !arg.isExpression()) return null;
    return hook === 'useState' && (arg.isArrowFunctionExpression() || arg.isFunctionExpression()) ? returned(arg) : arg;
  }
  if (hook === 'useMemo' && t.isIdentifier(id, { name })) {
    const fn = args[0];
    return fn !== undefined && (fn.isArrowFunctionExpression() || fn.isFunctionExpression()) ? returned(fn) : null;
  }
  return undefined;
}

/** What a function without parameters returns, when that is one expression. */
function returned(fn: NodePath<t.ArrowFunctionExpression | t.FunctionExpression>): NodePath | null {
  if (fn.node.params.length > 0 || fn.node.async || fn.node.generator) return null;
  const body = fn.get('body');
  if (body.isExpression()) return body;
  if (!body.isBlockStatement()) return null;
  const statements = body.get('body');
  const only = statements[0];
  return statements.length === 1 && only !== undefined && only.isReturnStatement() && only.node.argument != null ? only.get('argument') as NodePath : null;
}

/** `useState` / `useReducer` / `useMemo` of React (imported from 'react', by name or as `React.x`), or null. */
function reactHookName(call: NodePath<t.CallExpression>): 'useState' | 'useReducer' | 'useMemo' | null {
  for (const name of ['useState', 'useReducer', 'useMemo'] as const) if (isReactHook(call, name)) return name;
  return null;
}

/** The JSON value a literal initializer denotes, or undefined (not plain data). */
function constantValue(node: t.Node): JsonValue | undefined {
  if (t.isTSAsExpression(node) || t.isTSSatisfiesExpression(node)) return constantValue(node.expression);
  if (t.isStringLiteral(node) || t.isBooleanLiteral(node)) return node.value;
  // JSON has neither Infinity nor -0 (it would write null and 0): not plain data then.
  if (t.isNumericLiteral(node)) return Number.isFinite(node.value) ? node.value : undefined;
  if (t.isNullLiteral(node)) return null;
  if (t.isTemplateLiteral(node) && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  if (t.isUnaryExpression(node) && node.operator === '-' && t.isNumericLiteral(node.argument)) {
    return Number.isFinite(node.argument.value) && node.argument.value !== 0 ? -node.argument.value : undefined;
  }
  if (t.isArrayExpression(node)) {
    const out: JsonValue[] = [];
    for (const e of node.elements) {
      if (e === null || t.isSpreadElement(e)) return undefined;
      const v = constantValue(e);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (t.isObjectExpression(node)) {
    const out: Record<string, JsonValue> = {};
    for (const p of node.properties) {
      if (!t.isObjectProperty(p) || p.computed) return undefined;
      const key = t.isIdentifier(p.key) ? p.key.name : t.isStringLiteral(p.key) ? p.key.value : t.isNumericLiteral(p.key) ? String(p.key.value) : undefined;
      // `__proto__: x` in a literal sets the prototype: not a key.
      if (key === undefined || key === '__proto__') return undefined;
      const v = constantValue(p.value);
      if (v === undefined) return undefined;
      out[key] = v;
    }
    return out;
  }
  return undefined;
}

/** An expression that is its operand at run time: `x as T`, `x satisfies T`, `x!`, `<T>x`, `(x)`. */
function isTransparent(node: t.Node): node is t.TSAsExpression | t.TSSatisfiesExpression | t.TSNonNullExpression | t.TSTypeAssertion | t.ParenthesizedExpression {
  return t.isTSAsExpression(node) || t.isTSSatisfiesExpression(node) || t.isTSNonNullExpression(node) || t.isTSTypeAssertion(node) || t.isParenthesizedExpression(node);
}

/**
 * Every use of the constant reads a primitive: the constant itself when it is one, or one out of
 * it (`X.a`, `X[k]`, `X.a.b`, whatever `k`). A use that reaches an object or array could hand it
 * to code that changes it, and the copy in the manifest would no longer be what React renders.
 */
function readOnly(binding: Binding, value: JsonValue): boolean {
  return binding.referencePaths.every((ref) => {
    let p: NodePath = ref;
    let reached: JsonValue[] = [value];
    while (p.parentPath !== null) {
      // TypeScript's wrappers pass the same reference on: `(X.a as string) = …` and `X.a! += …` write into X.
      if (isTransparent(p.parentPath.node) && p.parentPath.node.expression === p.node) {
        p = p.parentPath;
        continue;
      }
      if (!p.parentPath.isMemberExpression() || p.parentPath.node.object !== p.node) break;
      const member = p.parentPath.node;
      const key = member.computed ? null : t.isIdentifier(member.property) ? member.property.name : null;
      reached = reached.flatMap((v) => {
        if (v === null || typeof v !== 'object') return [];
        if (key !== null) return Object.prototype.hasOwnProperty.call(v, key) ? [(v as Record<string, JsonValue>)[key]!] : [];
        return Object.values(v);
      });
      p = p.parentPath;
    }
    // What the use reaches is a primitive (the constant itself, when it is one): nothing can change it.
    if (reached.some((v) => v !== null && typeof v === 'object')) return false;
    const parent = p.parentPath;
    if (parent === null) return true;
    // A method call (`X.push()`, `X.list.sort()`), or any place a value is written to.
    if ((parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.callee === p.node) return false;
    if (parent.isAssignmentExpression() && parent.node.left === p.node) return false;
    if (parent.isUpdateExpression() || (parent.isUnaryExpression() && parent.node.operator === 'delete')) return false;
    // A pattern writes into its targets; a default (`{ id = DEFAULT_ID }`) only reads.
    if (parent.isArrayPattern() || parent.isObjectProperty() && parent.parentPath.isObjectPattern() || parent.isRestElement() || (parent.isAssignmentPattern() && parent.node.left === p.node)) return false;
    if ((parent.isForOfStatement() || parent.isForInStatement()) && parent.node.left === p.node) return false;
    return true;
  });
}
