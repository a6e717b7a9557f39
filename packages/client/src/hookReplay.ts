import * as React from 'react';
import { useId } from 'react';
import type { HookRecord, JsonValue } from '@splice/manifest';

/**
 * Package hooks (`useTranslations` of an i18n library, `usePathname` of a router) read providers
 * and request state that an edge re-render does not have, and Splice does not analyse packages.
 * So the server render of the source page records what each such call gave the instance, and an
 * edge re-render of that instance gets the same back instead of calling the hook. Faithful to a
 * full render as long as a hook's result depends only on its arguments and on the providers
 * above the instance, which an override leaves unchanged, and is used by value (compared by
 * identity with nothing from elsewhere). Anything the cached page did not record makes the
 * re-render fail, and the edge keeps the instance as cached.
 *
 * Recording must not change the source page, so the component gets the hook's own result, with
 * one exception, a function (`t`): it gets a proxy of it that records each call made with JSON
 * arguments, in one order across the window (see `wrapFunction`). Its function-valued properties
 * (`t.rich`) are not recorded: a replay that uses one fails. What else is recorded:
 * - plain data (JSON-shaped, acyclic, without shared references, small): its value when handed
 *   over, which must still be its value when the instance returns (else it changed during the
 *   render, and is recorded as unreadable);
 * - a value returned by an earlier call of the same instance: that record again (identity kept);
 * - anything else (an object holding functions, a class instance): unreadable. Replayed, it fails
 *   the render as soon as the render looks at it, and is of the same `typeof` until then.
 *
 * The window: `useSpliceProps` opens one for a re-renderable instance; `root()` and, when the
 * component throws or suspends, the `finally` the compiler puts around its body, close it.
 */
export type HookWindow =
  | { mode: 'record'; records: PendingRecord[]; depth: number; seen: Map<unknown, number>; shared: WindowShared }
  | { mode: 'replay'; records: readonly HookRecord[]; next: number; session: ReplaySession; decoded: Map<number, unknown> };

interface PendingRecord {
  hook: string; args: string | null; ids: number; at: number | null; value: JsonValue; live: unknown; original: unknown; handedOver: string | null;
  /** Values handed over anywhere in the result (a call's result, a property): read again at close. */
  checks: { read: () => string; snap: string }[];
  shared: WindowShared;
  /** A check failed at some point of the render (not only at its end). */
  changed: boolean;
}

/** A check's reading, or a mark that cannot equal any snapshot when reading throws. */
function safeRead(read: () => string): string {
  try {
    return read();
  } catch {
    return '\u0000unreadable';
  }
}

/** What all the records of one window share. */
interface WindowShared {
  /** Objects and functions already handed over, and what the component got for each. */
  handed: Map<unknown, unknown>;
  /** Calls of every wrapped function, numbered in one order across them all. */
  seq: number;
  records: PendingRecord[];
  /** The instance returned: its records are in the page, so later calls only pass through. */
  closed?: boolean;
}

/** Every check of the window, run after each recorded call: a value that changes and changes back between two reads is caught too. */
function recheck(shared: WindowShared): void {
  for (const r of shared.records) {
    if (r.changed) continue;
    if (r.checks.some((c) => safeRead(c.read) !== c.snap)) r.changed = true;
  }
}

/** One edge re-render: the instance whose records are replayed, and why it failed, if it did. */
export interface ReplaySession {
  /** The window's next call number, across all replayed functions (see `wrapFunction`). */
  seq?: number;
  id: string;
  key: string;
  records: readonly HookRecord[];
  failed: string | null;
}

let open: HookWindow | null = null;
let session: ReplaySession | null = null;

/**
 * Runs an edge re-render (synchronous: `renderToString`) with the recorded calls of one instance.
 * Whatever fails inside, even where a `<Suspense>` boundary would turn the error into a fallback,
 * is in `session.failed` afterwards: the caller must reject the render then.
 */
export function replaying<T>(replay: ReplaySession, render: () => T): T {
  const previousSession = session;
  const previousWindow = open;
  session = replay;
  open = null;
  try {
    return render();
  } finally {
    session = previousSession;
    open = previousWindow;
  }
}

