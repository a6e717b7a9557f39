import * as t from '@babel/types';
import { MARKER_ATTRIBUTE } from '@splice/manifest';
import type { NodePath } from './babel';
import type { ComponentAnalysis } from './analyzeComponent';
import type { FileContext } from './context';

/**
 * Rewrites each analyzed component so that it reads its props through the runtime and marks
 * its elements (the shape is a contract with @splice/client):
 *
 *   import { useSpliceProps as _useSpliceProps } from "@splice/client";
 *   const _splice_Hero = { key, name, file };
 *   function Hero(_spliceProps) {
 *     const _splice = _useSpliceProps(_splice_Hero, _spliceProps);
 *     const { title } = _splice.props;
 *     return <h1 data-splice={_splice.marker(0)}>{title}</h1>;
 *   }
 *
 * Runs after every analysis, because it invalidates the scope information analysis relies on.
 */
export function instrument(ctx: FileContext, program: NodePath<t.Program>, analyses: ComponentAnalysis[], commonJs = false): void {
  if (analyses.length === 0) return;
  const hook = program.scope.generateUidIdentifier('useSpliceProps');
  const register = analyses.some((a) => a.render !== null) ? program.scope.generateUidIdentifier('registerSpliceComponent') : null;
  const refs = new Map<t.Statement, t.Statement[]>();
  for (const analysis of analyses) {
    const ref = program.scope.generateUidIdentifier(`splice_${analysis.entry.name}`);
    const statement = analysis.component.statement.node;
    const added = [refDeclaration(ref, analysis)];
    // Re-renderable components register themselves, so that the edge module finds them by key.
    if (analysis.render !== null && register !== null) added.push(t.expressionStatement(t.callExpression(t.cloneNode(register), [t.cloneNode(ref)])));
    refs.set(statement, [...(refs.get(statement) ?? []), ...added]);
    instrumentFunction(analysis, hook, ref);
  }
  program.node.body = program.node.body.flatMap((s) => [...(refs.get(s) ?? []), s]);
  // Contexts read by hooks of other modules: imported here so the instance can record their values.
  // One import per context: components of a module share its local (see `foreignContext`).
  const imported = new Set<string>();
  for (const analysis of analyses) {
    for (const i of analysis.render?.imports ?? []) {
      if (imported.has(i.local.name)) continue;
      imported.add(i.local.name);
      program.node.body.unshift(importStatement([[i.local, i.imported]], i.source, commonJs));
    }
  }
  const names: [t.Identifier, string][] = [[hook, 'useSpliceProps']];
  if (register !== null) names.push([register, 'registerSpliceComponent']);
  program.node.body.unshift(importStatement(names, ctx.runtimeModule, commonJs));
}

/**
 * A CommonJS module (it assigns `module.exports`, `exports.x` or `exports[…]`, or it is a `.cjs` file, and has no import or export):
 * an `import` added to it makes the bundler treat it as an ES module, whose `module.exports`
 * cannot be assigned, and the bundle throws as it loads. What it imports, it then requires.
 */
