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
export function instrument(ctx: FileContext, program: NodePath<t.Program>, analyses: ComponentAnalysis[]): void {
  if (analyses.length === 0) return;
  const hook = program.scope.generateUidIdentifier('useSpliceProps');
  const refs = new Map<t.Statement, t.Statement[]>();
  for (const analysis of analyses) {
    const ref = program.scope.generateUidIdentifier(`splice_${analysis.entry.name}`);
    const statement = analysis.component.statement.node;
    refs.set(statement, [...(refs.get(statement) ?? []), refDeclaration(ref, analysis)]);
    instrumentFunction(analysis, hook, ref);
  }
  program.node.body = program.node.body.flatMap((s) => [...(refs.get(s) ?? []), s]);
  program.node.body.unshift(
    t.importDeclaration([t.importSpecifier(hook, t.identifier('useSpliceProps'))], t.stringLiteral(ctx.runtimeModule)),
  );
}

function refDeclaration(id: t.Identifier, analysis: ComponentAnalysis): t.Statement {
  const { name, file } = analysis.entry;
  return t.variableDeclaration('const', [
    t.variableDeclarator(
      id,
      t.objectExpression([
        t.objectProperty(t.identifier('key'), t.stringLiteral(analysis.key)),
        t.objectProperty(t.identifier('name'), t.stringLiteral(name)),
        t.objectProperty(t.identifier('file'), t.stringLiteral(file)),
      ]),
    ),
  ]);
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
