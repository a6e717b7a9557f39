import * as React from 'react';
import { useId } from 'react';
import type { HookRecord, JsonValue } from '@splice/manifest';

/**
 * Package hooks (`useTranslations` of an i18n library, `usePathname` of a router) read providers
 * and request state that an edge re-render does not have, and Splice does not analyse packages.
 * So the server render of the source page records what each such call gave the instance, and an
 * edge re-render of that instance answers the same questions the same way instead of calling the
 * hook. Faithful to a full render as long as a hook's result depends only on its arguments and on
 * the providers above the instance, which an override leaves unchanged. Anything the cached page
 * did not record makes the re-render fail, and the edge keeps the instance as cached.
 *
 * What is recorded is what the render observed:
 * - a result that is plain data (JSON-shaped, acyclic, small) is handed to the component as it is,
 *   and its value when the instance returns (`root()`) is recorded;
 * - anything else (functions such as `t`, objects holding them such as a router, class
 *   instances such as `URLSearchParams`) is handed over behind a transparent proxy that records
 *   each property read and each call made with JSON arguments (a call's results in order: the
 *   n-th call with the same arguments gets the n-th result back). Everything else about it
 *   (its keys, its prototype, a read of a symbol) is not recorded, and makes a replay fail.
 *
 * The window: `useSpliceProps` opens one for a re-renderable instance and `root()` closes it; a
 * component function runs synchronously from one to the other, so the calls in between are the
 * instance's (its own and those of the app's hooks it calls).
 */
export type HookWindow =
  | { mode: 'record'; records: PendingRecord[]; depth: number; proxies: WeakMap<object, object> }
  | { mode: 'replay'; records: readonly HookRecord[]; next: number; session: ReplaySession };

interface PendingRecord { hook: string; args: string | null; ids: number; at: number | null; value: unknown; observed: JsonValue | null }

/** One edge re-render: the instance whose records are replayed, and why it failed, if it did. */
export interface ReplaySession {
  id: string;
  key: string;
  records: readonly HookRecord[];
  used: boolean;
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
    const own = !session.used && session.id === id && session.key === key;
    if (own) session.used = true;
    return { mode: 'replay', records: own ? session.records : [], next: 0, session };
  }
  return recording ? { mode: 'record', records: [], depth: 0, proxies: new WeakMap() } : null;
}

export function openHookWindow(window: HookWindow | null): void {
  open = window;
}

/** Closes the window if it is still this one; the calls it recorded, as the instance state carries them. */
export function closeHookWindow(window: HookWindow | null): HookRecord[] | null {
  if (window === null || open !== window) return null;
  open = null;
  if (window.mode !== 'record') return null;
  return window.records.map((r) => ({ hook: r.hook, args: r.args, ids: r.ids, ...(r.at === null ? {} : { at: r.at }), value: r.observed ?? snapshot(r.value) }));
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
  const slot: PendingRecord = { hook: id, args: argsKey(args), ids: -1, at: null, value: undefined, observed: null };
  window.records.push(slot);
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
  if (isPlainData(result, { left: 2000, chars: 16 * 1024 }, new Set())) {
    slot.value = result;
    return result;
  }
  const [observed, live] = observe(result, window.proxies);
  slot.observed = observed;
  return live as R;
}

function replayCall(replay: ReplaySession, window: HookWindow | null, id: string, args: unknown[]): unknown {
  if (window === null || window.mode !== 'replay') return fail(replay, `${id}() is called outside the re-rendered instance's own render: the cached page recorded nothing for it`);
  const record = window.records[window.next++];
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
  return decode(record.value, replay, 0);
}

function fail(replay: ReplaySession, reason: string): never {
  replay.failed ??= reason;
  throw new Error(reason);
}

/**
 * Runs `call` and counts the `useId`s React is asked for meanwhile, through its dispatcher (the
 * only way to know them without taking ids of our own, which would change the app's ids and add a
 * hook the component may call conditionally). -1 when this React does not expose its dispatcher
 * as React 19 does: the instance then records no state.
 */
