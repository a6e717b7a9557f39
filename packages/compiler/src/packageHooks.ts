import * as t from '@babel/types';
import type { NodePath } from './babel';
import { calleeName } from './holes';
import type { ModuleGraph } from './modules';

/**
 * Package hooks: `use…` functions imported from a package (`useTranslations` from `next-intl`,
 * `usePathname` from `next/navigation`). Splice does not read packages, and what they read (an
 * i18n provider's messages, the router) is not at the edge; so instead of analysing them, the
 * loader wraps every call in `useSpliceHook` (@splice/client), which records the result in the
 * source page and replays it in an edge re-render.
 *
 * One rule decides which calls are wrapped, module by module, and the renderability pass relies
 * on the same rule for the calls it meets in a component or in the app's hooks it follows: a call
 * of a package hook directly in the body of a component or a hook (where React allows hooks;
 * `inHookScope`), with no function literal among its arguments (a replay matches calls by their
 * arguments, and cannot compare functions).
 */

/** Imports that are React itself or Splice's runtime: never wrapped. */
const NOT_PACKAGE_HOOKS = /^(react|react-dom)(\/|$)/;

/**
 * The package hook a call calls, or null: `useX()` with `import { useX } from 'pkg'` (or a
 * default import), and `Ns.useX()` with `import * as Ns from 'pkg'`. `id` names it for the
 * record (`pkg#useX`, `pkg#default`): a replay must call the same hook. A bare specifier that the
 * module graph resolves to a file of the app (a tsconfig alias) is not a package: its hooks are
 * followed instead.
 */
export function packageHookOf(call: NodePath<t.CallExpression>, graph: ModuleGraph | null, filename: string, runtimeModule: string): { source: string; id: string } | null {
  const name = calleeName(call.node);
  if (name === null || !/^use[A-Z0-9]/.test(name)) return null;
  const callee = call.node.callee;
  let local: t.Identifier;
  if (t.isIdentifier(callee)) local = callee;
  else if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.object)) local = callee.object;
  else return null;
  const binding = call.scope.getBinding(local.name);
  if (binding?.kind !== 'module') return null;
  const spec = binding.path.node;
  const decl = binding.path.parentPath?.node;
  if (!t.isImportDeclaration(decl) || decl.importKind === 'type') return null;
  // `Ns.useX()` only through a namespace import; `useX()` only through a named or default one.
  if (t.isIdentifier(callee) === t.isImportNamespaceSpecifier(spec)) return null;
  const source = decl.source.value;
  if (source.startsWith('.') || source.startsWith('/') || source === runtimeModule || NOT_PACKAGE_HOOKS.test(source)) return null;
  if (graph !== null && graph.read(source, filename) !== null) return null;
  const exported = t.isImportSpecifier(spec) ? (t.isIdentifier(spec.imported) ? spec.imported.name : spec.imported.value) : t.isImportDefaultSpecifier(spec) ? 'default' : name;
  return { source, id: `${source}#${exported}` };
}

/**
 * A reference to a package hook that is not a direct call (`useX?.()`, `useX.call(…)`, `const f =
 * useX`): the loader cannot wrap it, so a component that has one cannot be re-rendered. The hook's
 * name, or null.
 */
export function indirectPackageHook(ref: NodePath<t.Identifier>, graph: ModuleGraph | null, filename: string, runtimeModule: string): string | null {
  const parent = ref.parentPath;
  // `Ns.useX`: the member expression is the reference; `useX`: the identifier itself.
  const member = parent?.isMemberExpression() && parent.node.object === ref.node && !parent.node.computed && t.isIdentifier(parent.node.property) && /^use[A-Z0-9]/.test(parent.node.property.name);
  const name = member ? ((parent!.node as t.MemberExpression).property as t.Identifier).name : ref.node.name;
  if (!/^use[A-Z0-9]/.test(name)) return null;
  const used: NodePath = member ? parent! : ref;
  const call = used.parentPath;
  if (call?.isCallExpression() && call.node.callee === used.node) return null;
  const binding = ref.scope.getBinding(ref.node.name);
  if (binding?.kind !== 'module') return null;
  const decl = binding.path.parentPath?.node;
  if (!t.isImportDeclaration(decl) || decl.importKind === 'type' || (member !== t.isImportNamespaceSpecifier(binding.path.node))) return null;
  const source = decl.source.value;
  if (source.startsWith('.') || source.startsWith('/') || source === runtimeModule || NOT_PACKAGE_HOOKS.test(source)) return null;
  if (graph !== null && graph.read(source, filename) !== null) return null;
  return name;
}

