import * as t from '@babel/types';
import type { NodePath } from './babel';
import type { FileContext } from './context';
import { report } from './context';

export type ComponentFunction = t.FunctionDeclaration | t.FunctionExpression | t.ArrowFunctionExpression;

export interface FoundComponent {
  name: string;
  fn: NodePath<ComponentFunction>;
  /** The top-level statement holding the component: the module-level ref goes right before it. */
  statement: NodePath<t.Statement>;
}

const isComponentName = (name: string): boolean => /^[A-Z]/.test(name);


function isWrapperCall(node: t.Node, names: string[]): node is t.CallExpression {
  if (!t.isCallExpression(node)) return false;
  const callee = node.callee;
  if (t.isIdentifier(callee)) return names.includes(callee.name);
  return t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.property) && names.includes(callee.property.name);
}

/** Whether JSX is anywhere in the node: a walk of bare nodes, no paths (so no scope crawl needed before it). */
function nodeContainsJsx(root: t.Node): boolean {
  return t.traverseFast(root, (node) => (node.type === 'JSXElement' || node.type === 'JSXFragment' ? t.traverseFast.stop : undefined));
}

/**
 * Whether `findComponents` would find or report anything in this program: the same walk over
 * the top-level statements, on bare nodes. False lets the pipeline skip Babel's scope crawl of
 * the whole file, most of a file's cost, for the many modules that hold JSX but no component
 * (pages without props, helpers, tables of elements). It must answer true whenever
 * `findComponents` finds or reports one: `fixtures.test.ts` holds it to that on every fixture.
 */
export function mayFindComponents(program: t.Program): boolean {
  const fn = (name: string, node: t.Node | null | undefined): boolean => {
    if (!t.isFunctionDeclaration(node) && !t.isFunctionExpression(node) && !t.isArrowFunctionExpression(node)) return false;
    if (!isComponentName(name) || !nodeContainsJsx(node)) return false;
    // Reported (async, generator, more than props), or found; only a component without props is neither.
    return node.generator || node.async || node.params.length > 0;
  };
  const cls = (name: string, node: t.Node): boolean => isComponentName(name) && nodeContainsJsx(node);
  const init = (name: string, node: t.Node): boolean => {
    if (!t.isCallExpression(node)) return fn(name, node);
    const arg = node.arguments[0];
    if (isWrapperCall(node, ['memo'])) {
      if (arg !== undefined && isWrapperCall(arg, ['forwardRef'])) return init(name, arg);
      return arg !== undefined && fn(name, arg);
    }
    return fn(name, isWrapperCall(node, ['forwardRef']) ? arg : node);
  };
  const declaration = (decl: t.Node | null | undefined): boolean => {
    if (t.isFunctionDeclaration(decl) && decl.id) return fn(decl.id.name, decl);
    if (t.isClassDeclaration(decl) && decl.id) return cls(decl.id.name, decl);
    if (t.isVariableDeclaration(decl)) {
      return decl.declarations.some((d) => t.isIdentifier(d.id) && d.init != null && (t.isClassExpression(d.init) ? cls(d.id.name, d.init) : init(d.id.name, d.init)));
    }
    return false;
  };
  return program.body.some((statement) => {
    if (t.isExportNamedDeclaration(statement)) return declaration(statement.declaration);
    if (t.isExportDefaultDeclaration(statement)) {
      const node = statement.declaration;
      // A default export without a name of its own is named after its file: always a component name.
      const ownName = (t.isFunctionDeclaration(node) || t.isFunctionExpression(node) || t.isClassDeclaration(node) || t.isClassExpression(node)) && node.id ? node.id.name : 'Default';
      if (t.isClassDeclaration(node) || t.isClassExpression(node)) return cls(ownName, node);
      if (t.isFunctionDeclaration(node) || t.isFunctionExpression(node) || t.isArrowFunctionExpression(node)) return fn(ownName, node);
      if (isWrapperCall(node, ['memo', 'forwardRef'])) {
        const arg = node.arguments[0];
        const innerName = arg && t.isFunctionExpression(arg) && arg.id ? arg.id.name : ownName;
        return init(innerName, node);
      }
      return false;
    }
    return declaration(statement);
  });
}

/** `hero-banner.tsx` → `HeroBanner`; `index.jsx` takes its folder's name. */
export function nameFromFile(file: string): string {
  const parts = file.split('/').filter((p) => p !== '');
  let base = (parts[parts.length - 1] ?? '').replace(/\.[^.]*$/, '');
  if (base === 'index' && parts.length > 1) base = parts[parts.length - 2] ?? base;
  const name = base
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return /^[A-Z]/.test(name) ? name : `Component${name}`;
}

