import * as t from '@babel/types';
import type { Binding } from '@babel/traverse';
import type { NodePath } from './babel';
import type { DiagnosticCode } from './diagnostics';
import type { ComponentFunction } from './findComponents';
import type { PropReference } from './propReferences';
import { IMAGE_PRELOAD_PROPS, aliasesOf, attributeHoleRefusal, hasFormActionAttributes, leadingNewlineTag, reactAttributePosition, tagRefusesText } from './htmlNames';

/** Where a prop reference sits: a value hole the edge can rewrite, or why it is not one. */
export type ReferenceUse =
  | { kind: 'text'; element: t.JSXElement }
  | { kind: 'attr'; element: t.JSXElement; attr: t.JSXAttribute }
  | { kind: 'refused'; code: DiagnosticCode; message: string };

export function hostTag(element: t.JSXElement): string | null {
  const name = element.openingElement.name;
  return t.isJSXIdentifier(name) && /^[a-z]/.test(name.name) ? name.name : null;
}

export function jsxName(name: t.JSXElement['openingElement']['name']): string {
  if (t.isJSXIdentifier(name)) return name.name;
  if (t.isJSXNamespacedName(name)) return `${name.namespace.name}:${name.name.name}`;
  return `${jsxName(name.object)}.${name.property.name}`;
}

export function attrName(attr: t.JSXAttribute): string {
  return t.isJSXNamespacedName(attr.name) ? `${attr.name.namespace.name}:${attr.name.name.name}` : attr.name.name;
}

