import * as t from '@babel/types';
import type { NodePath } from './babel';
import { calleeImport, type ModuleGraph } from './modules';

/**
 * Package hooks: `use…` functions imported from a package (`useTranslations` from `next-intl`,
 * `usePathname` from `next/navigation`). Splice does not read packages, and what they read (an
 * i18n provider's messages, the router) is not at the edge; so instead of analysing them, the
 * loader wraps every call in `useSpliceHook` (@splice/client), which records the result in the
 * source page and replays it in an edge re-render.
 *
 * One rule decides which calls are wrapped, module by module, and the renderability pass relies
 * on the same rule for the calls it meets in a component or in the app's hooks it follows: a
 * direct call of a package hook (by the name the package exports it under) inside a function,
 * not in a parameter's default value, with no function literal among its arguments (a replay
 * matches calls by their arguments, and cannot compare functions). The wrapper adds no hook of
 * its own, so wrapping a call in a helper or a callback changes nothing outside an instance's
 * recorded render. Any other use of a package hook (`useX?.()`, `useX.call`, `const f = useX`,
 * `Ns['useX']`) is refused by the analysis.
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
  const imp = calleeImport(call);
  // `Ns.useX()` only through a namespace import; `useX()` only through a named or default one.
  if (imp === null || imp.member !== (imp.kind === 'namespace')) return null;
  // A hook by the name the package gives it (`import { usePath as current }` is one), a default
  // import by its local name, a namespace member by its own.
  const hookName = imp.kind === 'default' ? imp.local : imp.exported;
  if (!/^use[A-Z0-9]/.test(hookName)) return null;
  const source = imp.source;
  if (source.startsWith('.') || source.startsWith('/') || source === runtimeModule || NOT_PACKAGE_HOOKS.test(source)) return null;
  if (graph !== null && graph.read(source, filename) !== null) return null;
  return { source, id: `${source}#${imp.exported}` };
}

/**
 * A reference to a package hook that is not a direct call (`useX?.()`, `useX.call(…)`, `const f =
 * useX`): the loader cannot wrap it, so a component that has one cannot be re-rendered. The hook's
 * name, or null.
 */
export function indirectPackageHook(ref: NodePath<t.Identifier>, graph: ModuleGraph | null, filename: string, runtimeModule: string): string | null {
  // A type (`ReturnType<typeof useT>`) uses nothing at run time.
  if (ref.findParent((p) => p.isTSType() || p.isTSTypeQuery() || p.isTSTypeAnnotation() || p.isTSTypeParameterInstantiation()) !== null) return null;
  const parent = ref.parentPath;
  // `Ns['useX']()` and any other computed access on a package's namespace: not a call the loader wraps.
  if (parent?.isMemberExpression() && parent.node.object === ref.node && parent.node.computed) {
    const binding = ref.scope.getBinding(ref.node.name);
    const decl = binding?.path.parentPath?.node;
    if (binding?.kind === 'module' && t.isImportNamespaceSpecifier(binding.path.node) && t.isImportDeclaration(decl) && isPackageSource(decl.source.value, graph, filename, runtimeModule)) return `${ref.node.name}[…]`;
    return null;
  }
  // `Ns.useX`: the member expression is the reference; `useX`: the identifier itself.
  const member = parent?.isMemberExpression() && parent.node.object === ref.node && !parent.node.computed && t.isIdentifier(parent.node.property) && /^use[A-Z0-9]/.test(parent.node.property.name);
  const binding = ref.scope.getBinding(ref.node.name);
  if (binding?.kind !== 'module') return null;
  const spec = binding.path.node;
  const decl = binding.path.parentPath?.node;
  if (!t.isImportDeclaration(decl) || decl.importKind === 'type' || (member !== t.isImportNamespaceSpecifier(spec))) return null;
  const name = member ? ((parent!.node as t.MemberExpression).property as t.Identifier).name
    : t.isImportSpecifier(spec) ? (t.isIdentifier(spec.imported) ? spec.imported.name : spec.imported.value) : ref.node.name;
  if (!/^use[A-Z0-9]/.test(name)) return null;
  const used: NodePath = member ? parent! : ref;
  const call = used.parentPath;
  if (call?.isCallExpression() && call.node.callee === used.node) return null;
  return isPackageSource(decl.source.value, graph, filename, runtimeModule) ? name : null;
}

function isPackageSource(source: string, graph: ModuleGraph | null, filename: string, runtimeModule: string): boolean {
  if (source.startsWith('.') || source.startsWith('/') || source === runtimeModule || NOT_PACKAGE_HOOKS.test(source)) return false;
  return graph === null || graph.read(source, filename) === null;
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
      // Wherever it is called from a function (a helper the component calls too): the wrapper
      // adds no hook of its own, and records only inside an instance's render.
      if (hook !== null && p.getFunctionParent() !== null) calls.push({ node: p.node, id: hook.id });
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
