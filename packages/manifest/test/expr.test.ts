/**
 * The expression IR against JavaScript itself: every generated expression is also written as
 * JavaScript source and run on the same props (ordinary objects, as React's props are), while
 * `evaluateExpr` runs on null-prototype copies (as the edge's override props are). Where
 * JavaScript throws, the evaluator must throw too (React's render would fail); where it gives a
 * value, the evaluator gives the same value or refuses (throws) for a documented reason. The
 * class joins are checked against the real `clsx` and `classnames`.
 */
import fc from 'fast-check';
import clsx from 'clsx';
import classnames from 'classnames';
import { HostMissingError, evaluateExpr, exprHosts, exprProps, validateManifest } from '@splice/manifest';
import type { CallName, Expr, JsonValue } from '@splice/manifest';

const PROPS = ['a', 'b', 'c'];

/** JSON values with the awkward ones: hostile strings, numeric strings, -0, NaN, large numbers, nesting, own `toString` keys. */
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<JsonValue>('', ' x ', 'Abc', '12', '-3.5', '0', '<b>&"\'</b>', 'toString', 'length', 'constructor', '__proto__', 'a b', 'ß', 'İ', '\u00a0pad\u00a0'),
    fc.string({ maxLength: 6 }),
    fc.constantFrom<JsonValue>(0, -0, 1, -1, 2.5, -7.25, 1e21, 123456789.125, Number.NaN, Number.MAX_SAFE_INTEGER, 3),
    fc.integer({ min: -20, max: 20 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('x', 'y', 'name', '0', '10', 'toString', 'length', 'btn', 'is-on'), tie('v'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).v;

const CALLS: CallName[] = ['String', 'Number', 'toUpperCase', 'toLowerCase', 'trim', 'slice', 'join', 'toFixed', 'Math.round', 'Math.floor', 'Math.ceil', 'Math.min', 'Math.max', 'Math.abs'];

const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('prop' as const), path: fc.tuple(fc.constantFrom(...PROPS), fc.array(fc.constantFrom('x', 'name', 'length', '0'), { maxLength: 2 })).map(([top, rest]) => [top, ...rest]) }),
    fc.tuple(fc.constantFrom(...PROPS), fc.constantFrom('x', 'name'), fc.constantFrom('x', 'length')).map(([a, b, c]): Expr => ({ kind: 'prop', path: [a, b, c], defaults: [1] })),
    fc.record({ kind: fc.constant('literal' as const), value: json }),
    fc.constant({ kind: 'undefined' as const }),
    fc.array(tie('e'), { maxLength: 3 }).chain((exprs) => fc.array(fc.constantFrom('', ' ', 'btn-', '`', '${x}', '\\'), { minLength: exprs.length + 1, maxLength: exprs.length + 1 }).map((quasis) => ({ kind: 'template' as const, quasis, exprs }))),
    fc.record({ kind: fc.constant('cond' as const), test: tie('e'), then: tie('e'), else: tie('e') }),
    fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom('!' as const, '-' as const, '+' as const), arg: tie('e') }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom('===' as const, '!==' as const, '==' as const, '!=' as const, '<' as const, '>' as const, '<=' as const, '>=' as const, '+' as const, '-' as const, '*' as const, '/' as const, '%' as const), left: tie('e'), right: tie('e') }),
    fc.record({ kind: fc.constant('logical' as const), op: fc.constantFrom('&&' as const, '||' as const, '??' as const), left: tie('e'), right: tie('e') }),
    fc.record({ kind: fc.constant('member' as const), object: tie('e'), key: tie('e') }),
    fc.record({ kind: fc.constant('call' as const), fn: fc.constantFrom(...CALLS), args: fc.array(tie('e'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('classes' as const), args: fc.array(tie('e'), { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('object' as const), entries: fc.uniqueArray(fc.tuple(fc.constantFrom('x', 'btn', 'is-on', '0', '7', 'name', 'toString'), tie('e')), { maxLength: 3, selector: ([k]) => k }) }),
    fc.record({ kind: fc.constant('array' as const), items: fc.array(tie('e'), { maxLength: 3 }) }),
  ),
})).e;