/** A child that renders as fixed text: a literal, after React's JSX whitespace cleaning. */
export function staticText(node: t.Node): string | null {
  if (t.isStringLiteral(node)) return node.value;
  if (t.isNumericLiteral(node)) return String(node.value);
  if (t.isTemplateLiteral(node) && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  return null;
}

export function hasDangerousHtml(element: t.JSXElement): boolean {
  return element.openingElement.attributes.some((a) => t.isJSXAttribute(a) && attrName(a) === 'dangerouslySetInnerHTML');
}

/**
 * Classifies one reference. `isPropRead` tells whether another child expression is itself a
 * direct prop read (so it is text too, not an arbitrary expression).
 */
export function classifyReference(
  ref: PropReference,
  fn: NodePath<ComponentFunction>,
  isPropRead: (node: t.Node) => boolean,
  spreads?: SpreadCheck,
): ReferenceUse {
  const shown = `\`${ref.path.join('.')}\``;
  const container = ref.expr.parentPath;
  if (container?.isJSXExpressionContainer()) {
    const holder = container.parentPath;
    if (holder?.isJSXAttribute() || holder?.isJSXElement()) {
      const elementPath = (holder.isJSXAttribute() ? holder.parentPath!.parentPath! : holder) as NodePath<t.JSXElement>;
      const use = holder.isJSXAttribute()
        ? classifyAttribute(shown, holder.node, elementPath.node, spreads ? { spreads } : {})
        : classifyText(shown, ref, elementPath.node, isPropRead);
      if (use.kind === 'refused') return use;
      const handedOver = handedToCode(elementPath, fn);
      if (handedOver !== null) {
        return { kind: 'refused', code: 'SPLICE011', message: `${shown} is in a <${hostTag(elementPath.node)}> element that ${handedOver}, which may change its props (cloneElement): not a value hole` };
      }
      return use;
    }
    if (holder?.isJSXFragment()) {
      return { kind: 'refused', code: 'SPLICE023', message: `${shown} is rendered inside a fragment, with no host element around it: not a value hole` };
    }
  }
  return classifyExpression(shown, ref.expr, fn);
}

/**
 * Whether a spread leaves an attribute hole knowable. `written`: the hole's value is always
 * written as an attribute (a string or a number, never left out), see `ownRestSpreads`.
 */
export type SpreadCheck = (element: t.JSXElement, attr: t.JSXAttribute, written?: boolean) => boolean;

/**
 * Spreads of the component's own rest props (`function Input({ type, ...props })`, `<input
 * type={type} {...props}/>`): the element may write attributes the build cannot know, but not the
 * hole's, when the rest cannot hold it (its name is one named beside the rest) or it comes after
 * every spread (the explicit one wins). Any other spread, or a rest used otherwise (it could be
 * changed before it is spread), leaves the element's attributes unknown.
 *
 * The rest may also hold a prop React writes under the hole's name (`class` beside `className`,
 * `for` beside `htmlFor`): a second attribute of that name. With the hole written too, the edge
 * sees two and refuses; with the hole left out (null, a boolean), the rest's attribute would be
 * taken for the hole's and replaced. So a hole whose name has such aliases is knowable only when
 * its value is always `written`, or the rest cannot hold the aliases either.
 */
export function ownRestSpreads(rests: readonly { binding: Binding; keys: ReadonlySet<string> }[]): SpreadCheck {
  return (element, attr, written = false) => {
    const attributes = element.openingElement.attributes;
    const at = attributes.indexOf(attr);
    const name = attrName(attr);
    return attributes.every((a, i) => {
      if (!t.isJSXSpreadAttribute(a)) return true;
      const rest = rests.find((r) => r.binding.constant && r.binding.referencePaths.some((p) => p.node === a.argument)
        && r.binding.referencePaths.every((p) => p.parentPath?.isJSXSpreadAttribute() === true));
      return rest !== undefined && (rest.keys.has(name) || i < at) && (written || aliasesOf(name).every((alias) => rest.keys.has(alias)));
    });
  };
}

export function classifyAttribute(shown: string, attr: t.JSXAttribute, element: t.JSXElement, options: { styleObject?: boolean; spreads?: SpreadCheck; written?: boolean } = {}): ReferenceUse {
  const name = attrName(attr);
  const tag = hostTag(element);
  if (tag === null) {
    return { kind: 'refused', code: 'SPLICE011', message: `${shown} is passed to child component <${jsxName(element.openingElement.name)}> as \`${name}\`: not a value hole` };
  }
  if (element.openingElement.attributes.some((a) => t.isJSXSpreadAttribute(a)) && options.spreads?.(element, attr, options.written === true) !== true) {
    if (options.spreads?.(element, attr, true) === true) {
      const aliases = aliasesOf(name).map((a) => `\`${a}\``).join(', ');
      return {
        kind: 'refused', code: 'SPLICE013',
        message: `${shown} is the \`${name}\` of <${tag}>, which spreads the component's rest props: the rest may hold ${aliases}, which React writes under the same name, and a value that leaves the attribute out (null, a boolean) would let the edge take that one for the hole (a value always written, like a \`clsx(…)\` or a template, is patchable)`,
      };
    }
    return { kind: 'refused', code: 'SPLICE013', message: `${shown} is an attribute of <${tag}>, which has spread attributes: its attributes are not known at build time (a spread of the component's own \`...rest\` props is, for an attribute named beside the rest or written after the spread)` };
  }
  if (hasDangerousHtml(element)) {
    return { kind: 'refused', code: 'SPLICE014', message: `${shown} is an attribute of <${tag}>, which has dangerouslySetInnerHTML: not patchable` };
  }
  // React writes `className` and a literal `class` prop as two `class` attributes (so `htmlFor`
  // and `for`, `tabIndex` and `tabindex`, `strokeWidth` and `stroke-width`): one name, two
  // attributes. And a name written twice in JSX is one prop, at the first one's position with the
  // last one's value. Either way the manifest's one entry of that name cannot stand for the hole.
  const own = reactAttributePosition(tag, name).name;
  const same = element.openingElement.attributes.filter((a) => t.isJSXAttribute(a) && !t.isJSXNamespacedName(a.name) && reactAttributePosition(tag, attrName(a)).name === own);
  if (same.length > 1) {
    const names = [...new Set(same.map((a) => `\`${attrName(a as t.JSXAttribute)}\``))];
    const why = names.length > 1 ? `both ${names.join(' and ')} (React writes each as \`${own}\`)` : `${names[0]} twice (the last one's value is written at the first one's place)`;
    return { kind: 'refused', code: 'SPLICE013', message: `${shown} is an attribute of <${tag}>, which has ${why}: not patchable` };
  }
  if (t.isJSXNamespacedName(attr.name)) {
    return { kind: 'refused', code: 'SPLICE013', message: `${shown} is the value of namespaced attribute \`${name}\` on <${tag}>: not a value hole` };
  }
  if (tag === 'img' && IMAGE_PRELOAD_PROPS.has(name) && !hasStaticAttribute(element, 'loading', 'lazy')) {
    // React 19 also writes `<link rel="preload" as="image">` for an eager image into the head, far
    // from the marker, from these props: rewriting only the <img> would leave the page inconsistent.
    const source = name === 'src' || name === 'srcSet' || name === 'sizes';
    return {
      kind: 'refused',
      code: 'SPLICE014',
      message: `${shown} is the \`${name}\` of an <img> that React preloads from the head${source ? '' : ', which copies it'}: not patchable (add loading="lazy" if the image is below the fold)`,
    };
  }
  if (hasFormActionAttributes(tag)) {
    const action = element.openingElement.attributes.find(
      (a): a is t.JSXAttribute => t.isJSXAttribute(a) && t.isJSXIdentifier(a.name) && (a.name.name === 'action' || a.name.name === 'formAction'),
    );
    if (action && action !== attr && action.value !== null && !t.isStringLiteral(action.value)) {
      return {
        kind: 'refused', code: 'SPLICE013',
        message: `${shown} is an attribute of <${tag}>, whose \`${attrName(action)}\` is an expression: React rewrites the attributes of elements with action functions, not patchable`,
      };
    }
  }
  // `style` from an object literal the IR lowers (`style={{ color }}`): written as React writes it.
  const refusal = name === 'style' && options.styleObject === true && attributeHoleRefusal(tag, 'class') === null ? null : attributeHoleRefusal(tag, name);
  if (refusal) return { kind: 'refused', code: refusal.code, message: `${shown} is the value of \`${name}\` on <${tag}>: ${refusal.why}, not patchable` };
  return { kind: 'attr', element, attr };
}

export function classifyText(shown: string, ref: PropReference, element: t.JSXElement, isPropRead: (node: t.Node) => boolean): ReferenceUse {
  const tag = hostTag(element);
  if (tag === null) {
    return { kind: 'refused', code: 'SPLICE011', message: `${shown} is passed to child component <${jsxName(element.openingElement.name)}> as children: not a value hole` };
  }
  if (ref.path.length === 1 && ref.top === 'children') {
    return { kind: 'refused', code: 'SPLICE012', message: `${shown} usually holds elements, not text: not patchable as a text hole` };
  }
  if (tagRefusesText(tag)) {
    return { kind: 'refused', code: 'SPLICE014', message: `${shown} is text inside <${tag}>, whose content React writes specially: not patchable` };
  }
  if (hasDangerousHtml(element)) {
    return { kind: 'refused', code: 'SPLICE014', message: `${shown} is inside <${tag}> with dangerouslySetInnerHTML: not patchable` };
  }
  if (leadingNewlineTag(tag) && t.react.buildChildren(element).length === 1) {
    return {
      kind: 'refused', code: 'SPLICE014',
      message: `${shown} is the only child of <${tag}>, where React writes an extra newline before text that starts with one: not patchable`,
    };
  }
  const allText = t.react.buildChildren(element).every((child) => staticText(child) !== null || isPropRead(child));
  if (!allText) {
    return {
      kind: 'refused', code: 'SPLICE012',
      message: `${shown} is text in <${tag}> next to elements or other expressions: wrap the text in its own element (e.g. <span>{…}</span>) to make it patchable`,
    };
  }
  return { kind: 'text', element };
}

/** `f(…)` → `f`, `a.b.f(…)` → `f`: the name a call is known by. */
export function calleeName(call: t.CallExpression): string | null {
  const c = call.callee;
  if (t.isIdentifier(c)) return c.name;
  if (t.isMemberExpression(c) && !c.computed && t.isIdentifier(c.property)) return c.property.name;
  return null;
}

function isHookCall(node: t.Node): string | null {
  if (!t.isCallExpression(node)) return null;
  const name = calleeName(node);
  return name !== null && /^use[A-Z0-9]/.test(name) ? name : null;
}

/** Why a reference outside a direct JSX position is not a value hole, in words a developer can act on. */
function classifyExpression(shown: string, expr: NodePath<t.Expression>, fn: NodePath<ComponentFunction>): ReferenceUse {
  const line = expr.node.loc?.start.line;
  const at = line === undefined ? '' : ` at line ${line}`;
  let child: NodePath = expr;
  let condition = false;
  let list = false;
  for (let p: NodePath | null = expr.parentPath; p && p.node !== fn.node; child = p, p = p.parentPath) {
    const hook = isHookCall(p.node);
    if (hook !== null && child.listKey === 'arguments') {
      return { kind: 'refused', code: 'SPLICE019', message: `${shown} is passed to ${hook}()${at}: not a value hole` };
    }
    if (p.isFunction()) {
      return { kind: 'refused', code: 'SPLICE018', message: `${shown} is used inside a nested function${at}: not a value hole` };
    }
    if (
      ((p.isConditionalExpression() || p.isIfStatement() || p.isWhileStatement() || p.isDoWhileStatement() || p.isForStatement()) && child.key === 'test') ||
      (p.isLogicalExpression() && child.key === 'left') ||
      (p.isSwitchStatement() && child.key === 'discriminant') ||
      (p.isUnaryExpression() && p.node.operator === '!')
    ) {
      condition = true;
    }
    if (p.isMemberExpression() && child.key === 'object' && t.isIdentifier(p.node.property) && /^(map|flatMap|filter|forEach)$/.test(p.node.property.name)) {
      list = true;
    }
    if (p.isReturnStatement() && child.node === expr.node) {
      return { kind: 'refused', code: 'SPLICE023', message: `${shown} is returned directly, with no host element around it: not a value hole` };
    }
  }
  const what = list ? 'rendered as a list' : condition ? 'used in a condition' : 'used in an expression';
  return { kind: 'refused', code: 'SPLICE010', message: `${shown} is ${what}${at}: not a value hole` };
}

function hasStaticAttribute(element: t.JSXElement, name: string, value: string): boolean {
  return element.openingElement.attributes.some(
    (a) =>
      t.isJSXAttribute(a) &&
      t.isJSXIdentifier(a.name, { name }) &&
      ((t.isStringLiteral(a.value) && a.value.value === value) ||
        (t.isJSXExpressionContainer(a.value) && t.isStringLiteral(a.value.expression) && a.value.expression.value === value)),
  );
}

/**
 * `null` when React renders `element` as written: it sits, through expressions and `.map`
 * callbacks only, among the children of a host element or in the component's return value, or
 * in a `const` every read of which sits so. Otherwise a few words on where it goes instead: an
 * element handed to another component or function can be cloned with other props.
 */
export function handedToCode(element: NodePath, fn: NodePath<ComponentFunction>, depth = 0): string | null {
  let child: NodePath = element;
  for (let p = element.parentPath; p; child = p, p = p.parentPath) {
    if (p.node === fn.node) {
      // The arrow's expression body, or (below) a return statement of the component itself.
      return child.key === 'body' && t.isExpression(child.node) ? null : 'is not rendered directly';
    }
    if (p.isJSXElement()) {
      if (hostTag(p.node) !== null) return null;
      return `is a child of <${jsxName(p.node.openingElement.name)}>`;
    }
    if (p.isJSXAttribute()) {
      const owner = p.parent as t.JSXOpeningElement;
      return `is passed as \`${attrName(p.node)}\` to <${jsxName(owner.name)}>`;
    }
    if (p.isReturnStatement()) {
      const owner = p.getFunctionParent();
      if (owner?.node === fn.node) return null;
      continue;
    }
    if (p.isFunction()) {
      // Only a `.map`/`.flatMap` callback's result goes on, as an array, to where the call is.
      const call = p.parentPath;
      if (call?.isCallExpression() && p.listKey === 'arguments' && p.key === 0 && isArrayMap(call.node)) {
        p = call;
        continue;
      }
      return 'is built in a nested function';
    }
    if (p.isCallExpression() || p.isNewExpression() || p.isOptionalCallExpression()) {
      return child.key === 'callee' ? null : 'is passed to a function';
    }
    if (p.isVariableDeclarator()) {
      const declaration = p.parentPath;
      if (child.key !== 'init' || !t.isIdentifier(p.node.id) || !declaration?.isVariableDeclaration() || declaration.node.kind !== 'const' || depth > 4) {
        return 'is stored where it is not followed';
      }
      const binding = p.scope.getBinding(p.node.id.name);
      if (!binding || !binding.constant) return 'is stored in a variable that changes';
      for (const ref of binding.referencePaths) {
        const why = handedToCode(ref, fn, depth + 1);
        if (why !== null) return why;
      }
      return null;
    }
    if (p.isStatement() && !p.isBlockStatement() && !p.isIfStatement() && !p.isExpressionStatement()) {
      return 'is not rendered directly';
    }
    if (p.isExpressionStatement() || p.isAssignmentExpression() || p.isObjectProperty() || p.isObjectExpression()) {
      return 'is stored where it is not followed';
    }
  }
  return 'is not rendered directly';
}

function isArrayMap(call: t.CallExpression): boolean {
  const callee = call.callee;
  return t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.property) && /^(map|flatMap)$/.test(callee.property.name);
}
