/**
 * Babel's traverse and generator are CommonJS modules with an `exports.default`. Depending on
 * who compiled us (tsc, swc under jest) a default import yields either the function or the
 * module object, so resolve it once here.
 */
import traverseModule from '@babel/traverse';
import generatorModule from '@babel/generator';

type Traverse = typeof traverseModule;
type Generate = typeof generatorModule;

function unwrapDefault<T>(mod: T): T {
  const inner = (mod as unknown as { default?: T }).default;
  return inner ?? mod;
}

export const traverse: Traverse = unwrapDefault(traverseModule);
export const generate: Generate = unwrapDefault(generatorModule);
export type { NodePath, Scope, Binding } from '@babel/traverse';