/** The expression as JavaScript source, reading props from `p` and joining classes with `join`. */
function source(e: Expr): string {
  const s = source;
  switch (e.kind) {
    case 'prop': {
      // As destructuring reads it: a `= {}` default stands for an undefined object.
      let out = `p[${JSON.stringify(e.path[0])}]`;
      for (let i = 1; i < e.path.length; i++) {
        if (e.defaults?.includes(i - 1)) out = `((v) => v === undefined ? {} : v)(${out})`;
        out = `(${out})[${JSON.stringify(e.path[i])}]`;
      }
      return out;
    }
    case 'literal': return literal(e.value);
    case 'undefined': return 'undefined';
    case 'template': return `\`${e.quasis.map((q, i) => q.replace(/[`\\$]/g, (c) => `\\${c}`) + (i < e.exprs.length ? `\${${s(e.exprs[i]!)}}` : '')).join('')}\``;
    case 'cond': return `(${s(e.test)} ? ${s(e.then)} : ${s(e.else)})`;
    case 'unary': return `(${e.op} ${s(e.arg)})`;
    case 'binary': case 'logical': return `(${s(e.left)} ${e.op} ${s(e.right)})`;
    case 'member': return `(${s(e.object)})[${s(e.key)}]`;
    case 'call': {
      const [receiver, ...rest] = e.args.map(s);
      if (e.fn === 'String' || e.fn === 'Number' || e.fn.startsWith('Math.')) return `${e.fn}(${e.args.map(s).join(', ')})`;
      return `(${receiver}).${e.fn}(${rest.join(', ')})`;
    }
    case 'classes': return `join(${e.args.map(s).join(', ')})`;
    // Not generated here: its function is the edge module's (tested below).
    case 'host': case 'style': throw new Error(`${e.kind} expressions are not generated`);
    case 'object': return `({${e.entries.map(([k, v]) => `${JSON.stringify(k)}: ${s(v)}`).join(', ')}})`;
    case 'array': return `[${e.items.map(s).join(', ')}]`;
  }
}

