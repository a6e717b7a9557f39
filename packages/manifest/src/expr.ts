import type { BinaryOp, CallName, ComponentEntry, Expr, HostFunctions, HostName, JsonValue } from './types';
import { styleOf } from './style';

/** What an expression can produce: JSON, or `undefined` where JavaScript gives it (a missing prop). */
type Value = JsonValue | undefined;

/**
 * Evaluates a hole for the given props. Pure, no `eval`: the edge runs it in Workers, which
 * forbid code generation. Written by hand (it is the product's core): each case applies
 * JavaScript's own operator to values converted the way JavaScript converts them, so the result
 * is the one the component computes in React. Where JavaScript's answer depends on what JSON
 * cannot carry (object identity, an inherited method, an own `toString` key) it throws, and the
 * edge refuses the override instead of guessing. The edge's copies of override props are
 * null-prototype records, so nothing here relies on a value's prototype.
 */
export function evaluateExpr(expr: Expr, props: Readonly<Record<string, Value>>, hosts?: HostFunctions): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'undefined':
      return undefined;
    case 'prop': {
      // Later steps read as `a.b` does (a string's `length`, an array's index). A null or
      // undefined object on the way throws, as the component's render does, unless a `= {}`
      // pattern default stands for an undefined one.
      let value: Value = own(props, expr.path[0] as string);
      for (let i = 1; i < expr.path.length; i++) {
        if (value === undefined && expr.defaults?.includes(i - 1) === true) value = {};
        if (value === null || value === undefined) throw new TypeError('reading a property of null or undefined');
        value = member(value, expr.path[i]);
      }
      return value;
    }
    case 'template': {
      let out = expr.quasis[0] ?? '';
      for (let i = 0; i < expr.exprs.length; i++) out += toString(evaluateExpr(expr.exprs[i] as Expr, props, hosts)) + (expr.quasis[i + 1] ?? '');
      return out;
    }
    case 'cond':
      return truthy(evaluateExpr(expr.test, props, hosts)) ? evaluateExpr(expr.then, props, hosts) : evaluateExpr(expr.else, props, hosts);
    case 'unary': {
      const v = evaluateExpr(expr.arg, props, hosts);
      if (expr.op === '!') return !truthy(v);
      return expr.op === '-' ? -toNumber(v) : toNumber(v);
    }
    case 'logical': {
      const left = evaluateExpr(expr.left, props, hosts);
      if (expr.op === '&&') return truthy(left) ? evaluateExpr(expr.right, props, hosts) : left;
      if (expr.op === '||') return truthy(left) ? left : evaluateExpr(expr.right, props, hosts);
      return left === null || left === undefined ? evaluateExpr(expr.right, props, hosts) : left;
    }
    case 'binary':
      return binary(expr.op, evaluateExpr(expr.left, props, hosts), evaluateExpr(expr.right, props, hosts));
    case 'member':
      return member(evaluateExpr(expr.object, props, hosts), evaluateExpr(expr.key, props, hosts));
    case 'call':
      return call(expr.fn, expr.args.map((a) => evaluateExpr(a, props, hosts)));
    case 'classes':
      return classes(expr.args.map((a) => evaluateExpr(a, props, hosts)));
    case 'host': {
      // The package's own function (see `Expr` kind `host`); without it the hole cannot be computed.
      const fn = hosts?.[expr.fn];
      if (typeof fn !== 'function') throw new HostMissingError(expr.fn);
      const result = fn(...expr.args.map((a) => evaluateExpr(a, props, hosts)));
      if (typeof result !== 'string') throw new TypeError(`${expr.fn} returned ${typeof result}, not a string`);
      return result;
    }
    case 'style':
      return styleOf(expr.entries.map(([name, value]) => [name, evaluateExpr(value, props, hosts)]), (v) => toString(v as Value));
    case 'object': {
      // A null-prototype record, like the edge's props: `__proto__` is refused by the validator.
      const out = Object.create(null) as Record<string, JsonValue>;
      // `undefined` is kept where JavaScript keeps it (an own key, an array item), though JSON cannot hold it.
      for (const [key, value] of expr.entries) out[key] = evaluateExpr(value, props, hosts) as JsonValue;
      return out;
    }
    case 'array':
      return expr.items.map((item) => evaluateExpr(item, props, hosts) as JsonValue);
  }
}