/**
 * The top-level function components of the module. Refused shapes (classes, forwardRef-style
 * functions, generators, async functions) are reported and left out; so are components without
 * props, which have nothing to instrument.
 */
export function findComponents(ctx: FileContext, program: NodePath<t.Program>): FoundComponent[] {
  const found: FoundComponent[] = [];

  const consider = (name: string, fnPath: NodePath, statement: NodePath<t.Statement>, forwardRef = false): void => {
    if (!fnPath.isFunctionDeclaration() && !fnPath.isFunctionExpression() && !fnPath.isArrowFunctionExpression()) return;
    if (!isComponentName(name) || !nodeContainsJsx(fnPath.node)) return;
    const fn = fnPath as NodePath<ComponentFunction>;
    const node = fn.node;
    if (node.generator || node.async) {
      const kind = node.generator ? 'a generator' : 'an async function';
      report(ctx, 'SPLICE021', 'info', `<${name}> is ${kind}: only plain function components are analyzed`, node.loc?.start);
      return;
    }
    if (node.params.length === 0) return;
    const first = node.params[0]!;
    // forwardRef's render function takes (props, ref): the ref is React's, not a prop.
    if (node.params.length > (forwardRef ? 2 : 1) || t.isRestElement(first)) {
      report(
        ctx, 'SPLICE021', 'info',
        `<${name}> takes more than one parameter (forwardRef style): only (props) components are analyzed`,
        node.loc?.start,
      );
      return;
    }
    found.push({ name, fn, statement });
  };

  const considerInit = (name: string, init: NodePath, statement: NodePath<t.Statement>): void => {
    if (isWrapperCall(init.node, ['memo'])) {
      const arg = (init as NodePath<t.CallExpression>).get('arguments')[0];
      // The variable's name, not the inner function's: it is the name overrides use.
      if (arg !== undefined && isWrapperCall(arg.node, ['forwardRef'])) considerInit(name, arg, statement);
      else if (arg !== undefined) consider(name, arg, statement);
    } else if (isWrapperCall(init.node, ['forwardRef'])) {
      const arg = (init as NodePath<t.CallExpression>).get('arguments')[0];
      if (arg !== undefined) consider(name, arg, statement, true);
    } else {
      consider(name, init, statement);
    }
  };

  const considerClass = (name: string, cls: NodePath<t.Class>): void => {
    if (!isComponentName(name) || !nodeContainsJsx(cls.node)) return;
    report(ctx, 'SPLICE020', 'info', `<${name}> is a class component: only function components are analyzed`, cls.node.loc?.start);
  };

  const considerDeclaration = (decl: NodePath, statement: NodePath<t.Statement>): void => {
    if (decl.isFunctionDeclaration() && decl.node.id) {
      consider(decl.node.id.name, decl, statement);
    } else if (decl.isClassDeclaration() && decl.node.id) {
      considerClass(decl.node.id.name, decl);
    } else if (decl.isVariableDeclaration()) {
      for (const d of decl.get('declarations')) {
        const init = d.get('init');
        if (!t.isIdentifier(d.node.id) || !init.node) continue;
        if (init.isClassExpression()) considerClass(d.node.id.name, init);
        else considerInit(d.node.id.name, init as NodePath, statement);
      }
    }
  };

  for (const statement of program.get('body')) {
    if (statement.isExportNamedDeclaration()) {
      const decl = statement.get('declaration');
      if (decl.node) considerDeclaration(decl as NodePath, statement);
    } else if (statement.isExportDefaultDeclaration()) {
      const decl = statement.get('declaration') as NodePath;
      const node = decl.node;
      const ownName =
        (t.isFunctionDeclaration(node) || t.isFunctionExpression(node) || t.isClassDeclaration(node) || t.isClassExpression(node)) && node.id
          ? node.id.name
          : null;
      const name = ownName ?? nameFromFile(ctx.file);
      if (decl.isClassDeclaration() || decl.isClassExpression()) considerClass(name, decl as NodePath<t.Class>);
      else if (decl.isFunctionDeclaration() || decl.isFunctionExpression() || decl.isArrowFunctionExpression()) consider(name, decl, statement);
      else if (isWrapperCall(node, ['memo', 'forwardRef'])) {
        const arg = (decl as NodePath<t.CallExpression>).get('arguments')[0];
        const innerName = arg && t.isFunctionExpression(arg.node) && arg.node.id ? arg.node.id.name : name;
        considerInit(innerName, decl, statement);
      }
    } else {
      considerDeclaration(statement, statement);
    }
  }
  return found;
}
