import * as t from '@babel/types';
import type { Binding } from '@babel/traverse';
import { evaluateExpr, isStyleName, textOf } from '@splice/manifest';
import type { Expr } from '@splice/manifest';
import type { NodePath } from './babel';
import type { ComponentFunction } from './findComponents';
import type { PropReference } from './propReferences';
import { classifyAttribute, classifyText, handedToCode, hostTag, staticText, type SpreadCheck } from './holes';
import { readsOnlyAfterRender } from './handlers';
import { lowerExpression, type LoweredExpr, type LoweringFailure, type ValueExprEnv } from './valueExpr';

/** A JSX expression the edge can compute from props: rewritten in place, no re-render. */
export interface ExpressionHole {
  element: t.JSXElement;
  /** The attribute it is the value of, or null for a text child. */
  attr: t.JSXAttribute | null;
  /** The container's expression (a text hole's marker mask evaluates it again). */
  node: t.Expression;
  expr: Expr;
  lowered: LoweredExpr;
}

export interface ExpressionHoles {
  /** Containers whose expression reads a prop but does not lower: what stopped it. */
  failures: Map<t.Node, LoweringFailure>;
  holes: ExpressionHole[];
  /** Prop reference nodes every use of which ends in an accepted hole. */
  consumed: Set<t.Node>;
  /** Text children that compute a constant (no prop read): static text of the element entry. */
  constants: Map<t.Node, string>;
}

/**
 * Finds the value holes of a component: every JSX expression in a host element's attribute or
 * text that lowers to the IR (see `lowerExpression`) and sits where the edge can rewrite it (the
 * same position rules as a bare prop, `classifyAttribute` and `classifyText`). A prop read is
 * consumed when it is inside accepted holes only, including through the component's `const`
 * bindings: a binding any use of which is not a hole keeps its reads from being consumed, and
 * the holes that followed it are dropped, until nothing changes.
 */
export function findExpressionHoles(fn: NodePath<ComponentFunction>, references: PropReference[], holdsElements: (ref: PropReference) => boolean, modules: ValueExprEnv['modules'] = null, spreads?: SpreadCheck): ExpressionHoles {
  const refs = new Map<t.Node, PropReference>();
  for (const r of references) if (!holdsElements(r)) refs.set(r.expr.node, r);
  const env: ValueExprEnv = { fn, propRead: (node: t.Node) => refs.get(node), modules };

  const containers: NodePath<t.JSXExpressionContainer>[] = [];
  fn.traverse({
    // A `.map` callback's elements render in place, once per item (each is marked): its holes
    // count. Any other nested function's JSX goes where the analysis cannot follow.
    Function(p) { if (!isMapCallback(p)) p.skip(); },
    JSXExpressionContainer(p) { containers.push(p); },
  });

  const lowered = new Map<t.Node, LoweredExpr>();
  const constants = new Map<t.Node, string>();
  const failures = new Map<t.Node, LoweringFailure>();
  for (const c of containers) {
    const e = c.get('expression');
    if (!e.isExpression()) continue;
    const l = lowerExpression(e, env);
    if (!('expr' in l)) {
      failures.set(e.node, l);
      continue;
    }
    if (l.reads.size === 0) {
      // A constant: static text if it renders as text.
      try {
        const text = textOf(evaluateExpr(l.expr, {}));
        if (text !== undefined && c.parentPath.isJSXElement()) constants.set(e.node, text);
      } catch { /* not a value */ }
      continue;
    }
    lowered.set(e.node, l);
  }
  const isText = (node: t.Node): boolean => staticText(node) !== null || lowered.has(node) || constants.has(node);

  let candidates: ExpressionHole[] = [];
  for (const c of containers) {
    const node = c.node.expression;
    const l = lowered.get(node);
    if (l === undefined || !t.isExpression(node)) continue;
    const holder = c.parentPath;
    const shown = 'an expression';
    if (holder.isJSXAttribute()) {
      const elementPath = holder.parentPath.parentPath as NodePath<t.JSXElement>;
      if (hostTag(elementPath.node) === null) continue;
      // `style={{ … }}`: an object literal of CSS properties, as React writes it; any other `style` value is not a hole.
      const style = isStyleAttribute(holder.node) ? styleExpr(l.expr) : null;
      if (classifyAttribute(shown, holder.node, elementPath.node, { styleObject: style !== null, written: style === null && alwaysWritten(l.expr), ...(spreads ? { spreads } : {}) }).kind === 'refused') continue;
      if (handedToCode(elementPath, fn) !== null) continue;
      candidates.push({ element: elementPath.node, attr: holder.node, node, expr: style ?? l.expr, lowered: style === null ? l : { ...l, expr: style } });
    } else if (holder.isJSXElement()) {
      if (hostTag(holder.node) === null) continue;
      // React renders an array as several text nodes, which a hole's one run cannot stand for.
      if (mayBeArray(l.expr)) {
        failures.set(node, { node, what: 'a value that may be an array (rendered as several text nodes)' });
        continue;
      }
      const use = classifyText(shown, { top: '', path: [''], expr: c.get('expression') as NodePath<t.Expression> }, holder.node, isText);
      if (use.kind === 'refused') continue;
      if (handedToCode(holder, fn) !== null) continue;
      candidates.push({ element: holder.node, attr: null, node, expr: l.expr, lowered: l });
    }
  }

  // Drop holes whose followed bindings are used elsewhere, and text holes of an element whose
  // children are no longer all text (it takes its holes whole or not at all). Each drop may
  // cause others: repeat until nothing changes.
  const textOk = (element: t.JSXElement) => t.react.buildChildren(element).every((child) => staticText(child) !== null || constants.has(child) || candidates.some((h) => h.node === child));
  for (;;) {
    // A use inside a hole, or inside the initializer of another binding a hole follows (a chain
    // of consts; that binding is checked the same way), or in a handler or an effect (which does
    // not reach the HTML).
    const followed = candidates.flatMap((h) => [...h.lowered.bindings].map((b) => (b.path.node as t.VariableDeclarator).init).filter((n): n is t.Expression => n != null));
    const inHoles = (ref: NodePath) => candidates.some((h) => isInside(ref.node, h.node)) || followed.some((init) => isInside(ref.node, init)) || readsOnlyAfterRender(ref, fn);
    const escaping = new Set<Binding>();
    for (const h of candidates) for (const b of h.lowered.bindings) if (!b.referencePaths.every(inHoles)) escaping.add(b);
    const kept = candidates.filter((h) => ![...h.lowered.bindings].some((b) => escaping.has(b)) && (h.attr !== null || textOk(h.element)));
    if (kept.length === candidates.length) break;
    candidates = kept;
  }

  const consumed = new Set<t.Node>();
  for (const h of candidates) for (const r of h.lowered.reads) consumed.add(r);
  return { holes: candidates, consumed, constants, failures };
}

