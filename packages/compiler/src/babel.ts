/**
 * Babel's traverse and generator are CommonJS modules with an `exports.default`. Depending on
 * who compiled us (tsc, swc under jest) a default import yields either the function or the
 * module object, so resolve it once here.
 */
import traverseModule from '@babel/traverse';
import generatorModule from '@babel/generator';
import { VISITOR_KEYS, isPattern, isScopable, traverseFast, type Node } from '@babel/types';

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