/** Where a call sits in a parameter's default value: the compiler rebuilds that pattern, so it is not wrapped (and refused). */
export function inParameter(call: NodePath<t.CallExpression>): boolean {
  const fn = call.getFunctionParent();
  if (fn === null) return false;
  for (let p: NodePath | null = call; p !== null && p !== fn; p = p.parentPath) {
    if (p.listKey === 'params' && p.parentPath === fn) return true;
  }
  return false;
}

/** An argument the replay cannot key a call by: a function written in place. */
export function functionArgument(call: t.CallExpression): t.Node | undefined {
  return call.arguments.find((a) => t.isFunction(a) || t.isClassExpression(a));
}

/**
 * Is the call where React allows hooks: directly in the body of a component or of a hook (the
 * nearest function is named like one: `Card`, `useCart`, or is the function given to `memo` or
 * `forwardRef`, or a default export)? Then it runs during render, and so does the `useId` the
 * wrapper adds. A `use…` call anywhere else is left alone: it may not be a hook at all.
 */
export function inHookScope(call: NodePath<t.CallExpression>): boolean {
  const fn = call.getFunctionParent();
  if (fn === null) return false;
  const name = functionName(fn);
  if (name !== null) return /^(use[A-Z0-9]|[A-Z])/.test(name);
  const parent = fn.parentPath;
  if (parent?.isExportDefaultDeclaration()) return true;
  if (parent?.isCallExpression() && fn.listKey === 'arguments') {
    const wrapper = calleeName(parent.node);
    return wrapper === 'memo' || wrapper === 'forwardRef';
  }
  return false;
}

function functionName(fn: NodePath<t.Function>): string | null {
  const node = fn.node;
  if ((t.isFunctionDeclaration(node) || t.isFunctionExpression(node)) && node.id) return node.id.name;
  const parent = fn.parentPath;
  if (parent?.isVariableDeclarator() && t.isIdentifier(parent.node.id)) return parent.node.id.name;
  if ((parent?.isObjectProperty() || parent?.isClassProperty()) && t.isIdentifier(parent.node.key)) return parent.node.key.name;
  if (fn.isObjectMethod() && t.isIdentifier(fn.node.key)) return fn.node.key.name;
  return null;
}

/** The package-hook calls of a module that the loader wraps (see the rule above). */
export function findPackageHookCalls(
  program: NodePath<t.Program>,
  graph: ModuleGraph | null,
  filename: string,
  runtimeModule: string,
): PackageHookCall[] {
  const calls: PackageHookCall[] = [];
  program.traverse({
    CallExpression(p) {
      if (functionArgument(p.node) !== undefined || inParameter(p)) return;
      const hook = packageHookOf(p, graph, filename, runtimeModule);
      if (hook !== null && inHookScope(p)) calls.push({ node: p.node, id: hook.id });
    },
  });
  return calls;
}

export interface PackageHookCall { node: t.CallExpression; id: string }

/**
 * `useX(a, b)` becomes `_useSpliceHook("pkg#useX", useX, a, b)`, in place (the nodes were found
 * before other passes changed the tree; scope information is not needed any more). Type
 * arguments (`usePathname<string>()`) are dropped: they belong to the hook, not to the wrapper.
 */
export function wrapPackageHookCalls(program: NodePath<t.Program>, calls: readonly PackageHookCall[], runtimeModule: string): void {
  if (calls.length === 0) return;
  const wrapper = program.scope.generateUidIdentifier('useSpliceHook');
  for (const { node, id } of calls) {
    node.arguments = [t.stringLiteral(id), node.callee as t.Expression, ...node.arguments];
    node.callee = t.cloneNode(wrapper);
    node.typeParameters = null;
    (node as { typeArguments?: unknown }).typeArguments = null;
  }
  program.node.body.unshift(t.importDeclaration([t.importSpecifier(wrapper, t.identifier('useSpliceHook'))], t.stringLiteral(runtimeModule)));
}