/** The window for an instance starting to render (null: none, calls go through). */
export function hookWindowFor(key: string, id: string, recording: boolean): HookWindow | null {
  if (session !== null) {
    // Only the re-rendered instance itself replays: an instance inside it may sit under a
    // provider the override changes, which its records would not know.
    // The same key and id again is the same instance rendering its body again (a state update
    // during render): it replays from the start, checked against the same records.
    const own = session.id === id && session.key === key;
    if (own) session.seq = 0;
    return { mode: 'replay', records: own ? session.records : [], next: 0, session, decoded: new Map() };
  }
  return recording ? { mode: 'record', records: [], depth: 0, seen: new Map(), shared: { handed: new Map(), seq: 0, records: [] } } : null;
}

export function openHookWindow(window: HookWindow | null): void {
  open = window;
}

/** Closes the window if it is still this one; the calls it recorded, as the instance state carries them. */
export function closeHookWindow(window: HookWindow | null): HookRecord[] | null {
  if (window === null || open !== window) return null;
  open = null;
  if (window.mode !== 'record') return null;
  window.shared.closed = true;
  return window.records.map((r) => {
    // Plain data changed since it was handed over: the render may have read either value.
    const changed = r.changed || (r.handedOver !== null && safeRead(() => JSON.stringify(dataOf(r.original))) !== r.handedOver)
      || r.checks.some((c) => safeRead(c.read) !== c.snap);
    let kind: 'function' | 'array' | 'object' = typeof r.original === 'function' ? 'function' : 'object';
    try { if (Array.isArray(r.original)) kind = 'array'; } catch { /* a revoked proxy: an object */ }
    const value = changed ? unreadable(kind, 'changed during the render') : r.value;
    return { hook: r.hook, args: r.args, ids: r.ids, ...(r.at === null ? {} : { at: r.at }), value };
  });
}

/**
 * What the compiler makes of a package hook call: `useTranslations('Cart')` becomes
 * `useSpliceHook('next-intl#useTranslations', useTranslations, 'Cart')`. In the browser, in an
 * origin render without markers, and outside a re-renderable instance it is the call itself.
 */
export function useSpliceHook<A extends unknown[], R>(id: string, hook: (...args: A) => R, ...args: A): R {
  const window = open;
  if (session !== null) return replayCall(session, window, id, args) as R;
  if (window === null || window.mode !== 'record' || window.depth > 0) return hook(...args);
  // A wrapped call inside this one (a package the loader compiled) is part of this one's result.
  const slot: PendingRecord = { hook: id, args: argsKey(args), ids: -1, at: null, value: null, live: undefined, original: undefined, handedOver: null, checks: [], shared: window.shared, changed: false };
  const n = window.records.push(slot) - 1;
  window.shared.records.push(slot);
  window.depth++;
  let result: R;
  try {
    const counted = countingIds(() => hook(...args));
    result = counted.result;
    slot.ids = counted.ids;
    slot.at = counted.at;
  } finally {
    window.depth--;
  }
  recheck(window.shared);
  const earlier = window.seen.get(result);
  if (earlier !== undefined && (typeof result === 'object' || typeof result === 'function') && result !== null) {
    // The same object again: replayed as the same object.
    slot.value = { [TAG]: 'same', record: earlier };
    return window.records[earlier]!.live as R;
  }
  const [value, live] = recorded(result, 0, slot);
  slot.value = value;
  slot.live = live;
  slot.original = result;
  // Objects are checked again when the instance returns: one changed meanwhile was read in two states.
  if (typeof result === 'object' && result !== null) slot.handedOver = safeRead(() => JSON.stringify(dataOf(result)));
  if ((typeof result === 'object' || typeof result === 'function') && result !== null) window.seen.set(result, n);
  return live as R;
}

