import * as t from '@babel/types';
import type { NodePath } from './babel';
import { calleeName } from './holes';

/** Hooks whose callbacks never run during a server render. */
export const EFFECT_HOOKS = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect', 'useCallback', 'useImperativeHandle']);

/** A JSX attribute React treats as an event handler: on host elements never written to HTML. */
function isHandlerAttribute(node: t.Node | null | undefined): boolean {
  return t.isJSXAttribute(node) && t.isJSXIdentifier(node.name) && /^on[A-Z]/.test(node.name.name);
}

/**
 * Hooks whose callbacks certainly do not run during render. `useCallback` is not one of them for
 * a value read inside: the render may call the function it returns.
 */
const AFTER_RENDER_HOOKS = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect', 'useImperativeHandle']);

/** A function that runs only after render (an effect, an event handler), not during it. */
export function runsAfterRender(p: NodePath<t.Function>, hooks: ReadonlySet<string> = EFFECT_HOOKS): boolean {
  const parent = p.parentPath;
  if (parent?.isCallExpression() && p.listKey === 'arguments') {
    const name = calleeName(parent.node);
    if (name !== null && hooks.has(name)) return true;
  }
  return parent?.isJSXExpressionContainer() === true && isHandlerAttribute(parent.parent);
}

/**
 * Is every use of a prop an event handler's, so that it never reaches the HTML: handed to an
 * `on…` attribute (of an element or a component), or read only in functions that run after
 * render (effects, callbacks, handlers, and local functions used only as those), or listed in a
 * hook's dependencies. Such a prop is not a rendered prop: the analysis says so (SPLICE036)
 * instead of counting it as one the edge fails to personalize.
 */
export function isHandlerOnly(references: readonly NodePath<t.Expression>[], component: NodePath<t.Function>): boolean {
  return references.length > 0 && references.every((r) => handlerUse(r, component, 0, EFFECT_HOOKS));
}

/**
 * A read of a prop that cannot reach the HTML: in an event handler, an effect, a function used
 * only as those, or a dependency list. Such a read does not keep the prop from being a value
 * prop: the browser gets the same props, so the handler sees what the page shows.
 */
export function readsOnlyAfterRender(ref: NodePath, component: NodePath<t.Function>): boolean {
  return handlerUse(ref, component, 0, AFTER_RENDER_HOOKS);
}

function handlerUse(ref: NodePath, component: NodePath<t.Function>, depth: number, hooks: ReadonlySet<string>): boolean {
  const container = ref.parentPath;
  if (container?.isJSXExpressionContainer() && isHandlerAttribute(container.parent)) return true;
  if (inDependencyList(ref)) return true;
  // The nearest function between the reference and the component decides.
  const fn = ref.getFunctionParent();
  if (fn === null || fn === component) return false;
  return afterRender(fn, component, depth, hooks);
}

/** A function that runs only after render, directly or because every use of it is a handler's. */
function afterRender(fn: NodePath<t.Function>, component: NodePath<t.Function>, depth: number, hooks: ReadonlySet<string>): boolean {
  if (runsAfterRender(fn, hooks)) return true;
  if (depth >= 3) return false;
  const binding = localFunctionBinding(fn);
  if (binding === null) {
    // Nested in a function that itself runs after render.
    const outer = fn.parentPath?.getFunctionParent();
    return outer !== null && outer !== undefined && outer !== component && afterRender(outer, component, depth + 1, hooks);
  }
  return binding.length > 0 && binding.every((r) => handlerUse(r, component, depth + 1, hooks));
}

/** The references of the local name a function is bound to (`const f = () => …`, `function f() {}`), or null. */
function localFunctionBinding(fn: NodePath<t.Function>): NodePath[] | null {
  let name: string | null = null;
  if (fn.isFunctionDeclaration() && fn.node.id) name = fn.node.id.name;
  else if (fn.parentPath?.isVariableDeclarator() && t.isIdentifier(fn.parentPath.node.id)) name = fn.parentPath.node.id.name;
  if (name === null) return null;
  const binding = fn.parentPath?.scope.getBinding(name);
  if (binding === undefined || binding.constantViolations.length > 0) return null;
  return binding.referencePaths;
}

/** `[onChange]` as the dependency list of a hook: the identity is compared, nothing is called. */
function inDependencyList(ref: NodePath): boolean {
  const list = ref.parentPath;
  const call = list?.parentPath;
  if (!list?.isArrayExpression() || !call?.isCallExpression() || list.listKey !== 'arguments' || list.key !== 1) return false;
  const name = calleeName(call.node);
  return name !== null && /^use[A-Z]/.test(name);
}