function countingIds<R>(call: () => R): { result: R; ids: number; at: number | null } {
  const internals = (React as unknown as Record<string, { H?: Record<string, unknown> | null } | undefined>).__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE;
  const dispatcher = internals?.H;
  if (internals === undefined || dispatcher === null || dispatcher === undefined || typeof dispatcher.useId !== 'function') return { result: call(), ids: -1, at: null };
  let ids = 0;
  let at: number | null = null;
  const original = dispatcher.useId as () => string;
  internals.H = {
    ...dispatcher,
    useId: () => {
      const id = original();
      if (ids++ === 0) at = localIdIndex(id);
      return id;
    },
  };
  try {
    const result = call();
    // An id Splice cannot read the position of: the count alone would not make a replay safe.
    return { result, ids: ids > 0 && at === null ? -1 : ids, at };
  } finally {
    internals.H = dispatcher;
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
  if (Array.isArray(v)) return Object.getPrototypeOf(v) === Array.prototype && Object.keys(v).length === v.length && v.every((x) => isExactJson(x, depth + 1));
  if (Object.getPrototypeOf(v) !== Object.prototype || Object.getOwnPropertySymbols(v).length > 0) return false;
  return Object.values(v as object).every((x) => isExactJson(x, depth + 1));
}

const TAG = '$splice';

/**
 * Plain data that JSON (with the tags below) reproduces exactly: null, booleans, strings, numbers,
 * `undefined`, arrays without holes or extra keys, objects with `Object.prototype` whose own
 * properties are enumerable string-keyed data properties; acyclic, and within the budget.
 */
function isPlainData(v: unknown, budget: { left: number; chars: number }, seen: Set<object>): boolean {
  if (--budget.left < 0) return false;
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number') return true;
  if (typeof v === 'string') return (budget.chars -= v.length) >= 0;
  if (typeof v !== 'object' || seen.has(v)) return false;
  seen.add(v);
  const array = Array.isArray(v);
  if (Object.getPrototypeOf(v) !== (array ? Array.prototype : Object.prototype) || Object.getOwnPropertySymbols(v).length > 0) return false;
  const names = Object.getOwnPropertyNames(v);
  if (array ? names.length !== (v as unknown[]).length + 1 : names.includes('__proto__')) return false;
  for (const name of names) {
    if (array && name === 'length') continue;
    const d = Object.getOwnPropertyDescriptor(v, name)!;
    if (!('value' in d) || !d.enumerable || !isPlainData(d.value, budget, seen)) return false;
  }
  seen.delete(v);
  return true;
}

/** Plain data as JSON, with `undefined`, non-finite numbers, -0 and objects holding a `$splice` key tagged. */
function snapshot(v: unknown): JsonValue {
  if (v === undefined) return { [TAG]: 'undefined' };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { [TAG]: 'number', value: Object.is(v, -0) ? '-0' : String(v) };
  // A value the component changed after the call into something that is not plain data.
  if (typeof v !== 'object' || !isPlainData(v, { left: 2000, chars: 16 * 1024 }, new Set())) return { [TAG]: 'opaque', why: 'changed into something that is not plain data' };
  if (Array.isArray(v)) return v.map((x) => snapshot(x));
  const out: Record<string, JsonValue> = {};
  for (const [k, x] of Object.entries(v)) out[k] = snapshot(x);
  return Object.prototype.hasOwnProperty.call(out, TAG) ? { [TAG]: 'object', value: out } : out;
}

interface ObservedLog {
  [TAG]: 'observed';
  kind: 'function' | 'object' | 'array';
  props: Record<string, JsonValue>;
  calls: Record<string, JsonValue[]>;
}

/**
 * `v` behind a proxy that records what the render reads of it (see the header). Property reads
 * go to the real object (getters run on it), and methods are called on it, so the page renders
 * exactly as without the proxy.
 */
function observe(v: unknown, proxies: WeakMap<object, object>): [JsonValue, unknown] {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return [snapshot(v), v];
  if (isPlainData(v, { left: 2000, chars: 16 * 1024 }, new Set())) return [snapshot(v), v];
  if (typeof v !== 'object' && typeof v !== 'function') return [{ [TAG]: 'opaque', why: `is a ${typeof v}` }, v];
  const target = v as object;
  const known = proxies.get(target);
  if (known !== undefined) return [logs.get(known)!, known];
  const log: ObservedLog = { [TAG]: 'observed', kind: typeof v === 'function' ? 'function' : Array.isArray(v) ? 'array' : 'object', props: {}, calls: {} };
  const proxy = new Proxy(target, {
    get(t, p) {
      const value: unknown = Reflect.get(t, p);
      // Not recorded (a replay fails on symbols), but a method must still run on the real object.
      if (typeof p === 'symbol') return typeof value === 'function' ? bound(value as (...a: unknown[]) => unknown, t, proxy) : value;
      const d = Object.getOwnPropertyDescriptor(t, p);
      // The proxy must return a frozen property's own value: it is recorded, not wrapped.
      if (d !== undefined && !d.configurable && (('value' in d && !d.writable) || ('get' in d && d.get === undefined))) {
        recordRead(log, p, isPlainData(value, { left: 2000, chars: 16 * 1024 }, new Set()) ? snapshot(value) : { [TAG]: 'opaque', why: `.${p} is a frozen value` });
        return value;
      }
      const [json, live] = observe(value, proxies);
      recordRead(log, p, json);
      return live;
    },
    apply(t, self, args) {
      // A function that is itself a hook (a hook factory's) may take ids: a replay could not.
      const { result, ids } = countingIds(() => Reflect.apply(t as (...a: unknown[]) => unknown, targets.get(self as object) ?? self, args) as unknown);
      const key = argsKey(args);
      if (key === null) return result;
      if (ids !== 0) {
        (log.calls[key] ??= []).push({ [TAG]: 'opaque', why: 'took React ids when called' });
        return result;
      }
      const [json, live] = observe(result, proxies);
      (log.calls[key] ??= []).push(json);
      return live;
    },
  });
  proxies.set(target, proxy);
  targets.set(proxy, target);
  logs.set(proxy, log as unknown as JsonValue);
  return [log as unknown as JsonValue, proxy];
}

/** A property read twice with different values (a counter behind a getter) cannot be answered from one record. */
function recordRead(log: ObservedLog, p: string, json: JsonValue): void {
  if (!Object.prototype.hasOwnProperty.call(log.props, p)) {
    Object.defineProperty(log.props, p, { value: json, enumerable: true, writable: true, configurable: true });
    return;
  }
  const before = log.props[p];
  if (before !== json && JSON.stringify(before) !== JSON.stringify(json)) log.props[p] = { [TAG]: 'opaque', why: `.${p} read twice with different values` };
}

const targets = new WeakMap<object, object>();

/** `method` called on the proxy runs on the target (internal slots: `URLSearchParams`, `Map`, private fields). */
function bound(method: (...a: unknown[]) => unknown, target: object, proxy: object): (...a: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    return Reflect.apply(method, this === proxy ? target : this, args);
  };
}
const logs = new WeakMap<object, JsonValue>();

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
    case 'opaque': return opaqueValue(String(e.why), replay);
    case 'observed': return replayObserved(e, replay, depth);
    default: return fail(replay, `a recorded hook value has an unknown kind ${JSON.stringify(tag)}`);
  }
}