/** A JSON value as JavaScript source, NaN and -0 kept (JSON.stringify would write null and 0). */
function literal(v: JsonValue): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v);
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `({${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${literal(x)}`).join(', ')}})`;
  return JSON.stringify(v);
}

/** What the edge evaluates on: null-prototype records all the way down. */
function nullPrototype(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(nullPrototype);
  if (v === null || typeof v !== 'object') return v;
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const [k, x] of Object.entries(v)) out[k] = nullPrototype(x);
  return out;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };
const attempt = (f: () => unknown): Outcome => { try { return { ok: true, value: f() }; } catch (error) { return { ok: false, error: String(error) }; } };

/** Plain data for comparison: null-prototype records and ordinary ones alike. */
const plain = (v: unknown): unknown => (v !== null && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v);

function compare(e: Expr, props: Record<string, JsonValue | undefined>, join: (...args: unknown[]) => string): 'same' | 'throws' | 'refused' {
  // eslint-disable-next-line no-new-func -- the oracle is JavaScript itself (tests only; never in the edge)
  const js = attempt(() => new Function('p', 'join', `return ${source(e)};`)(props, join));
  const ir = attempt(() => evaluateExpr(e, nullPrototype(props as JsonValue) as Record<string, JsonValue>));
  if (!js.ok) {
    // The component's render would throw: the edge must not produce a value.
    expect({ source: source(e), ir }).toEqual({ source: source(e), ir: { ok: false, error: expect.any(String) } });
    return 'throws';
  }
  if (!ir.ok) {
    // A refusal is allowed only for what JSON cannot show, each for its stated reason.
    expect(ir.error).toMatch(/compared by identity|inherited property|own toString|toFixed on|not a string|not an array|neither a string|of null or undefined|an empty key/);
    return 'refused';
  }
  const expected = js.value;
  if (typeof expected === 'number') expect(Object.is(ir.value, expected) || (Number.isNaN(expected) && Number.isNaN(ir.value))).toBe(true);
  else expect({ source: source(e), value: plain(ir.value) }).toEqual({ source: source(e), value: plain(expected) });
  return 'same';
}

const propsArb = fc.record(Object.fromEntries(PROPS.map((p) => [p, json])) as Record<string, fc.Arbitrary<JsonValue>>, { requiredKeys: [], noNullPrototype: true });

describe('evaluateExpr equals JavaScript', () => {
  it('on generated expressions and props (hostile strings, -0, NaN, large numbers, nesting)', () => {
    const outcomes = { same: 0, throws: 0, refused: 0 };
    fc.assert(fc.property(expr, propsArb, (e, props) => {
      outcomes[compare(e, props, clsx as (...args: unknown[]) => string)]++;
    }), { numRuns: 4000 });
    // Values must be the common outcome, and refusals (JavaScript gives a value, the IR does not) rarer still.
    expect(outcomes.same).toBeGreaterThan(outcomes.throws);
    expect(outcomes.same).toBeGreaterThan(outcomes.refused * 3);
  });

  it('joins classes as clsx and classnames do', () => {
    const classArgs = fc.array(fc.oneof(json, fc.record({ kind: fc.constant('prop' as const), path: fc.constantFrom(['a'], ['b']) }).map((x) => x as unknown as JsonValue)), { maxLength: 5 });
    fc.assert(fc.property(classArgs, propsArb, (args, props) => {
      const e: Expr = { kind: 'classes', args: args.map((a) => (a !== null && typeof a === 'object' && !Array.isArray(a) && (a as { kind?: unknown }).kind === 'prop' ? a as unknown as Expr : { kind: 'literal', value: a })) };
      compare(e, props, clsx as (...args: unknown[]) => string);
      compare(e, props, classnames as (...args: unknown[]) => string);
    }), { numRuns: 3000 });
  });

  // clsx writes a truthy empty key as an empty class after a space ('a ', 'a  b'); classnames
  // skips it ('a', 'a b'). One `classes` kind stands for both: such an object must not be joined.
  it('joins an object with an empty key as clsx and classnames do', () => {
    const objects: JsonValue[] = [{ a: true, '': true }, { a: 1, '': 1, b: 1 }, ['x', { a: true, '': 'yes' }], { '': true, a: true }, { '': true }];
    for (const value of objects) {
      const e: Expr = { kind: 'classes', args: [{ kind: 'literal', value: 'btn' }, { kind: 'prop', path: ['a'] }] };
      compare(e, { a: value }, clsx as (...args: unknown[]) => string);
      compare(e, { a: value }, classnames as (...args: unknown[]) => string);
    }
  });

  it('reads the props an expression depends on', () => {
    const e: Expr = { kind: 'classes', args: [{ kind: 'literal', value: 'btn' }, { kind: 'logical', op: '&&', left: { kind: 'binary', op: '===', left: { kind: 'prop', path: ['variant'] }, right: { kind: 'literal', value: 'primary' } }, right: { kind: 'literal', value: 'btn-primary' } }, { kind: 'member', object: { kind: 'literal', value: { sm: 'text-sm' } }, key: { kind: 'prop', path: ['size', 'name'] } }] };
    expect([...exprProps(e)]).toEqual(['variant', 'size']);
    expect(evaluateExpr(e, { variant: 'primary', size: { name: 'sm' } })).toBe('btn btn-primary text-sm');
  });

  it('validates the new kinds in a manifest, and refuses unknown operators, functions and deep nesting', () => {
    const manifest = (hole: unknown) => ({ schemaVersion: 4, buildId: 'b', components: { 'C.k': { name: 'C', file: 'c.tsx', line: 1, props: { a: { tier: 'value' } }, elements: [{ tag: 'p', attrs: [{ name: 'class', hole }] }] } } });
    const ok: Expr = { kind: 'call', fn: 'toUpperCase', args: [{ kind: 'prop', path: ['a'] }] };
    expect(() => validateManifest(manifest(ok))).not.toThrow();
    expect(() => validateManifest(manifest({ kind: 'call', fn: 'eval', args: [] }))).toThrow(/unknown function "eval"/);
    expect(() => validateManifest(manifest({ kind: 'binary', op: 'in', left: ok, right: ok }))).toThrow(/unknown binary operator "in"/);
    let deep: Expr = { kind: 'prop', path: ['a'] };
    for (let i = 0; i < 100; i++) deep = { kind: 'unary', op: '!', arg: deep };
    expect(() => validateManifest(manifest(deep))).toThrow(/nested more than 64 deep/);
  });
});

describe('host expressions: functions the edge module hands over', () => {
  const hole: Expr = { kind: 'host', fn: 'twMerge', args: [{ kind: 'classes', args: [{ kind: 'literal', value: 'px-2' }, { kind: 'prop', path: ['className'] }] }] };
  const twMerge = (...args: unknown[]) => `merged(${args.join('|')})`;

  it('calls the function with the evaluated arguments, and reads the props of its arguments', () => {
    expect(evaluateExpr(hole, { className: 'px-4' }, { twMerge })).toBe('merged(px-2 px-4)');
    expect([...exprProps(hole)]).toEqual(['className']);
    expect([...exprHosts({ kind: 'cond', test: { kind: 'prop', path: ['a'] }, then: hole, else: { kind: 'host', fn: 'src/ui.ts#cn', args: [] } })]).toEqual(['twMerge', 'src/ui.ts#cn']);
  });

  it('throws where the function was not handed over, or returns something else than a string', () => {
    expect(() => evaluateExpr(hole, { className: 'x' })).toThrow(HostMissingError);
    expect(() => evaluateExpr(hole, { className: 'x' }, { twMerge: () => 7 })).toThrow(/returned number/);
  });

  it('validates host names: twMerge, or path#identifier', () => {
    const manifest = (fn: unknown) => ({ schemaVersion: 4, buildId: 'b', components: { 'C.k': { name: 'C', file: 'c.tsx', line: 1, props: { a: { tier: 'value' } }, elements: [{ tag: 'p', attrs: [{ name: 'class', hole: { kind: 'host', fn, args: [] } }] }] } } });
    for (const ok of ['twMerge', 'src/lib/utils.ts#cn', 'ui.js#default']) expect(() => validateManifest(manifest(ok))).not.toThrow();
    for (const bad of ['eval', 'a#1x', 'a b#cn', '#cn', 'a#', 7]) expect(() => validateManifest(manifest(bad))).toThrow(/unknown package function/);
  });
});