function own(record: Readonly<Record<string, Value>>, key: string): Value {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** JavaScript's truthiness. */
export function truthy(v: Value): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '' || Number.isNaN(v));
}

/** JavaScript's ToPrimitive of a JSON value: an array is its `join()`, an object `[object Object]`. */
function toPrimitive(v: Value): string | number | boolean | null | undefined {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => (x === null || x === undefined ? '' : toString(x))).join(',');
  // An own `toString` or `valueOf` key shadows the method JavaScript would call: React's render
  // throws or prints something else; refuse.
  if (Object.prototype.hasOwnProperty.call(v, 'toString') || Object.prototype.hasOwnProperty.call(v, 'valueOf')) {
    throw new TypeError('an object with its own toString or valueOf key');
  }
  return '[object Object]';
}

/** JavaScript's `String(v)`. */
export function toString(v: Value): string {
  return String(toPrimitive(v));
}

/** JavaScript's `Number(v)`. */
function toNumber(v: Value): number {
  return Number(toPrimitive(v));
}

function isObject(v: Value): boolean {
  return v !== null && typeof v === 'object';
}

function binary(op: BinaryOp, l: Value, r: Value): Value {
  switch (op) {
    case '===': case '!==': case '==': case '!=': {
      // Two objects are equal by identity, which JSON copies do not keep.
      if (isObject(l) || isObject(r)) throw new TypeError('an object compared by identity');
      const a = l as string | number | boolean | null | undefined;
      const b = r as typeof a;
      // eslint-disable-next-line eqeqeq
      return op === '===' ? a === b : op === '!==' ? a !== b : op === '==' ? a == b : a != b;
    }
    case '<': case '>': case '<=': case '>=': case '+': {
      const a = toPrimitive(l) as string;
      const b = toPrimitive(r) as string;
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : op === '>=' ? a >= b : a + b;
    }
    case '-': return toNumber(l) - toNumber(r);
    case '*': return toNumber(l) * toNumber(r);
    case '/': return toNumber(l) / toNumber(r);
    case '%': return toNumber(l) % toNumber(r);
  }
}

/** Names an inherited property would answer to (a method): JavaScript returns it, JSON has no such value. */
function inherited(v: string | number | boolean | object, key: string): boolean {
  const proto = typeof v === 'string' ? String.prototype : typeof v === 'number' ? Number.prototype : typeof v === 'boolean' ? Boolean.prototype : Array.isArray(v) ? Array.prototype : Object.prototype;
  return key in proto;
}

/** `object[key]` as JavaScript reads it, for JSON values. */
function member(object: Value, key: Value): Value {
  if (object === null || object === undefined) throw new TypeError('reading a property of null or undefined');
  const name = toString(key);
  if (typeof object === 'string') {
    if (name === 'length') return object.length;
    // A canonical index: `s[0]`, `s["0"]`; `s["00"]` reads nothing.
    const index = Number(name);
    if (Number.isInteger(index) && index >= 0 && String(index) === name) return index < object.length ? object[index] : undefined;
  } else if (Array.isArray(object)) {
    if (name === 'length') return object.length;
    const index = Number(name);
    if (Number.isInteger(index) && index >= 0 && String(index) === name) return index < object.length ? object[index] : undefined;
  } else if (typeof object === 'object' && Object.prototype.hasOwnProperty.call(object, name)) {
    return (object as Record<string, JsonValue>)[name];
  }
  if (inherited(object, name)) throw new TypeError(`"${name}" reads an inherited property`);
  return undefined;
}

