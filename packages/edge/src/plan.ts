import {
  HostMissingError, attributeOf, entryHoles, evaluateExpr, exprHosts, exprProps, overrideNames, textOf, unsafeAttributeValue, validateOverrides,
} from '@splice/manifest';
import type { ComponentEntry, Expr, HostFunctions, HostName, JsonValue, Override, SpliceManifest } from '@splice/manifest';
import type { OverridePlan, PlannedOverride, PlanResult, ResolvedOverride, SkippedOverride } from './types';
import { LONE_SURROGATE, defineOwn, hasOwn, nullRecord, safeMessage } from './util';

/**
 * Decides, before the first byte streams, which overrides the edge will apply and why the
 * others are skipped, so the handler can put the outcome in response headers. Pure.
 *
 * An override is applied whole or skipped whole: applying half of one would leave the page in
 * a state that neither the default nor the variant renders, and the client could not hydrate it.
 */
export function planOverrides(manifest: SpliceManifest, overrides: unknown, options: PlanOptions = {}): PlanResult {
  const applied: ResolvedOverride[] = [];
  const skipped: SkippedOverride[] = [];
  const byKey = new Map<string, PlannedOverride[]>();

  const { items, originals, unreadable, beyond } = readOverrides(overrides);
  const notAnArray = unreadable.get(-1);
  if (items === null || notAnArray !== undefined) return { plan: { byKey }, applied, skipped: [{ index: -1, override: overrides, reason: notAnArray ?? '' }] };
  // One entry for all of them: a million overrides must not cost a million skip records.
  if (beyond > 0) skipped.push({ index: MAX_OVERRIDES, override: undefined, reason: `${beyond} override(s) after the first ${MAX_OVERRIDES} ignored: at most ${MAX_OVERRIDES} per request` });
  let checked: ReturnType<typeof validateOverrides>;
  try {
    checked = validateOverrides(items);
  } catch (error) {
    // A revoked proxy as `props` throws even in Array.isArray.
    const reason = `overrides cannot be read: ${safeMessage(error)}`;
    return { plan: { byKey }, applied, skipped: originals.map((override, index) => ({ index, override, reason })) };
  }
  const { overrides: wellFormed, rejected } = checked;
  // validateOverrides drops rejected items, so map the survivors back to their array index.
  const rejectedAt = new Set<number>();
  for (const r of rejected) {
    rejectedAt.add(r.index);
    skipped.push({ index: r.index, override: originals[r.index], reason: unreadable.get(r.index) ?? r.reason });
  }
  let next = 0;
  let requestBytes = 0;
  for (const override of wellFormed) {
    while (rejectedAt.has(next)) next++;
    const index = next++;
    let outcome: PlannedOverride | { reason: string };
    try {
      outcome = planOne(manifest, override, index, options);
    } catch (error) {
      // Only a hostile object (a throwing getter, a proxy) gets here: JSON cannot.
      outcome = { reason: `override cannot be read: ${safeMessage(error)}` };
    }
    if (!('reason' in outcome)) {
      // What the request may add to the page: its props go into the bootstrap, escaped.
      const weight = scriptWeight(outcome.props);
      if (requestBytes + weight > MAX_REQUEST_PROP_BYTES) outcome = { reason: `the overrides of this request would add more than ${MAX_REQUEST_PROP_BYTES / 1024} KB to the page` };
      else requestBytes += weight;
    }
    if ('reason' in outcome) {
      skipped.push({ index, override, reason: outcome.reason });
    } else {
      // The client gets the props exactly as they were checked and applied: the plain copy.
      const checked: Override = { component: override.component, props: outcome.props as Record<string, JsonValue> };
      if (override.instance !== undefined) checked.instance = override.instance;
      applied.push({ index, key: outcome.key, override: checked });
      let list = byKey.get(outcome.key);
      if (list === undefined) byKey.set(outcome.key, (list = []));
      list.push(outcome);
    }
  }
  skipped.sort((a, b) => a.index - b.index);
  const plan: OverridePlan = { byKey };
  return { plan, applied, skipped };
}

/** The package functions a renderer hands over, where it is one (as the patcher uses them: `regionSetup`). */
export function hostsOf(renderer: unknown): HostFunctions | undefined {
  try {
    if (renderer === undefined || renderer === null || typeof (renderer as { render?: unknown }).render !== 'function') return undefined;
    const hosts = (renderer as { hosts?: unknown }).hosts;
    return typeof hosts === 'object' && hosts !== null ? hosts as HostFunctions : undefined;
  } catch {
    // A renderer is app code (a Proxy, a getter): one that throws when read hands over nothing,
    // and the page still leaves (its re-renders fail on their own, the region stays as cached).
    return undefined;
  }
}

