import * as t from '@babel/types';
import type { Binding } from '@babel/traverse';
import type { NodePath } from './babel';
import type { DiagnosticCode, SourceLocation } from './diagnostics';
import type { ComponentFunction } from './findComponents';

/** One place the component reads a prop. */
export interface PropReference {
  /** The top-level prop name: the key of the manifest's `props` record. */
  top: string;
  /** `{ product: { name } }` reads `['product', 'name']`, as does `props.product.name`. */
  path: string[];
  /** The expression that reads it: the bound identifier, or the whole `props.a.b` chain. */
  expr: NodePath<t.Expression>;
  /** Levels of `path` whose object defaults to `{}` when undefined (`{ brand: { label } = {} }` is 1). */
  defaults?: number[];
  /** A top-level prop's default value (`{ title = 'Untitled' }`): what renders when the prop is undefined. */
  fallback?: NodePath<t.Expression>;
}

/** Something that makes a prop (or, with `top: null`, every prop) not patchable. */
export interface PropProblem {
  top: string | null;
  code: DiagnosticCode;
  message: string;
  loc: SourceLocation | undefined;
}

export interface PropsUsage {
  /** Top-level prop names in the order they are declared or first read. */
  names: string[];
  references: PropReference[];
  problems: PropProblem[];
  /** Informational: `...rest` in the pattern. */
  notes: PropProblem[];
  /** The `...rest` of the props pattern(s): the binding, and the keys named beside it (which the rest cannot hold). */
  rests: { binding: Binding; keys: ReadonlySet<string> }[];
}

/** Every read of a prop in the component, from its first parameter. */
export function collectPropReferences(fn: NodePath<ComponentFunction>): PropsUsage {
  const usage: PropsUsage = { names: [], references: [], problems: [], notes: [], rests: [] };
  let param: t.Node | undefined = fn.node.params[0];
  if (t.isAssignmentPattern(param)) param = param.left;
  if (t.isObjectPattern(param)) collectPattern(fn, param, [], usage);
  else if (t.isIdentifier(param)) collectPropsObject(fn, param.name, usage);
  else if (param !== undefined) {
    usage.problems.push({ top: null, code: 'SPLICE021', message: 'the props parameter is not an object pattern or an identifier', loc: param.loc?.start });
  }
  usage.references.sort((a, b) => (a.expr.node.start ?? 0) - (b.expr.node.start ?? 0));
  return usage;
}

function addName(usage: PropsUsage, name: string): void {
  if (!usage.names.includes(name)) usage.names.push(name);
}

function keyName(prop: t.ObjectProperty): string | null {
  if (prop.computed) return null;
  if (t.isIdentifier(prop.key)) return prop.key.name;
  if (t.isStringLiteral(prop.key)) return prop.key.value;
  if (t.isNumericLiteral(prop.key)) return String(prop.key.value);
  return null;
}

function collectPattern(fn: NodePath<ComponentFunction>, pattern: t.ObjectPattern, base: string[], usage: PropsUsage, scope: NodePath['scope'] = fn.scope, defaults: number[] = []): void {
  for (const prop of pattern.properties) {
    if (t.isRestElement(prop)) {
      const rest = t.isIdentifier(prop.argument) ? prop.argument.name : 'rest';
      if (base.length === 0) {
        const binding = t.isIdentifier(prop.argument) ? scope.getBinding(prop.argument.name) : undefined;
        if (binding !== undefined && !pattern.properties.some((p) => t.isObjectProperty(p) && keyName(p) === null)) {
          usage.rests.push({ binding, keys: new Set(pattern.properties.flatMap((p) => (t.isObjectProperty(p) && keyName(p) !== null ? [keyName(p)!] : []))) });
        }
        // The other props: not named, so not in the manifest; the named ones stay analyzable.
        usage.notes.push({ top: null, code: 'SPLICE017', message: `\`...${rest}\` collects the other props: uses of it are not analyzed, so those props are not patchable`, loc: prop.loc?.start });
      } else {
        // The other fields of a prop: an override of the prop changes them, and their uses are not analyzed.
        usage.problems.push({ top: base[0]!, code: 'SPLICE017', message: `\`...${rest}\` collects the other fields of \`${base.join('.')}\`: uses of it are not analyzed, so \`${base[0]}\` is not a value prop`, loc: prop.loc?.start });
      }
      continue;
    }
    const name = keyName(prop);
    if (name === null) {
      // A computed key may read any prop, including one we would call patchable.
      usage.problems.push({ top: null, code: 'SPLICE022', message: 'a computed key in the props pattern may read any prop: none is patchable', loc: prop.loc?.start });
      continue;
    }
    const path = [...base, name];
    const top = path[0]!;
    addName(usage, top);
    let target = prop.value;
    let levels = defaults;
    let fallback: NodePath<t.Expression> | undefined;
    if (t.isAssignmentPattern(target)) {
      if (t.isObjectPattern(target.left)) {
        // `= {}` is what the IR models (a missing object reads as empty); another default object is not.
        if (!(t.isObjectExpression(target.right) && target.right.properties.length === 0)) {
          usage.problems.push({ top, code: 'SPLICE022', message: `\`${path.join('.')}\` defaults to an object other than \`{}\`: not expressible in the manifest yet`, loc: target.loc?.start });
          continue;
        }
        levels = [...defaults, path.length - 1];
      }
      if (base.length > 0 && t.isIdentifier(target.left)) {
        // An override replaces the whole top-level object; without this field the default would
        // render, and the expression IR has no "default if undefined" yet.
        usage.problems.push({
          top, code: 'SPLICE022',
          message: `\`${path.join('.')}\` has a default value inside a nested pattern: not expressible in the manifest yet`,
          loc: target.loc?.start,
        });
        continue;
      }
      if (t.isIdentifier(target.left)) fallback = pathOf(fn, target.right);
      target = target.left;
    }
    if (t.isIdentifier(target)) collectBinding(scope, target.name, top, path, usage, levels, fallback);
    else if (t.isObjectPattern(target)) collectPattern(fn, target, path, usage, scope, levels);
    else {
      usage.problems.push({ top, code: 'SPLICE022', message: `\`${path.join('.')}\` is destructured with an array pattern: not supported yet`, loc: target.loc?.start });
    }
  }
}

