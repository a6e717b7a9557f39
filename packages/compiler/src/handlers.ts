import * as t from '@babel/types';
import type { NodePath } from './babel';
import { calleeName } from './holes';
import { calleeImport } from './modules';

/** Hooks whose callbacks never run during a server render. */
export const EFFECT_HOOKS = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect', 'useCallback', 'useImperativeHandle']);

/**
 * A JSX attribute React treats as an event handler: on host elements never written to HTML. (On
 * a component, only a naming convention: it may call its `onFormat` prop during render, so a
 * value read inside is held to `onHostElement` too.)
 */
function isHandlerAttribute(node: t.Node | null | undefined): boolean {
  return t.isJSXAttribute(node) && t.isJSXIdentifier(node.name) && /^on[A-Z]/.test(node.name.name);
}

/** The attribute `attr` (a path) sits on a host element (lowercase tag). */
function onHostElement(attr: NodePath): boolean {
  const opening = attr.parentPath;
  return opening?.isJSXOpeningElement() === true && t.isJSXIdentifier(opening.node.name) && /^[a-z]/.test(opening.node.name.name);
}

/** `name` is React's hook: imported from `react` by that name, or `React.name` of a namespace or default import of it. */
export function isReactHook(call: NodePath<t.CallExpression>, name: string): boolean {
  const imp = calleeImport(call);
  return imp !== null && imp.source === 'react' && imp.exported === name && (imp.member ? imp.kind !== 'named' : imp.kind === 'named');
}

/**
 * Hooks whose callbacks certainly do not run during render. `useCallback` is not one of them for
 * a value read inside: the render may call the function it returns.
 */
const AFTER_RENDER_HOOKS = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect', 'useImperativeHandle']);

/** A function that runs only after render (an effect, an event handler), not during it. */
export function runsAfterRender(p: NodePath<t.Function>, hooks: ReadonlySet<string> = EFFECT_HOOKS): boolean {
  const strict = hooks === AFTER_RENDER_HOOKS;
  const parent = p.parentPath;
  if (parent?.isCallExpression() && p.listKey === 'arguments') {
    const name = calleeName(parent.node);
    // Strict (a value read inside): React's own hook, not one that shares its name.
    if (name !== null && hooks.has(name) && (!strict || isReactHook(parent, name))) return true;
  }
  if (parent?.isJSXExpressionContainer() !== true || !isHandlerAttribute(parent.parent)) return false;
  return !strict || onHostElement(parent.parentPath!);
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
  const strict = hooks === AFTER_RENDER_HOOKS;
  const container = ref.parentPath;
  if (container?.isJSXExpressionContainer() && isHandlerAttribute(container.parent) && (!strict || onHostElement(container.parentPath!))) return true;
  if (inDependencyList(ref, strict)) return true;
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

/** React hooks whose last argument is a dependency list, and where it is. */
const DEPENDENCY_ARGUMENT: Readonly<Record<string, number>> = { useEffect: 1, useLayoutEffect: 1, useInsertionEffect: 1, useMemo: 1, useCallback: 1, useImperativeHandle: 2 };

/**
 * `[onChange]` as the dependency list of a hook: the identity is compared, nothing is called.
 * `strict` (a value read inside): only React's hooks, at their dependency argument; any `use…`
 * hook of the app could read its array.
 */
function inDependencyList(ref: NodePath, strict = false): boolean {
  const list = ref.parentPath;
  const call = list?.parentPath;
  if (!list?.isArrayExpression() || !call?.isCallExpression() || list.listKey !== 'arguments') return false;
  const name = calleeName(call.node);
  if (name === null) return false;
  if (!strict) return list.key === 1 && /^use[A-Z]/.test(name);
  return Object.prototype.hasOwnProperty.call(DEPENDENCY_ARGUMENT, name) && DEPENDENCY_ARGUMENT[name] === list.key && isReactHook(call, name);
}