export interface PlanOptions {
  /** A renderer is at hand: structural props can be applied. */
  renderer?: boolean;
  /** The package functions value holes may call (`SpliceRenderer.hosts`). */
  hosts?: HostFunctions;
}

function planOne(manifest: SpliceManifest, override: Override, index: number, options: PlanOptions): PlannedOverride | { reason: string } {
  const resolved = resolveComponent(manifest, override.component);
  if ('reason' in resolved) return resolved;
  const { key, entry } = resolved;

  const props = nullRecord<JsonValue>();
  const names = new Set<string>();
  let structural = false;
  const budget: CopyBudget = { values: MAX_PROP_VALUES, chars: MAX_PROP_CHARS };
  for (const name of Object.keys(override.props)) {
    if (!hasOwn(entry.props, name)) return { reason: `${entry.name} has no prop ${JSON.stringify(name)}` };
    const prop = entry.props[name];
    if (prop === undefined || (prop.tier !== 'value' && prop.tier !== 'structural')) {
      const why = [prop?.code, prop?.reason].filter((s) => typeof s === 'string' && s !== '').join(': ');
      return { reason: `prop ${JSON.stringify(name)} of ${entry.name} is not patchable${why === '' ? '' : ` (${why})`}` };
    }
    if (prop.tier === 'structural') {
      if (entry.render === undefined) return { reason: `prop ${JSON.stringify(name)} of ${entry.name} is structural but the manifest has no render entry` };
      if (!options.renderer) {
        return { reason: `prop ${JSON.stringify(name)} of ${entry.name} needs a re-render (${prop.code ?? 'structural'}); pass the edge module's renderer` };
      }
      structural = true;
    }
    const value: unknown = (override.props as Record<string, unknown>)[name];
    // The same props go to the client in JSON: a value JSON cannot carry (undefined, NaN, a
    // function, a Date) would render one thing here and another after hydration. The copy is
    // what both the edge and the bootstrap use, so a getter cannot answer them differently.
    const copy = jsonCopy(value, 0, budget);
    if ('problem' in copy) return { reason: `prop ${JSON.stringify(name)}: ${copy.problem}` };
    props[name] = copy.value; // a null-prototype record: even `__proto__` is a plain key here
    names.add(name);
  }

  // A value hole the override reaches but cannot compute alone (it also reads props the override
  // leaves as they were, `'$' + (price * (1 - discount / 100)).toFixed(2)` given `price` only):
  // the instance is re-rendered with the props its marker recorded, where the component can be.
  if (!structural && entry.render !== undefined && options.renderer && needsOtherInputs(entry, names)) structural = true;
  // One that calls a package function the edge was not handed (see `Expr` kind `host`): the same.
  if (!structural && entry.render !== undefined && options.renderer && needsMissingHost(entry, names, options.hosts)) structural = true;

  // Every hole this override touches must be computable from this override alone, and must come
  // out as something React would write. Later overrides that touch the same hole then replace
  // all of its inputs, so the value a hole gets at patch time is one checked here. An override
  // with a structural prop re-renders every instance it reaches: React writes its values.
  // A hole whose expression throws for these props (JavaScript semantics JSON values cannot
  // show: an object turned into a string, a package function's own error) is what React computes
  // anyway in a re-render, where the component can be re-rendered. A value that evaluates but is
  // refused (an unsafe URL, an object as text) is refused whatever the path.
  const rerenderable = entry.render !== undefined && options.renderer === true;
  holes: for (const element of structural ? [] : entry.elements) {
    for (const attr of element.attrs) {
      if (attr.hole === undefined) continue;
      const problem = checkHole(attr.hole, names, props, options.hosts, (v) => {
        const rendered = attributeOf(v, attr.name);
        if (rendered === undefined) return 'must be a string, a number or null';
        return typeof rendered === 'string' ? unsafeAttributeValue(attr.name, rendered) : undefined;
      });
      if (problem === NOT_EVALUATED && rerenderable) { structural = true; break holes; }
      if (problem !== undefined) return { reason: `<${element.tag}> attribute ${JSON.stringify(attr.name)} ${problem}` };
    }
    for (const item of element.text ?? []) {
      if (item.kind !== 'hole') continue;
      const problem = checkHole(item.expr, names, props, options.hosts, (v) => (textOf(v) === undefined ? 'must be a string, a number, a boolean or null' : undefined));
      if (problem === NOT_EVALUATED && rerenderable) { structural = true; break holes; }
      if (problem !== undefined) return { reason: `<${element.tag}> text ${problem}` };
    }
  }
  const planned: PlannedOverride = { index, key, props, names, structural };
  if (override.instance !== undefined) planned.instance = override.instance;
  return planned;
}

/** Some hole the override reaches calls a package function that `hosts` lacks. */
function needsMissingHost(entry: ComponentEntry, names: ReadonlySet<string>, hosts: HostFunctions | undefined): boolean {
  return holesOf(entry).some((expr) => {
    if (!readsSome(expr, names, true)) return false;
    for (const h of hostsCalled(expr)) if (typeof hosts?.[h] !== 'function') return true;
    return false;
  });
}