function isStyleAttribute(attr: t.JSXAttribute): boolean {
  return t.isJSXIdentifier(attr.name, { name: 'style' });
}

/** An object literal of CSS properties (custom or camelCase names) as a `style` expression, else null. */
function styleExpr(expr: Expr): Expr | null {
  if (expr.kind !== 'object' || !expr.entries.every(([name]) => isStyleName(name))) return null;
  return { kind: 'style', entries: expr.entries };
}

/**
 * The expression's value can be an array by its own making (`list.slice(0, 2)`, `[a, b]`, a
 * constant array). A prop read as it is (`{items}`) is not counted: that is any text hole's risk,
 * which the edge checks against the cached runs.
 */
function mayBeArray(e: Expr): boolean {
  switch (e.kind) {
    case 'array': return true;
    case 'literal': return Array.isArray(e.value);
    case 'call': return e.fn === 'slice' && !isString(e.args[0]);
    case 'cond': return mayBeArray(e.then) || mayBeArray(e.else);
    case 'logical': return mayBeArray(e.left) || mayBeArray(e.right);
    default: return false;
  }
}

/**
 * Certainly written as an attribute: the value is a string or a number whatever the props (or
 * the IR throws, and the edge refuses the override), never null, undefined or a boolean, which
 * leave a plain attribute out.
 */
function alwaysWritten(e: Expr): boolean {
  switch (e.kind) {
    case 'literal': return typeof e.value === 'string' || typeof e.value === 'number';
    case 'template': case 'classes': case 'host': case 'call': return true;
    case 'binary': return e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/' || e.op === '%';
    case 'unary': return e.op !== '!';
    case 'cond': return alwaysWritten(e.then) && alwaysWritten(e.else);
    case 'logical': return alwaysWritten(e.left) && alwaysWritten(e.right);
    default: return false;
  }
}

/** Certainly a string (or the IR throws): `slice` of it is a string. */
function isString(e: Expr | undefined): boolean {
  if (e === undefined) return false;
  if (e.kind === 'template' || e.kind === 'classes' || e.kind === 'host') return true;
  if (e.kind === 'literal') return typeof e.value === 'string';
  if (e.kind === 'call') return ['String', 'toUpperCase', 'toLowerCase', 'trim', 'toFixed', 'join'].includes(e.fn) || (e.fn === 'slice' && isString(e.args[0]));
  return false;
}

function isMapCallback(p: NodePath<t.Function>): boolean {
  const call = p.parentPath;
  if (!call?.isCallExpression() || p.listKey !== 'arguments' || p.key !== 0) return false;
  const callee = call.node.callee;
  return t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.property) && /^(map|flatMap)$/.test(callee.property.name);
}

function isInside(node: t.Node, outer: t.Node): boolean {
  return (node.start ?? -1) >= (outer.start ?? 0) && (node.end ?? Infinity) <= (outer.end ?? -1);
}