function decodeObject(v: JsonValue | undefined, replay: ReplaySession, depth: number): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(replay, 'a recorded hook value is malformed');
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: decode(x, replay, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/** A stand-in that answers exactly the reads and calls the cached render made, in the same order per call; anything else fails. */
function replayObserved(e: Record<string, JsonValue>, replay: ReplaySession, depth: number): object {
  const props = e.props;
  const calls = e.calls;
  if (typeof props !== 'object' || props === null || Array.isArray(props) || typeof calls !== 'object' || calls === null || Array.isArray(calls)) {
    return fail(replay, 'a recorded hook value is malformed');
  }
  const decoded = new Map<string, unknown>();
  const counts = new Map<string, number>();
  const no = (what: string) => (): never => fail(replay, `the re-render ${what} of a package hook's value that the cached render never did`);
  const target: object = e.kind === 'function' ? () => undefined : e.kind === 'array' ? [] : {};
  return new Proxy(target, {
    get(_t, p) {
      if (typeof p === 'symbol' || !Object.prototype.hasOwnProperty.call(props, p)) return no(`reads .${String(p)}`)();
      if (!decoded.has(p)) decoded.set(p, decode(props[p]!, replay, depth + 1));
      return decoded.get(p);
    },
    apply(_t, _self, args) {
      const key = argsKey(args);
      const results = key === null ? undefined : (calls as Record<string, JsonValue>)[key];
      const n = counts.get(key ?? '') ?? 0;
      if (key === null || !Array.isArray(results) || n >= results.length) return no(`calls it with ${key ?? 'arguments that are not JSON'}${n > 0 ? ` a ${n + 1}th time` : ''}`)();
      counts.set(key, n + 1);
      return decode(results[n]!, replay, depth + 1);
    },
    construct: no('constructs'), has: no('tests a key'), ownKeys: no('lists the keys'), getPrototypeOf: no('reads the prototype'),
    getOwnPropertyDescriptor: no('reads a property descriptor'), set: no('writes a property'), defineProperty: no('defines a property'), deleteProperty: no('deletes a property'),
  });
}

/** A value the cached render could not record: an object, as the original was, that fails the render when looked at. */
function opaqueValue(why: string, replay: ReplaySession): object {
  const no = (): never => fail(replay, `the re-render looked at a package hook's value that the cached page could not record: it ${why}`);
  return new Proxy({}, { get: no, has: no, ownKeys: no, getPrototypeOf: no, set: no, defineProperty: no, deleteProperty: no, getOwnPropertyDescriptor: no });
}