/** Some hole reads a prop in `names` and one outside it. */
function needsOtherInputs(entry: ComponentEntry, names: ReadonlySet<string>): boolean {
  return holesOf(entry).some((expr) => readsSome(expr, names, true) && readsSome(expr, names, false));
}

/** The expression reads a prop in `names` (`inside`), or one not in it. */
function readsSome(expr: Expr, names: ReadonlySet<string>, inside: boolean): boolean {
  for (const p of readsOf(expr)) if (names.has(p) === inside) return true;
  return false;
}

function checkHole(
  expr: Expr,
  names: ReadonlySet<string>,
  props: Readonly<Record<string, JsonValue>>,
  hosts: HostFunctions | undefined,
  accept: (value: JsonValue | undefined) => string | undefined,
): string | undefined {
  const reads = readsOf(expr);
  let touched = false;
  for (const p of reads) if (names.has(p)) touched = true;
  if (!touched) return undefined;
  for (const p of reads) if (!names.has(p)) return `also reads ${JSON.stringify(p)}: set it in the same override`;
  let value: JsonValue | undefined;
  try {
    value = evaluateExpr(expr, props, hosts);
  } catch (error) {
    return error instanceof HostMissingError ? `needs ${error.host} from the edge module: pass its renderer` : NOT_EVALUATED;
  }
  const refused = accept(value);
  return refused === undefined ? undefined : `value ${refused}`;
}

const NOT_EVALUATED = 'cannot be evaluated for these props';

// Per object of a manifest, which every request plans against: computed once.
const reads = new WeakMap<Expr, Set<string>>();
const hostCalls = new WeakMap<Expr, Set<HostName>>();
const holes = new WeakMap<ComponentEntry, Expr[]>();

/** The props an expression reads. */
function readsOf(expr: Expr): Set<string> {
  let set = reads.get(expr);
  if (set === undefined) reads.set(expr, (set = exprProps(expr)));
  return set;
}

/** The package functions an expression calls. */
function hostsCalled(expr: Expr): Set<HostName> {
  let set = hostCalls.get(expr);
  if (set === undefined) hostCalls.set(expr, (set = exprHosts(expr)));
  return set;
}

/** A component's holes. */
function holesOf(entry: ComponentEntry): Expr[] {
  let list = holes.get(entry);
  if (list === undefined) holes.set(entry, (list = entryHoles(entry)));
  return list;
}

type Resolved = { key: string; entry: ComponentEntry } | { reason: string };

/** Component keys by every spelling an override may use (`Name`, `path#Name`), per manifest. */
const spellings = new WeakMap<SpliceManifest, Map<string, string[]>>();
function keysSpelled(manifest: SpliceManifest, component: string): string[] {
  let index = spellings.get(manifest);
  if (index === undefined) {
    index = new Map();
    for (const key of Object.keys(manifest.components)) {
      const entry = manifest.components[key] as ComponentEntry;
      for (const spelling of new Set([entry.name, `${entry.file}#${entry.name}`])) {
        // Kept only if `overrideNames` agrees, so the index cannot drift from the contract.
        if (!overrideNames(spelling, { key, name: entry.name, file: entry.file })) continue;
        let list = index.get(spelling);
        if (list === undefined) index.set(spelling, (list = []));
        list.push(key);
      }
    }
    spellings.set(manifest, index);
  }
  return index.get(component) ?? [];
}

function resolveComponent(manifest: SpliceManifest, component: string): Resolved {
  const components = manifest.components;
  // A component key is unambiguous by construction: it wins over a name that happens to clash.
  if (hasOwn(components, component)) return { key: component, entry: components[component] as ComponentEntry };
  const matches = keysSpelled(manifest, component);
  if (matches.length === 0) return { reason: `unknown component ${JSON.stringify(component)}` };
  if (matches.length > 1) {
    const spelled = matches.map((k) => { const e = components[k] as ComponentEntry; return `${e.file}#${e.name}`; });
    return { reason: `ambiguous: ${JSON.stringify(component)} names ${matches.length} components; name it path#Name (${spelled.join(', ')})` };
  }
  const key = matches[0] as string;
  return { key, entry: components[key] as ComponentEntry };
}

const MAX_DEPTH = 32;


/**
 * A plain-JSON copy of `value`, or why it is not plain JSON. Each property is read once, so
 * getters and proxies cannot change between the check, the patch and the bootstrap. Bounded
 * depth also stops cycles.
 */
/** What one override's props may still hold (see `MAX_OVERRIDES`). */
interface CopyBudget { values: number; chars: number }

