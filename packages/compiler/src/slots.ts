import * as t from '@babel/types';
import type { NodePath } from './babel';
import type { PropReference } from './propReferences';

/**
 * A place where a re-renderable component renders elements it received (`{children}`, `{icon}`)
 * as they are: inside a host element or a fragment, directly or as a branch of `&&` / `?:`. There
 * the source page wraps them in a slot element and the edge keeps their cached bytes around a
 * re-render (see @splice/manifest `SLOT_TAG`). Handed to a component instead (`<Card>{children}`),
 * they are not slotted: that component may look inside them (`Children.map`), and a slot element
 * in their place would change what it renders.
 */
export interface Slot {
  /** The slot's number in the component, in source order. */
  n: number;
  prop: string;
  /** The read to wrap: `node` is `parent[key]`. */
  node: t.Expression;
  parent: t.Node;
  key: string;
}

export function findSlots(references: readonly PropReference[], holdsElements: (name: string) => boolean): Slot[] {
  const found = placesInOrder(references, holdsElements);
  // A prop is slotted only where every read of it is a place or a test of it (`children && …`):
  // an edge re-render gets a placeholder for it, which any other use would render wrongly.
  const placed = new Set(found.map((s) => s.node));
  const slotted = new Set<string>();
  const refused = new Set<string>();
  for (const ref of references) {
    if (!holdsElements(ref.top)) continue;
    if (placed.has(ref.expr.node)) slotted.add(ref.top);
    else if (!(ref.path.length === 1 && isTest(ref.expr))) refused.add(ref.top);
  }
  return found.filter((s) => slotted.has(s.prop) && !refused.has(s.prop)).map((s, n) => ({ ...s, n }));
}

/** A read used only for its truthiness: an `if`, the left of `&&`, a `?:` test, `!x`. */
function isTest(expr: NodePath<t.Expression>): boolean {
  const parent = expr.parent;
  const node = expr.node;
  return (t.isIfStatement(parent) && parent.test === node)
    || (t.isConditionalExpression(parent) && parent.test === node)
    || (t.isLogicalExpression(parent) && parent.operator === '&&' && parent.left === node)
    || (t.isUnaryExpression(parent) && parent.operator === '!');
}

function placesInOrder(references: readonly PropReference[], holdsElements: (name: string) => boolean): Slot[] {
  const slots: Slot[] = [];
  const ordered = [...references].sort((a, b) => (a.expr.node.start ?? 0) - (b.expr.node.start ?? 0));
  for (const ref of ordered) {
    if (ref.path.length !== 1 || !holdsElements(ref.top)) continue;
    let child: t.Node = ref.expr.node;
    let path: NodePath | null = ref.expr.parentPath;
    let placed: { parent: t.Node; key: string } | null = null;
    // Up through the branches of `c && x`, `c ? x : y`, parentheses, to the JSX child position.
    while (path !== null) {
      const node = path.node;
      if (t.isLogicalExpression(node) && node.operator === '&&' && node.right === child) { placed ??= { parent: node, key: 'right' }; }
      else if (t.isConditionalExpression(node) && node.test !== child) { placed ??= { parent: node, key: node.consequent === child ? 'consequent' : 'alternate' }; }
      else if (t.isParenthesizedExpression(node)) { /* through */ }
      else if (t.isJSXExpressionContainer(node)) {
        placed ??= { parent: node, key: 'expression' };
        const host = path.parentPath?.node;
        const inPlace = (t.isJSXFragment(host) || (t.isJSXElement(host) && isHost(host))) && host.children.includes(node);
        if (inPlace) {
          slots.push({ n: slots.length, prop: ref.top, node: ref.expr.node, ...placed });
        }
        break;
      } else break;
      child = node;
      path = path.parentPath;
    }
  }
  return slots;
}

function isHost(el: t.JSXElement): boolean {
  const name = el.openingElement.name;
  return t.isJSXIdentifier(name) && /^[a-z]/.test(name.name);
}