function replayCall(replay: ReplaySession, window: HookWindow | null, id: string, args: unknown[]): unknown {
  if (window === null || window.mode !== 'replay') return fail(replay, `${id}() is called outside the re-rendered instance's own render: the cached page recorded nothing for it`);
  const n = window.next++;
  const record = window.records[n];
  if (record === undefined) return fail(replay, `${id}() was not called by this instance in the cached page`);
  if (record.hook !== id) return fail(replay, `${id}() is called where the cached page called ${record.hook}()`);
  const key = argsKey(args);
  if (key === null || key !== record.args) return fail(replay, `${id}() is called with other arguments than in the cached page: ${key ?? 'not JSON'}`);
  if (record.ids < 0 || record.ids > 64) return fail(replay, `${id}(): the cached page recorded no id count`);
  // The ids the hook took in the full render: taken here, so that every later id is the same.
  // They must start where the hook's did: its result may hold them (a field id).
  for (let i = 0; i < record.ids; i++) {
    const taken = useId();
    if (i === 0 && localIdIndex(taken) !== record.at) return fail(replay, `${id}() takes ids from another position than in the cached page (the component took a different number of ids before it)`);
  }
  const same = record.value as { [TAG]?: unknown; record?: unknown };
  if (typeof same === 'object' && same !== null && same[TAG] === 'same') {
    if (typeof same.record !== 'number' || !window.decoded.has(same.record)) return fail(replay, 'a recorded hook value is malformed');
    return window.decoded.get(same.record);
  }
  const value = decode(record.value, replay, 0);
  window.decoded.set(n, value);
  return value;
}

function fail(replay: ReplaySession, reason: string): never {
  replay.failed ??= reason;
  throw new Error(reason);
}

/**
 * Runs `call` and counts the `useId`s React is asked for meanwhile, by patching the dispatcher
 * React 19 renders with (in place: a nested render restores the very object it found). That is
 * the only way to know them without taking ids of our own, which would change the app's ids and
 * add a hook the component may call conditionally. -1 when this React keeps no such dispatcher:
 * the instance then records no state.
 */
function countingIds<R>(call: () => R): { result: R; ids: number; at: number | null } {
  const internals = (React as unknown as Record<string, { H?: Record<string, unknown> | null } | undefined>).__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE;
  const dispatcher = internals?.H;
  if (dispatcher === null || dispatcher === undefined || typeof dispatcher.useId !== 'function' || Object.isFrozen(dispatcher)) return { result: call(), ids: -1, at: null };
  let ids = 0;
  let at: number | null = null;
  const original = dispatcher.useId as () => string;
  dispatcher.useId = () => {
    const id = original();
    if (ids++ === 0) at = localIdIndex(id);
    return id;
  };
  try {
    const result = call();
    // An id Splice cannot read the position of: the count alone would not make a replay safe.
    return { result, ids: ids > 0 && at === null ? -1 : ids, at };
  } finally {
    dispatcher.useId = original;
  }
}

/** React's local `useId` index (`_R_tree_` is 0, `_R_treeHn_` is n in base 32), or null for another format. */
function localIdIndex(id: string): number | null {
  const m = /H([0-9a-v]+)_$/.exec(id);
  if (m !== null) return parseInt(m[1]!, 32);
  return /R_[0-9a-v]+_$/.test(id) ? 0 : null;
}

/** The arguments as JSON when JSON holds them exactly (no `undefined`, functions, class instances), else null. */
export function argsKey(args: readonly unknown[]): string | null {
  return isExactJson(args, 0) ? JSON.stringify(args) : null;
}

