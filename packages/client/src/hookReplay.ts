import { isValidElement, useId } from 'react';
import { MAX_LOCAL_IDS } from '@splice/manifest';
import type { HookRecord, JsonValue } from '@splice/manifest';

/**
 * Package hooks (`useTranslations` of an i18n library, `usePathname` of a router) read providers
 * and request state that an edge re-render does not have, and Splice does not analyse packages.
 * So the server render of the source page records what each such call returned, and an edge
 * re-render of the instance gets the same result back instead of calling the hook: faithful to
 * a full render as long as the result depends only on the call's arguments and the providers
 * above the instance, which is what an override leaves unchanged. A call the cached page never
 * made (other arguments, a function called with new arguments) throws, and the edge keeps the
 * instance as cached.
 *
 * The window: `useSpliceProps` opens one for a re-renderable instance and `root()` closes it;
 * a component function runs synchronously from one to the other, so the calls in between are
 * the instance's (its own and those of the app's hooks it calls).
 */
export interface HookWindow {
  /** Source page: calls are recorded here. */
  record: HookRecord[] | null;
  /** Edge re-render: calls are answered from here, in order. */
  replay: readonly HookRecord[] | null;
  next: number;
}

let open: HookWindow | null = null;

export function openHookWindow(window: HookWindow | null): void {
  open = window;
}

/** Closes the window if it is still this one; the calls it recorded. */
export function closeHookWindow(window: HookWindow | null): HookRecord[] | null {
  if (window === null || open !== window) return null;
  open = null;
  return window.record;
}

/**
 * What the compiler makes of a package hook call: `useTranslations('Cart')` becomes
 * `useSpliceHook(useTranslations, 'Cart')`. Outside a window (the browser, an oracle render, an
 * instance that cannot be re-rendered) it is the call itself. It always takes one `useId` after
 * the call, on the server and in the browser alike, so hydration sees the same ids: that id's
 * local index tells the edge how many ids the skipped hook would have taken.
 */
export function useSpliceHook<A extends unknown[], R>(hook: (...args: A) => R, ...args: A): R {
  const window = open;
  if (window !== null && window.replay !== null) return replayCall(window, hook, args);
  const result = hook(...args);
  const after = useId();
  if (window === null || window.record === null || open !== window) return result;
  const [value, live] = capture(result, 0);
  window.record.push({ args: argsKey(args), ids: localIdIndex(after) ?? -1, value });
  return live as R;
}

function replayCall<R>(window: HookWindow, hook: (...args: never[]) => unknown, args: unknown[]): R {
  const n = window.next++;
  const record = window.replay![n];
  const name = hook.name || 'a package hook';
  if (record === undefined) throw new Error(`${name}() was not called by this instance in the cached page (call ${n})`);
  const key = argsKey(args);
  if (key === null || key !== record.args) throw new Error(`${name}() was called with other arguments than in the cached page: ${key ?? 'not JSON'}`);
  if (record.ids < 0 || record.ids > MAX_LOCAL_IDS) throw new Error(`${name}(): the cached page recorded no id index`);
  // The ids the hook took in the full render, taken here so that every later id is the same.
  let index = localIdIndex(useId());
  while (index !== null && index < record.ids) index = localIdIndex(useId());
  if (index !== record.ids) throw new Error(`${name}(): React's ids do not line up with the cached page`);
  return decode(record.value, 0) as R;
}

/** React's local `useId` index (`_R_tree_` is 0, `_R_treeHn_` is n in base 32), or null for another format. */
export function localIdIndex(id: string): number | null {
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
  if (Array.isArray(v)) return v.every((x) => isExactJson(x, depth + 1));
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(v as object).every((x) => isExactJson(x, depth + 1));
}

const TAG = '$splice';
type Encoded = { [TAG]: string } & Record<string, JsonValue>;

/**
 * A result as JSON (`value`) and as the component gets it (`live`): the same value, except that
 * functions are wrapped so that every call made during the render is recorded into `value`.
 * Plain data without functions is handed on as it is.
 */
