import * as t from '@babel/types';
import type { NodePath } from './babel';
import { exportNameOf } from './modules';

/**
 * Contexts a module keeps to itself (`const CartContext = createContext(…)`, used only through
 * its own `useCart()` hook) are what a component calling that hook reads: to record their values
 * per instance, the component's module must import them. So every module gets an export of each
 * such context under a reserved name; a component module importing it is all that changes.
 */
export const EXPOSED_PREFIX = '__spliceContext_';

/** Top-level `const X = createContext(…)` / `React.createContext(…)` that the module does not export. */
export function hiddenContexts(program: NodePath<t.Program>): string[] {
  const out: string[] = [];
  for (const stmt of program.node.body) {
    if (!t.isVariableDeclaration(stmt) || stmt.kind !== 'const') continue;
    for (const d of stmt.declarations) {
      if (t.isIdentifier(d.id) && isCreateContext(d.init) && exportNameOf(program.node, d.id.name) === null) out.push(d.id.name);
    }
  }
  return out;
}

export function isCreateContext(node: t.Node | null | undefined): boolean {
  if (!t.isCallExpression(node)) return false;
  const callee = node.callee;
  return t.isIdentifier(callee, { name: 'createContext' })
    || (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.property, { name: 'createContext' }));
}

/** The exports appended to a module's code (after everything, so that no line moves). */
export function exposeText(names: readonly string[]): string {
  return names.length === 0 ? '' : `\nexport { ${names.map((n) => `${n} as ${EXPOSED_PREFIX}${n}`).join(', ')} };\n`;
}

/**
 * An ES module that is not also CommonJS: an `export` appended to a module that assigns
 * `module.exports` would make the bundler treat it as ESM and break it.
 */
export function isEsModule(program: t.Program, code: string): boolean {
  const esm = program.body.some((s) => s.type === 'ImportDeclaration' || s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' || s.type === 'ExportAllDeclaration');
  return esm && !/\bmodule\.exports\b|\bexports\.[A-Za-z_$]|\brequire\s*\(/.test(code);
}