function call(fn: CallName, args: Value[]): Value {
  const [receiver, ...rest] = args;
  switch (fn) {
    case 'String': return args.length === 0 ? '' : toString(receiver);
    case 'Number': return args.length === 0 ? 0 : toNumber(receiver);
    case 'Math.round': return Math.round(toNumber(receiver));
    case 'Math.floor': return Math.floor(toNumber(receiver));
    case 'Math.ceil': return Math.ceil(toNumber(receiver));
    case 'Math.abs': return Math.abs(toNumber(receiver));
    case 'Math.min': return Math.min(...args.map(toNumber));
    case 'Math.max': return Math.max(...args.map(toNumber));
    case 'toUpperCase': return stringReceiver(receiver, fn).toUpperCase();
    case 'toLowerCase': return stringReceiver(receiver, fn).toLowerCase();
    case 'trim': return stringReceiver(receiver, fn).trim();
    case 'toFixed':
      if (typeof receiver !== 'number') throw new TypeError('toFixed on a value that is not a number');
      // Out of range digits throw a RangeError, as in the component.
      return receiver.toFixed(rest.length === 0 ? undefined : toNumber(rest[0]));
    case 'slice': {
      const start = rest.length > 0 ? toNumber(rest[0]) : undefined;
      const end = rest.length > 1 && rest[1] !== undefined ? toNumber(rest[1]) : undefined;
      if (typeof receiver === 'string' || Array.isArray(receiver)) return receiver.slice(start, end);
      throw new TypeError('slice on a value that is neither a string nor an array');
    }
    case 'join': {
      if (!Array.isArray(receiver)) throw new TypeError('join on a value that is not an array');
      const separator = rest.length === 0 || rest[0] === undefined ? ',' : toString(rest[0]);
      return receiver.map((x) => (x === null || x === undefined ? '' : toString(x))).join(separator);
    }
  }
}

function stringReceiver(v: Value, fn: string): string {
  if (typeof v !== 'string') throw new TypeError(`${fn} on a value that is not a string`);
  return v;
}

/**
 * `clsx(...args)`, which `classnames` equals on JSON values: truthy strings and numbers as they
 * are, arrays flattened, objects' keys whose values are truthy, joined by single spaces.
 * (An object with its own `toString` key, or a truthy empty key, is where the two libraries
 * part: refused.)
 */
function classes(args: Value[]): string {
  let out = '';
  for (const arg of args) {
    if (!truthy(arg)) continue;
    const part = classValue(arg);
    if (part !== '') out = out === '' ? part : `${out} ${part}`;
  }
  return out;
}

function classValue(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return '' + v;
  if (Array.isArray(v)) return classes(v);
  if (v !== null && typeof v === 'object') {
    if (Object.prototype.hasOwnProperty.call(v, 'toString')) throw new TypeError('a class object with its own toString key');
    let out = '';
    for (const key of Object.keys(v)) {
      if (!truthy((v as Record<string, JsonValue>)[key])) continue;
      // clsx writes an empty key as an empty class after a space (`a `), classnames skips it (`a`):
      // the one `classes` kind stands for both, so neither is guessed.
      if (key === '') throw new TypeError('a class object with an empty key, which clsx and classnames join differently');
      out = out === '' ? key : `${out} ${key}`;
    }
    return out;
  }
  return '';
}

/** The expressions an expression is made of, one level down. */
export function exprChildren(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'literal': case 'undefined': case 'prop': return [];
    case 'template': return expr.exprs;
    case 'cond': return [expr.test, expr.then, expr.else];
    case 'unary': return [expr.arg];
    case 'binary': case 'logical': return [expr.left, expr.right];
    case 'member': return [expr.object, expr.key];
    case 'call': case 'classes': case 'host': return expr.args;
    case 'object': case 'style': return expr.entries.map(([, e]) => e);
    case 'array': return expr.items;
  }
}

/** The top-level props an expression reads: an override must set all of them to re-evaluate it. */
export function exprProps(expr: Expr, into: Set<string> = new Set()): Set<string> {
  if (expr.kind === 'prop') into.add(expr.path[0] as string);
  for (const child of exprChildren(expr)) exprProps(child, into);
  return into;
}

/** The package functions an expression calls (`host`), which the edge must have to compute it. */
export function exprHosts(expr: Expr, into: Set<HostName> = new Set()): Set<HostName> {
  if (expr.kind === 'host') into.add(expr.fn);
  for (const child of exprChildren(expr)) exprHosts(child, into);
  return into;
}

/** The holes of a component: every attribute hole and text hole of its marked elements, in order. */
export function entryHoles(entry: ComponentEntry): Expr[] {
  const out: Expr[] = [];
  for (const element of entry.elements) {
    for (const attr of element.attrs) if (attr.hole !== undefined) out.push(attr.hole);
    for (const item of element.text ?? []) if (item.kind === 'hole') out.push(item.expr);
  }
  return out;
}

/** A `host` expression evaluated where the edge module's package functions were not handed over. */
export class HostMissingError extends Error {
  constructor(readonly host: HostName) {
    super(`the edge has no ${host} (it comes with the edge module's renderer)`);
  }
}
