import * as t from '@babel/types';
import type { NodePath } from './babel';
import type { ComponentFunction, FoundComponent } from './findComponents';

/** What a prop's TypeScript type says it holds, when the component declares one. */
export interface PropKinds {
  /** Props typed to hold React elements (`ReactNode`, `ReactElement`, `JSX.Element`, ...). */
  elements: Set<string>;
  /** Props typed as functions. */
  functions: Set<string>;
  /**
   * The declared type of each prop whose type JSON can hold and which reads alone, without this
   * module (primitives, literals, `null`, arrays, unions, object literals of those): the
   * component map the build emits types overrides with it.
   */
  json: Map<string, string>;
}

const ELEMENT_TYPES = /^(React\.)?(ReactNode|ReactElement|ReactChild|ReactChildren|ReactPortal|JSX\.Element)$|^JSX\.Element$/;

/**
 * Reads the props type from `({ … }: Props)`, `(props: Props)` or `const C: FC<Props> = …`, where
 * `Props` is a type literal, or an interface or type alias of this module. Types from other
 * modules are not followed: then nothing is known, and uses decide.
 */
export function propKinds(component: FoundComponent): PropKinds {
  const kinds: PropKinds = { elements: new Set(), functions: new Set(), json: new Map() };
  const members = propsMembers(component.fn);
  for (const m of members) {
    if (!t.isTSPropertySignature(m) || m.computed) continue;
    const name = t.isIdentifier(m.key) ? m.key.name : t.isStringLiteral(m.key) ? m.key.value : null;
    const type = m.typeAnnotation?.typeAnnotation;
    if (name === null || type === undefined) continue;
    if (holdsElements(type)) kinds.elements.add(name);
    if (t.isTSFunctionType(type)) kinds.functions.add(name);
    const json = jsonType(type, 0);
    if (json !== null) kinds.json.set(name, json);
  }
  return kinds;
}

/** The type as standalone TypeScript, when it is JSON-expressible and needs nothing of the module; else null. */
function jsonType(type: t.TSType, depth: number): string | null {
  if (depth > 6) return null;
  switch (type.type) {
    case 'TSStringKeyword': return 'string';
    case 'TSNumberKeyword': return 'number';
    case 'TSBooleanKeyword': return 'boolean';
    case 'TSNullKeyword': return 'null';
    case 'TSLiteralType': {
      const lit = type.literal;
      if (t.isStringLiteral(lit)) return JSON.stringify(lit.value);
      if (t.isNumericLiteral(lit)) return String(lit.value);
      if (t.isBooleanLiteral(lit)) return String(lit.value);
      return null;
    }
    case 'TSParenthesizedType': return jsonType(type.typeAnnotation, depth + 1);
    case 'TSArrayType': {
      const inner = jsonType(type.elementType, depth + 1);
      return inner === null ? null : `(${inner})[]`;
    }
    case 'TSTypeOperator': return type.operator === 'readonly' ? jsonType(type.typeAnnotation, depth + 1) : null;
    case 'TSTypeReference': {
      if (!t.isIdentifier(type.typeName) || (type.typeName.name !== 'Array' && type.typeName.name !== 'ReadonlyArray')) return null;
      const arg = type.typeParameters?.params[0];
      const inner = arg === undefined ? null : jsonType(arg, depth + 1);
      return inner === null ? null : `(${inner})[]`;
    }
    case 'TSUnionType': {
      // `undefined` in a union is what an absent prop is: an override sets a value, so it goes.
      const parts = type.types.filter((x) => x.type !== 'TSUndefinedKeyword').map((x) => jsonType(x, depth + 1));
      return parts.length === 0 || parts.some((x) => x === null) ? null : parts.join(' | ');
    }
    case 'TSTypeLiteral': {
      const members: string[] = [];
      for (const m of type.members) {
        if (!t.isTSPropertySignature(m) || m.computed || m.typeAnnotation == null) return null;
        const key = t.isIdentifier(m.key) ? m.key.name : t.isStringLiteral(m.key) ? JSON.stringify(m.key.value) : null;
        const inner = jsonType(m.typeAnnotation.typeAnnotation, depth + 1);
        if (key === null || inner === null) return null;
        members.push(`${key}${m.optional ? '?' : ''}: ${inner}`);
      }
      return `{ ${members.join('; ')} }`;
    }
    default: return null;
  }
}

function holdsElements(type: t.TSType): boolean {
  if (t.isTSUnionType(type)) return type.types.some(holdsElements);
  if (t.isTSParenthesizedType(type)) return holdsElements(type.typeAnnotation);
  if (t.isTSTypeReference(type)) return ELEMENT_TYPES.test(entityName(type.typeName));
  return false;
}

function entityName(name: t.TSEntityName): string {
  return t.isIdentifier(name) ? name.name : `${entityName(name.left)}.${name.right.name}`;
}

function propsMembers(fn: NodePath<ComponentFunction>): t.Node[] {
  const param = fn.node.params[0];
  let annotation: t.Node | null | undefined = param && 'typeAnnotation' in param ? param.typeAnnotation : undefined;
  if (t.isAssignmentPattern(param)) annotation = (param.left as { typeAnnotation?: t.Node | null }).typeAnnotation;
  let type: t.TSType | undefined = t.isTSTypeAnnotation(annotation) ? annotation.typeAnnotation : undefined;
  if (type === undefined) {
    // `const C: FC<Props> = (props) => …`
    const declarator = fn.parentPath;
    const id = declarator?.isVariableDeclarator() ? declarator.node.id : null;
    const ann = id && t.isIdentifier(id) && t.isTSTypeAnnotation(id.typeAnnotation) ? id.typeAnnotation.typeAnnotation : undefined;
    if (t.isTSTypeReference(ann) && ann.typeParameters?.params[0]) type = ann.typeParameters.params[0];
  }
  return type === undefined ? [] : membersOf(type, fn, 0);
}

function membersOf(type: t.TSType, fn: NodePath, depth: number): t.Node[] {
  if (depth > 4) return [];
  if (t.isTSTypeLiteral(type)) return type.members;
  if (t.isTSIntersectionType(type)) return type.types.flatMap((x) => membersOf(x, fn, depth + 1));
  if (t.isTSTypeReference(type) && t.isIdentifier(type.typeName)) {
    const name = type.typeName.name;
    if (name === 'PropsWithChildren' && type.typeParameters?.params[0]) return membersOf(type.typeParameters.params[0], fn, depth + 1);
    const program = fn.scope.getProgramParent().path.node as t.Program;
    for (const statement of program.body) {
      const decl = t.isExportNamedDeclaration(statement) ? statement.declaration : statement;
      if (t.isTSInterfaceDeclaration(decl) && decl.id.name === name) return decl.body.body;
      if (t.isTSTypeAliasDeclaration(decl) && decl.id.name === name) return membersOf(decl.typeAnnotation, fn, depth + 1);
    }
  }
  return [];
}