function jsonCopy(value: unknown, depth: number, budget: CopyBudget): { value: JsonValue } | { problem: string } {
  if (depth > MAX_DEPTH) return { problem: 'nested too deeply' };
  if (--budget.values < 0) return { problem: `more than ${MAX_PROP_VALUES} values in one override's props` };
  if (value === null || typeof value === 'boolean') return { value };
  if (typeof value === 'string') {
    if ((budget.chars -= value.length) < 0) return { problem: `more than ${MAX_PROP_CHARS / 1024} K characters of text in one override's props` };
    return LONE_SURROGATE.test(value) ? { problem: 'strings must be well-formed Unicode' } : { value };
  }
  // -0 becomes 0: the bootstrap's JSON carries 0, so the browser renders with 0 (`1 / x`).
  if (typeof value === 'number') return Number.isFinite(value) ? { value: value === 0 ? 0 : value } : { problem: 'numbers must be finite' };
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < value.length; i++) {
      const c = jsonCopy(value[i], depth + 1, budget);
      if ('problem' in c) return c;
      out.push(c.value);
    }
    return { value: out };
  }
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return { problem: 'objects must be plain JSON objects' };
    const out: Record<string, JsonValue> = {};
    for (const k of Object.keys(value)) {
      const c = jsonCopy((value as Record<string, unknown>)[k], depth + 1, budget);
      if ('problem' in c) return c;
      defineOwn(out, k, c.value);
    }
    return { value: out };
  }
  return { problem: `${typeof value} is not a JSON value` };
}

/**
 * Reads each override's fields once into a plain object, so that a throwing getter or a proxy
 * (never JSON, but callers may pass anything) skips that one override instead of throwing.
 * `items` is null when the array itself cannot be read; `originals` are the caller's objects.
 */
/**
 * At most this many overrides per request, each with at most `MAX_PROP_VALUES` JSON values and
 * `MAX_PROP_CHARS` characters of strings in its props: a page has a few dozen instances, and an
 * unbounded input (a million overrides took 10 s and wrote 84 MB) would let one request hold the
 * isolate.
 */
export const MAX_OVERRIDES = 256;
const MAX_PROP_VALUES = 10_000;
const MAX_PROP_CHARS = 256 * 1024;
/** All of a request's override props together, as the bootstrap writes them (`<` becomes `\u003c`). */
const MAX_REQUEST_PROP_BYTES = 512 * 1024;

/** The bytes props take in the bootstrap: JSON, with `<`, `>`, `&`, U+2028/9 escaped to six characters, non-ASCII as UTF-8. */
function scriptWeight(props: Readonly<Record<string, JsonValue>>): number {
  const json = JSON.stringify(props);
  let bytes = json.length;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) bytes += 5;
    else if (c >= 0x80) bytes += c >= 0x800 ? 2 : 1;
  }
  return bytes;
}

function readOverrides(value: unknown): { items: unknown[] | null; originals: unknown[]; unreadable: Map<number, string>; beyond: number } {
  const unreadable = new Map<number, string>();
  const why = (error: unknown) => `override cannot be read: ${safeMessage(error)}`;
  const items: unknown[] = [];
  const originals: unknown[] = [];
  let length: number;
  try {
    if (!Array.isArray(value)) return { items: [], originals, unreadable: new Map([[-1, 'overrides must be an array']]), beyond: 0 };
    length = value.length;
  } catch (error) {
    return { items: null, originals, unreadable: new Map([[-1, why(error)]]), beyond: 0 };
  }
  const beyond = Math.max(0, length - MAX_OVERRIDES);
  length -= beyond;
  for (let i = 0; i < length; i++) {
    try {
      const o: unknown = value[i];
      originals.push(o);
      items.push(typeof o === 'object' && o !== null
        ? { component: (o as Override).component, props: (o as Override).props, instance: (o as Override).instance }
        : o);
    } catch (error) {
      unreadable.set(i, why(error));
      if (originals.length === i) originals.push(undefined);
      items.push(null);
    }
  }
  return { items, originals, unreadable, beyond };
}

/**
 * The props in effect for one component instance: every planned override that applies to it,
 * in array order, later ones overwriting earlier props. `null` when none applies.
 */
export function effectiveProps(
  planned: readonly PlannedOverride[] | undefined,
  ordinal: number,
  instanceId: string,
): { props: Record<string, JsonValue>; names: Set<string> } | null {
  if (planned === undefined) return null;
  let props: Record<string, JsonValue> | null = null;
  const names = new Set<string>();
  for (const p of planned) {
    if (p.instance !== undefined && p.instance !== ordinal && p.instance !== instanceId) continue;
    props ??= nullRecord<JsonValue>();
    for (const name of p.names) {
      // A null-prototype record: plain assignment cannot reach a prototype, even for `__proto__`.
      props[name] = p.props[name] as JsonValue;
      names.add(name);
    }
  }
  return props === null ? null : { props, names };
}