function isExactJson(v: unknown, depth: number): boolean {
  if (depth > 16) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object') return false;
  try {
    // Through descriptors: no getter runs (the key must not change what the hook then sees), and
    // a property JSON would skip (not enumerable) makes the arguments not JSON.
    const array = Array.isArray(v);
    if (Object.getPrototypeOf(v) !== (array ? Array.prototype : Object.prototype) || Object.getOwnPropertySymbols(v).length > 0) return false;
    const names = Object.getOwnPropertyNames(v);
    if (array && names.length !== (v as unknown[]).length + 1) return false;
    for (const name of names) {
      if (array && name === 'length') continue;
      const d = Object.getOwnPropertyDescriptor(v, name)!;
      if (!('value' in d) || !d.enumerable || !isExactJson(d.value, depth + 1)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

const TAG = '$splice';

/** What of a value can change under the render: its plain data (functions stand as their names). */
function dataOf(v: unknown): JsonValue {
  if (isPlainData(v, { ...PLAIN_BUDGET }, new Set())) return snapshot(v);
  const known = valueClass(v);
  if (known !== null) return known;
  return { [TAG]: 'opaque', kind: 'object', why: 'not plain data' };
}

/** At most this many recorded calls per function, and this much plain data per value. */
const MAX_CALLS = 200;
const PLAIN_BUDGET = { values: 2000, chars: 16 * 1024 };

/** A result as recorded, and what the component gets: itself, or for a function a recording proxy. Anything that throws while being looked at (a revoked proxy) is unreadable and handed over as it is. */
function recorded(v: unknown, depth: number, rec: PendingRecord): [JsonValue, unknown] {
  try {
    return recordedUnsafe(v, depth, rec);
  } catch {
    return [unreadable('primitive', 'could not be looked at'), v];
  }
}

function recordedUnsafe(v: unknown, depth: number, rec: PendingRecord): [JsonValue, unknown] {
  if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
    // Handed over again in one render (a call returning the same object): the component gets
    // what it got the first time, so `===` holds; the edge would hand over two objects, so this
    // hand-over fails a replay that reaches it.
    if (rec.shared.handed.has(v)) return [unreadable('primitive', 'was handed over twice (its identity cannot be replayed)'), rec.shared.handed.get(v)];
  }
  if (typeof v === 'function') {
    const why = depth > 4 ? 'is nested too deeply' : unwrappable(v);
    const [json, live] = why === null ? wrapFunction(v as (...a: unknown[]) => unknown, rec) : [unreadable('function', why), v];
    rec.shared.handed.set(v, live);
    return [json, live];
  }
  if (typeof v === 'object' && v !== null) rec.shared.handed.set(v, v);
  if (isPlainData(v, { ...PLAIN_BUDGET }, new Set())) {
    // Holding an object handed over before (a store's selected item, then its list): two objects
    // at the edge where the render had one.
    if (sharesHanded(v, rec.shared.handed, true)) return [unreadable(kindOf(v), 'shares an object with a value handed over earlier'), v];
    const json = snapshot(v);
    // Every object inside it is handed over too: one reached again later would lose identity.
    handOverNested(v, rec.shared.handed);
    if (typeof v === 'object' && v !== null) {
      const snap = JSON.stringify(json);
      const read = (): string => (isPlainData(v, { ...PLAIN_BUDGET }, new Set()) ? JSON.stringify(snapshot(v)) : '!');
      rec.checks.push({ read, snap });
    }
    return [json, v];
  }
  const known = valueClass(v);
  if (known !== null) {
    rec.checks.push({ read: () => JSON.stringify(valueClass(v)), snap: JSON.stringify(known) });
    return [known, v];
  }
  return [unreadable(kindOf(v), describe(v)), v];
}

function sharesHanded(v: unknown, handed: Map<unknown, unknown>, root: boolean): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (!root && handed.has(v)) return true;
  return Object.values(v).some((x) => sharesHanded(x, handed, false));
}

function handOverNested(v: unknown, handed: Map<unknown, unknown>): void {
  if (typeof v !== 'object' || v === null) return;
  handed.set(v, v);
  for (const x of Object.values(v)) handOverNested(x, handed);
}

function kindOf(v: unknown): 'object' | 'array' | 'function' | 'primitive' {
  return typeof v === 'function' ? 'function' : Array.isArray(v) ? 'array' : typeof v === 'object' && v !== null ? 'object' : 'primitive';
}

/**
 * Why a function cannot be handed over as a wrapper without the render noticing, or null: a
 * class or a constructor with methods (React checks `prototype.isReactComponent`, `new` needs
 * the real one), or own properties a wrapper would not carry (React's `$$typeof`, a server
 * action's `$$FORM_ACTION`, anything not enumerable but `length`, `name`, `prototype`).
 */
function unwrappable(fn: Function): string | null {
  if (/^class[\s{]/.test(Function.prototype.toString.call(fn))) return 'is a class';
  if (Object.getPrototypeOf(fn) !== Function.prototype) return 'has its own prototype chain';
  const proto = (fn as { prototype?: unknown }).prototype;
  if (typeof proto === 'object' && proto !== null && Object.getOwnPropertyNames(proto).some((n) => n !== 'constructor')) return 'is a constructor with methods';
  for (const name of [...Object.getOwnPropertyNames(fn), ...Object.getOwnPropertySymbols(fn)]) {
    if (name === 'length' || name === 'name' || name === 'prototype') continue;
    const d = Object.getOwnPropertyDescriptor(fn, name)!;
    if (typeof name === 'symbol' || !d.enumerable || !('value' in d)) return `has a property (${String(name)}) a wrapper would not carry`;
  }
  return null;
}

/**
 * Instances of the platform's value classes, recorded by value and rebuilt as the standard class
 * at the edge: `URLSearchParams` (`useSearchParams`; also a subclass that only forbids writing, as
 * Next's `ReadonlyURLSearchParams`), `URL`, `Date`, exactly (a subclass may read differently:
 * a time-zone date). Null for anything else.
 */
function valueClass(v: unknown): JsonValue | null {
  if (typeof v !== 'object' || v === null) return null;
  if (Object.getOwnPropertyNames(v).length > 0 || Object.getOwnPropertySymbols(v).length > 0) return null;
  const proto: unknown = Object.getPrototypeOf(v);
  if (typeof URLSearchParams === 'function' && v instanceof URLSearchParams && (proto === URLSearchParams.prototype || onlyMutatorsOverridden(proto))) {
    return proto === URLSearchParams.prototype ? { [TAG]: 'params', value: v.toString() } : { [TAG]: 'params', value: v.toString(), readonly: true };
  }
  if (typeof URL === 'function' && proto === URL.prototype) return { [TAG]: 'url', value: (v as URL).href };
  if (proto === Date.prototype) return { [TAG]: 'date', value: Number.isNaN((v as Date).getTime()) ? null : (v as Date).getTime() };
  return null;
}

/** A direct subclass of URLSearchParams that changes only how it is written to (Next's read-only one): its reads are the base class's. */
function onlyMutatorsOverridden(proto: unknown): boolean {
  if (typeof proto !== 'object' || proto === null || Object.getPrototypeOf(proto) !== URLSearchParams.prototype) return false;
  return Object.getOwnPropertyNames(proto).every((n) => ['constructor', 'append', 'delete', 'set', 'sort'].includes(n)) && Object.getOwnPropertySymbols(proto).length === 0;
}

function describe(v: unknown): string {
  if (typeof v === 'bigint' || typeof v === 'symbol') return `is a ${typeof v}`;
  if (typeof v === 'object' && v !== null) return Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype ? 'is not plain data (functions, getters, shared references, or too large)' : 'is not plain data (a class instance)';
  return 'cannot be recorded';
}

/**
 * A function the render gets instead of `fn`: the same calls (with the same `this`, also with
 * `new`), each made with JSON arguments recorded with its result. Its function-valued own
 * properties are wrapped too; its other own properties are recorded as values.
 */
function wrapFunction(fn: (...a: unknown[]) => unknown, rec: PendingRecord): [JsonValue, unknown] {
  // Calls in order, each numbered in the window's one order across all wrapped functions: two
  // functions of one hook may share state, so a replay must interleave them as the render did.
  const calls: JsonValue[] = [];
  const props: Record<string, JsonValue> = {};
  let open = true;
  // A proxy of the function itself: its name, length, prototype, properties (also those added
  // later) and `instanceof` stay the function's; only calls are seen.
  const proxy: (...a: unknown[]) => unknown = new Proxy(fn, {
    apply(target, self, args) {
      // After the instance returned (`t` handed to child rows), or once its record ended: the call itself.
      if (rec.shared.closed === true || !open) return Reflect.apply(target, self === proxy ? target : self, args) as unknown;
      const seq = rec.shared.seq++;
      let result: unknown;
      let ids: number;
      try {
        // A function that is itself a hook (a factory's) takes ids a replay would not.
        ({ result, ids } = countingIds(() => Reflect.apply(target, self === proxy ? target : self, args) as unknown));
      } catch (error) {
        // A call that threw ends the record: the next call would take its place.
        if (open) { open = false; calls.push([argsKey(args), unreadable('primitive', 'threw'), seq]); }
        throw error;
      }
      // Called on an object (`f.call(obj)`, a method): its answer may depend on `this`, which no key holds.
      const plainThis = self === undefined || self === proxy || self === globalThis;
      if (open && (!plainThis || ids !== 0)) {
        open = false;
        calls.push([argsKey(args), unreadable('primitive', ids !== 0 ? 'took React ids' : 'was called on an object'), seq]);
        recheck(rec.shared);
        return result;
      }
      if (open) {
        const key = argsKey(args);
        // A call that cannot be recorded ends the record: later calls would be answered out of order.
        if (key === null || calls.length >= MAX_CALLS) {
          open = false;
          calls.push([key, unreadable('primitive', 'was not recorded'), seq]);
          recheck(rec.shared);
          return result;
        }
        const [json, live] = recorded(result, 1, rec);
        calls.push([key, json, seq]);
        recheck(rec.shared);
        return live;
      }
      return result;
    },
  });
  define(props, 'name', fn.name);
  define(props, 'length', fn.length);
  // Its own plain properties as they are now (checked after every call and at close); function
  // properties (`t.rich`) and properties added later are not recorded: a replay that reads one fails.
  for (const name of Object.keys(fn)) {
    const x = (fn as unknown as Record<string, unknown>)[name];
    if (typeof x === 'function') continue;
    define(props, name, recorded(x, 1, rec)[0]);
    const read = (): string => { const now = (fn as unknown as Record<string, unknown>)[name]; return typeof now === 'function' ? '!' : JSON.stringify(isPlainData(now, { ...PLAIN_BUDGET }, new Set()) ? snapshot(now) : valueClass(now)); };
    rec.checks.push({ read, snap: read() });
  }
  return [{ [TAG]: 'fn', calls, props }, proxy];
}

function define(record: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Plain data that JSON (with the tags below) reproduces exactly: null, booleans, strings, numbers,
 * `undefined`, arrays without holes or extra keys, objects with `Object.prototype` whose own
 * properties are enumerable string-keyed data properties; acyclic, with no object reached twice
 * (identity inside it would be lost), and within the budget.
 */
function isPlainData(v: unknown, budget: { values: number; chars: number }, seen: Set<object>): boolean {
  if (--budget.values < 0) return false;
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number') return true;
  if (typeof v === 'string') return (budget.chars -= v.length) >= 0;
  if (typeof v !== 'object' || seen.has(v)) return false;
  seen.add(v);
  const array = Array.isArray(v);
  // Frozen or sealed data would come back unfrozen.
  if (Object.getPrototypeOf(v) !== (array ? Array.prototype : Object.prototype) || Object.getOwnPropertySymbols(v).length > 0 || !Object.isExtensible(v)) return false;
  const names = Object.getOwnPropertyNames(v);
  if (array ? names.length !== (v as unknown[]).length + 1 : names.includes('__proto__')) return false;
  for (const name of names) {
    if (array && name === 'length') continue;
    const d = Object.getOwnPropertyDescriptor(v, name)!;
    if (!('value' in d) || !d.enumerable || !isPlainData(d.value, budget, seen)) return false;
  }
  return true;
}

/** Plain data as JSON, with `undefined`, non-finite numbers, -0 and objects holding a `$splice` key tagged. */
function snapshot(v: unknown): JsonValue {
  if (v === undefined) return { [TAG]: 'undefined' };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { [TAG]: 'number', value: Object.is(v, -0) ? '-0' : String(v) };
  if (Array.isArray(v)) return v.map((x) => snapshot(x));
  const out: Record<string, JsonValue> = {};
  for (const [k, x] of Object.entries(v as object)) define(out, k, snapshot(x));
  return Object.prototype.hasOwnProperty.call(out, TAG) ? { [TAG]: 'object', value: out } : out;
}

function unreadable(kind: 'object' | 'array' | 'function' | 'primitive', why: string): JsonValue {
  return { [TAG]: 'opaque', kind, why };
}

/** A recorded value back (at the edge). Untrusted: it comes from a page; anything malformed fails the render. */
export function decode(v: JsonValue, replay: ReplaySession, depth: number): unknown {
  if (depth > 32) return fail(replay, 'a recorded hook value is nested too deeply');
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => decode(x, replay, depth + 1));
  const tag = (v as Record<string, JsonValue>)[TAG];
  if (tag === undefined) return decodeObject(v, replay, depth);
  const e = v as Record<string, JsonValue>;
  switch (tag) {
    case 'undefined': return undefined;
    case 'number': return Number(e.value);
    case 'object': return decodeObject(e.value, replay, depth);
    case 'opaque': return opaqueValue(e, replay);
    case 'fn': return replayFunction(e, replay, depth);
    case 'params': return e.readonly === true ? new ReadonlyParams(String(e.value)) : new URLSearchParams(String(e.value));
    case 'url': return new URL(String(e.value));
    case 'date': return new Date(typeof e.value === 'number' ? e.value : NaN);
    default: return fail(replay, `a recorded hook value has an unknown kind ${JSON.stringify(tag)}`);
  }
}

function decodeObject(v: JsonValue | undefined, replay: ReplaySession, depth: number): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(replay, 'a recorded hook value is malformed');
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: decode(x, replay, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/** URLSearchParams that refuse to be written, as the read-only subclass recorded (Next's) does. */
class ReadonlyParams extends URLSearchParams {
  override append(): never { throw new Error('Method unavailable on `ReadonlyURLSearchParams`.'); }
  override delete(): never { throw new Error('Method unavailable on `ReadonlyURLSearchParams`.'); }
  override set(): never { throw new Error('Method unavailable on `ReadonlyURLSearchParams`.'); }
  override sort(): never { throw new Error('Method unavailable on `ReadonlyURLSearchParams`.'); }
}

/** Answers exactly the calls the cached render made, in the same order per arguments; any other fails. */
function replayFunction(e: Record<string, JsonValue>, replay: ReplaySession, depth: number): unknown {
  const calls = e.calls;
  const props = e.props;
  if (!Array.isArray(calls) || typeof props !== 'object' || props === null || Array.isArray(props)) {
    return fail(replay, 'a recorded hook function is malformed');
  }
  let n = 0;
  const fn = (...args: unknown[]): unknown => {
    const key = argsKey(args);
    const call = calls[n];
    if (key === null || !Array.isArray(call) || call[0] !== key) {
      return fail(replay, `the re-render calls a function a package hook returned with ${key ?? 'arguments that are not JSON'} as call ${n + 1}: the cached page ${Array.isArray(call) ? `made call ${n + 1} with ${String(call[0])}` : `made ${n} calls`}`);
    }
    // The window's one order across its functions: this call must come where it came.
    if (call[2] !== (replay.seq ?? 0)) return fail(replay, 'the re-render calls the functions a package hook returned in another order than the cached page did');
    replay.seq = (replay.seq ?? 0) + 1;
    n++;
    return decode(call[1] as JsonValue, replay, depth + 1);
  };
  const decoded = new Map<string, unknown>();
  const no = (what: string) => (): never => fail(replay, `the re-render ${what} of a function a package hook returned, which the cached page did not record`);
  // Its recorded properties (name and length among them), and `call`, `apply`, `bind`; any other
  // look at it fails, rather than see the stand-in where the cached render saw the function.
  return new Proxy(fn, {
    get(target, p) {
      if (typeof p === 'string' && Object.prototype.hasOwnProperty.call(props, p)) {
        if (!decoded.has(p)) decoded.set(p, decode((props as Record<string, JsonValue>)[p]!, replay, depth + 1));
        return decoded.get(p);
      }
      if (p === 'call' || p === 'apply' || p === 'bind') return Reflect.get(target, p);
      return no(`reads .${String(p)}`)();
    },
    construct: no('constructs with'), has: no('tests a key'), ownKeys: no('lists the keys'), getOwnPropertyDescriptor: no('reads a property descriptor'),
    defineProperty: no('defines a property'), deleteProperty: no('deletes a property'), set: no('writes a property'), getPrototypeOf: no('reads the prototype'),
    setPrototypeOf: no('sets the prototype'), isExtensible: no('tests extensibility'), preventExtensions: no('freezes'),
  });
}

/**
 * A value the cached render could not record: of the same `typeof` as the original, and failing
 * the render as soon as it is looked at (read, called, listed, converted, compared with `in`).
 */
function opaqueValue(e: Record<string, JsonValue>, replay: ReplaySession): unknown {
  const no = (): never => fail(replay, `the re-render looked at a package hook's value that the cached page could not record: it ${String(e.why)}`);
  if (e.kind === 'primitive') return no();
  // The same kind of target: `typeof` and `Array.isArray` look through a proxy without a trap.
  const target: object = e.kind === 'function' ? function () { /* stands in */ } : e.kind === 'array' ? [] : {};
  return new Proxy(target, {
    get: no, has: no, ownKeys: no, getPrototypeOf: no, setPrototypeOf: no, isExtensible: no, preventExtensions: no,
    set: no, defineProperty: no, deleteProperty: no, getOwnPropertyDescriptor: no, apply: no, construct: no,
  });
}