export function isCommonJs(program: t.Program, code: string, filename = ''): boolean {
  const esm = program.body.some((s) => s.type === 'ImportDeclaration' || s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' || s.type === 'ExportAllDeclaration');
  if (esm) return false;
  // webpack parses a .cjs file as a script (javascript/dynamic), where an import is a syntax
  // error, and Node runs it as CommonJS, however it exports (or if it does not).
  if (/\.cjs$/.test(filename)) return true;
  return /\bmodule\.exports\b|\bmodule\[\s*['"`]exports['"`]\s*\]|\bexports\s*(?:\.\s*[A-Za-z_$]|\[)/.test(code);
}

/** `import { imported as local } from source`, or in a CommonJS module `const { imported: local } = require(source)`. */
function importStatement(names: readonly [t.Identifier, string][], source: string, commonJs: boolean): t.Statement {
  if (commonJs) {
    const pattern = t.objectPattern(names.map(([local, imported]) => t.objectProperty(t.identifier(imported), t.cloneNode(local))));
    return t.variableDeclaration('const', [t.variableDeclarator(pattern, t.callExpression(t.identifier('require'), [t.stringLiteral(source)]))]);
  }
  const specifiers = names.map(([local, imported]) => (imported === 'default' ? t.importDefaultSpecifier(t.cloneNode(local)) : t.importSpecifier(t.cloneNode(local), t.identifier(imported))));
  return t.importDeclaration(specifiers, t.stringLiteral(source));
}

function refDeclaration(id: t.Identifier, analysis: ComponentAnalysis): t.Statement {
  const { name, file } = analysis.entry;
  const properties: t.ObjectExpression['properties'] = [
    t.objectProperty(t.identifier('key'), t.stringLiteral(analysis.key)),
    t.objectProperty(t.identifier('name'), t.stringLiteral(name)),
    t.objectProperty(t.identifier('file'), t.stringLiteral(file)),
  ];
  const render = analysis.render;
  if (render !== null) {
    // Functions, not values: the contexts and the component may be declared after this line.
    const thunk = (key: string, body: t.Expression) => t.objectMethod('method', t.identifier(key), [], t.blockStatement([t.returnStatement(body)]));
    properties.push(t.objectProperty(t.identifier('render'), t.objectExpression([
      t.objectProperty(t.identifier('reads'), render.reads === null ? t.nullLiteral() : t.arrayExpression(render.reads.map((r) => t.stringLiteral(r)))),
      thunk('contexts', t.arrayExpression(render.contexts.map((c) => t.cloneNode(c, true)))),
      ...(render.descendantContexts < render.contexts.length ? [t.objectProperty(t.identifier('descendantContexts'), t.numericLiteral(render.descendantContexts))] : []),
      thunk('component', t.identifier(analysis.entry.name)),
      ...(render.slots.length === 0 ? [] : [t.objectProperty(t.identifier('slots'), t.arrayExpression([...new Set(render.slots.map((s) => s.prop))].map((p) => t.stringLiteral(p))))]),
    ])));
  }
  return t.variableDeclaration('const', [t.variableDeclarator(id, t.objectExpression(properties))]);
}

function instrumentFunction(analysis: ComponentAnalysis, hook: t.Identifier, ref: t.Identifier): void {
  const fnPath = analysis.component.fn;
  const fn = fnPath.node;
  const splice = fnPath.scope.generateUidIdentifier('splice');
  const incoming = fnPath.scope.generateUidIdentifier('spliceProps');

  for (const mark of analysis.marks) {
    const args: t.Expression[] = [t.numericLiteral(mark.index)];
    if (mark.textHoles.length >= 2) args.push(t.arrayExpression(mark.textHoles.map((e) => t.cloneNode(e, true))));
    const call = t.callExpression(t.memberExpression(t.cloneNode(splice), t.identifier('marker')), args);
    mark.element.openingElement.attributes.unshift(t.jsxAttribute(t.jsxIdentifier(MARKER_ATTRIBUTE), t.jsxExpressionContainer(call)));
  }

  const param = fn.params[0]!;
  let pattern = t.isAssignmentPattern(param) ? param.left : param;
  // The parameter's type now describes the incoming props; the local pattern keeps no annotation.
  if ('typeAnnotation' in pattern && pattern.typeAnnotation) {
    incoming.typeAnnotation = pattern.typeAnnotation as t.Identifier['typeAnnotation'];
    pattern = t.cloneNode(pattern, true);
    (pattern as { typeAnnotation?: unknown }).typeAnnotation = null;
  }
  fn.params[0] = incoming;

  const body = t.isBlockStatement(fn.body) ? fn.body : t.blockStatement([t.returnStatement(fn.body)]);
  if (analysis.render !== null) {
    // `{children}` in place becomes `{_splice.slot(0, children)}` (see @splice/client).
    for (const slot of analysis.render.slots) {
      const call = t.callExpression(t.memberExpression(t.cloneNode(splice), t.identifier('slot')), [t.numericLiteral(slot.n), slot.node]);
      (slot.parent as unknown as Record<string, t.Node>)[slot.key] = call;
    }
    wrapRoots(body, splice);
    // A component that throws or suspends never reaches `root()`: its package-hook window is
    // closed here, so the calls of the components rendered next are not taken for its own. (A
    // catch that rethrows, not a finally: React Compiler lowers try/catch.)
    const error = fnPath.scope.generateUidIdentifier('spliceError');
    // Falling off the end returns nothing, as `return null` would, through the root probe (which
    // closes the window); after a final `return` it is never reached.
    body.body.push(t.returnStatement(t.callExpression(t.memberExpression(t.cloneNode(splice), t.identifier('root')), [t.nullLiteral()])));
    body.body = [t.tryStatement(t.blockStatement(body.body), t.catchClause(t.cloneNode(error), t.blockStatement([
      t.expressionStatement(t.callExpression(t.memberExpression(t.cloneNode(splice), t.identifier('done')), [])),
      t.throwStatement(t.cloneNode(error)),
    ])))];
  }
  body.body.unshift(
    t.variableDeclaration('const', [
      t.variableDeclarator(t.cloneNode(splice), t.callExpression(t.cloneNode(hook), [t.cloneNode(ref), t.identifier(incoming.name)])),
    ]),
    t.variableDeclaration(analysis.reassignsProps ? 'let' : 'const', [
      t.variableDeclarator(pattern as t.LVal, t.memberExpression(t.cloneNode(splice), t.identifier('props'))),
    ]),
  );
  fn.body = body;
}

/**
 * `return <div …>` becomes `return _splice.root(<div …>)`, and so does any other return value
 * (`cond ? <a/> : null`, `<Link/>`, a fragment, text): the root probe, one component between the
 * instance and what it returns, learns the instance's exact tree position (see @splice/client)
 * and, in a server render, writes the instance state after the root marker, or into a boundary
 * around a return value that is not one host element.
 */
function wrapRoots(body: t.BlockStatement, splice: t.Identifier): void {
  const wrap = (node: t.Expression): t.Expression =>
    t.callExpression(t.memberExpression(t.cloneNode(splice), t.identifier('root')), [node]);
  const visit = (node: t.Node): void => {
    if (t.isFunction(node)) return;
    if (t.isReturnStatement(node)) {
      // A bare `return;` renders nothing too: it gets a boundary like `return null`.
      node.argument = wrap(node.argument ?? t.nullLiteral());
      return;
    }
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, t.Node | t.Node[] | null>)[key];
      if (Array.isArray(child)) child.forEach((c) => c && visit(c));
      else if (child) visit(child);
    }
  };
  body.body.forEach(visit);
}
