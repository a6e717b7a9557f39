/**
 * Babel's traverse and generator are CommonJS modules with an `exports.default`. Depending on
 * who compiled us (tsc, swc under jest) a default import yields either the function or the
 * module object, so resolve it once here.
 */
import traverseModule from '@babel/traverse';
import generatorModule from '@babel/generator';
import * as types from '@babel/types';
import type { Node, ReturnStatement } from '@babel/types';

// Read once: @babel/types re-exports these through getters, which every call would run again (a
// walk calls them once per node).
const { VISITOR_KEYS, isFunction, isPattern, isScopable, traverseFast } = types;

type Traverse = typeof traverseModule;
type Generate = typeof generatorModule;

function unwrapDefault<T>(mod: T): T {
  const inner = (mod as unknown as { default?: T }).default;
  return inner ?? mod;
}

export const traverse: Traverse = unwrapDefault(traverseModule);
export const generate: Generate = unwrapDefault(generatorModule);
export type { NodePath, Scope, Binding } from '@babel/traverse';

/**
 * Takes a finished tree out of Babel's caches of paths and scopes. Babel keeps them in
 * process-wide WeakMaps keyed by syntax nodes, which the young-generation collector treats as
 * roots: without this every tree a compile walked survives, is promoted, and waits for a full
 * collection (over a corpus, a third of the run was the collector's). Only this tree's entries
 * go: another Babel traversal in the process (a loader next to ours) keeps its own.
 */
export function releaseTree(root: Node): void {
  const { path: paths, scope: scopes } = traverse.cache;
  traverseFast(root, (node) => {
    // Paths are cached under their parent node (even for an absent child asked for), scopes under
    // the node that opens them (a scopable node, or a function's parameter pattern): a literal
    // is a key of neither.
    if ((VISITOR_KEYS[node.type] ?? []).length > 0) paths.delete(node);
    if (isScopable(node) || isPattern(node)) scopes.delete(node);
  });
}

/**
 * Calls `visit` with each child node of `node`, in Babel's visiting order, and the key it sits
 * under. On bare nodes, for the walks that need their own state per node (a stack, a flag) and no
 * paths: a Babel traversal would make a path for every node it passes.
 */
export function eachChild(node: Node, visit: (child: Node, key: string) => void): void {
  for (const key of VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const c of child) if (c !== null && typeof c === 'object' && typeof (c as Node).type === 'string') visit(c as Node, key);
    } else if (child !== null && typeof child === 'object' && typeof (child as Node).type === 'string') {
      visit(child as Node, key);
    }
  }
}

/**
 * The `return` statements of a function's own body, not of the functions inside it, in source
 * order. On bare nodes: a Babel traversal would make a path for every node it passes.
 */
export function ownReturns(fn: Node): ReturnStatement[] {
  const out: ReturnStatement[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'ReturnStatement') out.push(node);
    if (node !== fn && isFunction(node)) return;
    const keys = VISITOR_KEYS[node.type];
    if (keys === undefined) return;
    for (const key of keys) {
      const child = (node as unknown as Record<string, Node | Node[] | null | undefined>)[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c !== null && typeof c === 'object') visit(c);
      } else if (child !== null && child !== undefined && typeof child === 'object') {
        visit(child);
      }
    }
  };
  visit(fn);
  return out;
}
