import type { Expr, JsonValue } from './types';

/**
 * Evaluates a hole for the given props. Pure, no `eval`: the edge runs it in Workers, which
 * forbid code generation. Returns `undefined` where JavaScript would (a missing prop).
 */
export function evaluateExpr(expr: Expr, props: Readonly<Record<string, JsonValue | undefined>>): JsonValue | undefined {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'prop': {
      let value: JsonValue | undefined = props[expr.path[0] as string];
      for (let i = 1; i < expr.path.length; i++) {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
        const key = expr.path[i] as string;
        value = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
      }
      return value;
    }
    case 'template': {
      let out = expr.quasis[0] ?? '';
      for (let i = 0; i < expr.exprs.length; i++) {
        const v = evaluateExpr(expr.exprs[i] as Expr, props);
        out += templatePart(v) + (expr.quasis[i + 1] ?? '');
      }
      return out;
    }
    case 'cond':
      return truthy(evaluateExpr(expr.test, props)) ? evaluateExpr(expr.then, props) : evaluateExpr(expr.else, props);
  }
}

function templatePart(v: JsonValue | undefined): string {
  if (v !== null && typeof v === 'object') {
    // `${[1,2]}` is "1,2" and `${{}}` is "[object Object]": match JavaScript exactly.
    return Array.isArray(v) ? v.map((x) => (x === null || x === undefined ? '' : templatePart(x))).join(',') : '[object Object]';
  }
  return String(v);
}

function truthy(v: JsonValue | undefined): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '' || Number.isNaN(v));
}

/** The top-level props an expression reads: an override must set all of them to re-evaluate it. */
export function exprProps(expr: Expr, into: Set<string> = new Set()): Set<string> {
  switch (expr.kind) {
    case 'literal':
      break;
    case 'prop':
      into.add(expr.path[0] as string);
      break;
    case 'template':
      for (const e of expr.exprs) exprProps(e, into);
      break;
    case 'cond':
      exprProps(expr.test, into);
      exprProps(expr.then, into);
      exprProps(expr.else, into);
      break;
  }
  return into;
}