function collectBinding(scope: NodePath['scope'], local: string, top: string, path: string[], usage: PropsUsage, defaults: number[] = [], fallback?: NodePath<t.Expression>): void {
  const binding = scope.getBinding(local);
  if (!binding) return;
  const violation = binding.constantViolations[0];
  if (violation) {
    usage.problems.push({ top, code: 'SPLICE016', message: `${describeLocal(local, path)} is reassigned: not patchable`, loc: violation.node.loc?.start });
    return;
  }
  for (const ref of binding.referencePaths) {
    if (!ref.isExpression()) continue;
    const reference: PropReference = { top, path, expr: ref };
    if (defaults.length > 0) reference.defaults = defaults;
    if (fallback !== undefined) reference.fallback = fallback;
    usage.references.push(reference);
  }
}

function collectPropsObject(fn: NodePath<ComponentFunction>, local: string, usage: PropsUsage): void {
  const binding = fn.scope.getBinding(local);
  if (!binding) return;
  const violation = binding.constantViolations[0];
  if (violation) {
    usage.problems.push({ top: null, code: 'SPLICE016', message: `\`${local}\` is reassigned: no prop is patchable`, loc: violation.node.loc?.start });
  }
  for (const ref of binding.referencePaths) {
    // `const { a, b: { c } } = props` in the body reads as the same pattern in the parameters.
    const declarator = ref.parentPath;
    if (declarator?.isVariableDeclarator() && declarator.node.init === ref.node && t.isObjectPattern(declarator.node.id)
      && declarator.parentPath.isVariableDeclaration() && declarator.parentPath.node.kind === 'const') {
      collectPattern(fn, declarator.node.id, [], usage, declarator.scope);
      continue;
    }
    let expr = ref as NodePath<t.Expression>;
    const path: string[] = [];
    for (;;) {
      const parent = expr.parentPath;
      if (!parent?.isMemberExpression() || parent.node.object !== expr.node) break;
      if (parent.node.computed || !t.isIdentifier(parent.node.property)) break;
      path.push(parent.node.property.name);
      expr = parent;
    }
    const top = path[0];
    if (top === undefined) {
      usage.problems.push({ top: null, code: 'SPLICE015', message: `\`${local}\` ${escapeKind(ref)}: no prop of this component is patchable`, loc: ref.node.loc?.start });
      continue;
    }
    addName(usage, top);
    if (isWrite(expr)) {
      usage.problems.push({ top, code: 'SPLICE016', message: `\`${local}.${path.join('.')}\` is mutated: not patchable`, loc: expr.node.loc?.start });
      continue;
    }
    usage.references.push({ top, path, expr });
  }
}

function isWrite(expr: NodePath): boolean {
  const parent = expr.parent;
  return (
    (t.isAssignmentExpression(parent) && parent.left === expr.node) ||
    t.isUpdateExpression(parent) ||
    (t.isUnaryExpression(parent) && parent.operator === 'delete')
  );
}

function escapeKind(ref: NodePath): string {
  const parent = ref.parent;
  if (t.isMemberExpression(parent) && parent.computed) return 'is read with a computed key';
  if (t.isOptionalMemberExpression(parent)) return 'is read with optional chaining';
  if (t.isJSXSpreadAttribute(parent) || t.isSpreadElement(parent)) return 'is spread';
  if (t.isCallExpression(parent) || t.isNewExpression(parent)) return 'is passed to a function';
  if (t.isVariableDeclarator(parent)) return 'is destructured or copied in the body';
  return 'is used as a whole';
}

function describeLocal(local: string, path: string[]): string {
  const prop = path.join('.');
  return local === prop ? `\`${local}\`` : `\`${local}\` (prop \`${prop}\`)`;
}

const defaultPaths = new WeakMap<t.Node, Map<t.Node, NodePath<t.Expression>>>();

/**
 * The path of a pattern's default value inside the component, for the expression lowering. One
 * walk per component collects them all: a component may default many props.
 */
function pathOf(fn: NodePath<ComponentFunction>, node: t.Node): NodePath<t.Expression> | undefined {
  let paths = defaultPaths.get(fn.node);
  if (paths === undefined) {
    const found = new Map<t.Node, NodePath<t.Expression>>();
    fn.traverse({
      AssignmentPattern(p) {
        found.set(p.node.right, p.get('right') as NodePath<t.Expression>);
      },
    });
    defaultPaths.set(fn.node, (paths = found));
  }
  return paths.get(node);
}