function capture(v: unknown, depth: number): [JsonValue, unknown] {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return [v, v];
  if (v === undefined) return [{ [TAG]: 'undefined' }, v];
  if (typeof v === 'number') return [Number.isFinite(v) && !Object.is(v, -0) ? v : { [TAG]: 'number', value: String(Object.is(v, -0) ? '-0' : v) }, v];
  if (depth > 16) return [opaque('is nested too deeply'), v];
  if (typeof v === 'function') return captureFunction(v as (...a: unknown[]) => unknown, depth);
  if (typeof v !== 'object') return [opaque(`is a ${typeof v}`), v];
  if (isValidElement(v)) return [opaque('holds React elements'), v];
  if (typeof URLSearchParams === 'function' && v instanceof URLSearchParams) return [{ [TAG]: 'params', value: v.toString() }, v];
  if (Array.isArray(v)) {
    const pairs = v.map((x) => capture(x, depth + 1));
    const changed = pairs.some(([, live], i) => live !== v[i]);
    return [pairs.map(([j]) => j), changed ? pairs.map(([, l]) => l) : v];
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return [opaque('is not plain data (a class instance, a Date, a Map)'), v];
  const json: Record<string, JsonValue> = {};
  const live: Record<string, unknown> = {};
  let changed = false;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const [j, l] = capture(x, depth + 1);
    json[k] = j;
    live[k] = l;
    if (l !== x) changed = true;
  }
  return [Object.prototype.hasOwnProperty.call(json, TAG) ? { [TAG]: 'object', value: json } : json, changed ? live : v];
}

function captureFunction(fn: (...a: unknown[]) => unknown, depth: number): [JsonValue, unknown] {
  const calls: Record<string, JsonValue> = {};
  const props: Record<string, JsonValue> = {};
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    const result = fn.apply(this, args);
    const key = argsKey(args);
    if (key === null) return result;
    const [value, live] = capture(result, depth + 1);
    if (!Object.prototype.hasOwnProperty.call(calls, key)) calls[key] = value;
    return live;
  };
  // `t.rich`, `t.has`: a function's own properties are part of what the hook returned.
  for (const [k, x] of Object.entries(fn)) {
    const [j, l] = capture(x, depth + 1);
    props[k] = j;
    (wrapper as unknown as Record<string, unknown>)[k] = l;
  }
  return [{ [TAG]: 'fn', calls, props }, wrapper];
}

function opaque(why: string): Encoded {
  return { [TAG]: 'opaque', why };
}

/** A recorded value back (at the edge). Untrusted: it comes from a page; anything malformed throws. */
export function decode(v: JsonValue, depth: number): unknown {
  if (depth > 32) throw new Error('a recorded hook value is nested too deeply');
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => decode(x, depth + 1));
  const tag = (v as Record<string, JsonValue>)[TAG];
  if (tag === undefined) return decodeObject(v, depth);
  const e = v as Encoded;
  switch (tag) {
    case 'undefined': return undefined;
    case 'number': return Number(e.value);
    case 'params': return new URLSearchParams(String(e.value));
    case 'object': return decodeObject(e.value, depth);
    case 'opaque': return opaqueValue(String(e.why));
    case 'fn': return replayFunction(e, depth);
    default: throw new Error(`a recorded hook value has an unknown kind ${JSON.stringify(tag)}`);
  }
}

function decodeObject(v: JsonValue | undefined, depth: number): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('a recorded hook value is malformed');
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = decode(x, depth + 1);
  return out;
}

function replayFunction(e: Encoded, depth: number): unknown {
  const calls = e.calls;
  const props = e.props;
  if (typeof calls !== 'object' || calls === null || Array.isArray(calls) || typeof props !== 'object' || props === null || Array.isArray(props)) {
    throw new Error('a recorded hook function is malformed');
  }
  const fn = (...args: unknown[]): unknown => {
    const key = argsKey(args);
    if (key === null || !Object.prototype.hasOwnProperty.call(calls, key)) {
      throw new Error(`a function a package hook returned was called with arguments the cached page never used: ${key ?? 'not JSON'}`);
    }
    return decode(calls[key]!, depth + 1);
  };
  for (const [k, x] of Object.entries(props)) (fn as unknown as Record<string, unknown>)[k] = decode(x, depth + 1);
  return fn;
}

/**
 * A value JSON could not record: truthy and an object, as the original was, and any closer look
 * (a property, its keys, its prototype, rendering it) throws, so the re-render fails rather than
 * render something else.
 */
function opaqueValue(why: string): object {
  const fail = (): never => { throw new Error(`the re-render read a package hook's value that the cached page could not record: it ${why}`); };
  return new Proxy(Object.create(null) as object, {
    get: fail, has: fail, ownKeys: fail, getPrototypeOf: fail, set: fail, defineProperty: fail, deleteProperty: fail, getOwnPropertyDescriptor: fail,
  });
}
