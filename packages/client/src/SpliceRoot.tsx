import { cloneElement, createElement, isValidElement, useContext, useId } from 'react';
import type { Context, ReactElement, ReactNode } from 'react';
import { BOUNDARY_TAG, MARKER_ATTRIBUTE, SLOT_PLACEHOLDER, formatMarker, parseMarker } from '@splice/manifest';
import type { ComponentRef, ContextPath, HookRecord, InstanceState, JsonValue } from '@splice/manifest';
import { SpliceContext } from './SpliceProvider';

/** A DOM means a browser render: hydration or client-side navigation, never a source page. */
export const IN_BROWSER = typeof document !== 'undefined';

export interface SpliceRootProps {
  component: ComponentRef;
  /** The props the instance received, before overrides. */
  incoming: object;
  /** What the instance returned. */
  child: ReactNode;
  /** The instance's boundary marker, used when `child` is not a host element (server only). */
  boundary: string | undefined;
  /** The package-hook calls the instance made in this render (source page only; see `useSpliceHook`). */
  hooks?: HookRecord[] | null;
}

/**
 * The root probe: the compiler puts it between a re-renderable component and each host element
 * it returns. Its `useId` is one tree level below the instance's own (the instance called
 * `useId` in `useSpliceProps`), and React's id of that level starts with a 1 bit: together the
 * two ids give the exact tree position (bit length included) that every `useId` inside the
 * instance derives from, which the edge needs to re-render it with the ids of a full render.
 *
 * In a server render it appends the instance state to the root's marker; when the instance
 * returned anything but one host element (a component element, a fragment, text, nothing), it
 * wraps it in a boundary element carrying that marker (see `BOUNDARY_TAG`): a host element with
 * one child, which moves no `useId`, and which the edge removes before any browser sees it. In
 * the browser it renders the child as it is (it still calls `useId`, so both trees have the same
 * shape).
 */
export function SpliceRoot({ component, incoming, child, boundary, hooks }: SpliceRootProps) {
  const tree = useId();
  // Constant for the life of the bundle, so the hooks below are called in the same order always.
  if (IN_BROWSER) return child;
  const render = component.render;
  const own = boundary === undefined ? null : parseMarker(boundary);
  const rootMarker = isValidElement(child) && typeof child.type === 'string' ? (child.props as Record<string, unknown>)[MARKER_ATTRIBUTE] : undefined;
  const parsedRoot = typeof rootMarker === 'string' ? parseMarker(rootMarker) : null;
  // A host element carries the root marker only if it is this instance's own (not an element it
  // received from its parent, marked by that parent or not at all): else it gets a boundary.
  const host = parsedRoot !== null && own !== null && parsedRoot.key === own.key && parsedRoot.instance === own.instance;
  // In an edge re-render (no state) the boundary still marks where the instance starts and ends.
  const withState = render !== undefined && useContext(SpliceContext)?.instanceState !== false;
  const contexts: unknown[] = [];
  // A fixed list per component: the same hooks in the same order on every render.
  if (withState && render !== undefined) for (const c of render.contexts()) contexts.push(useContext(c as Context<unknown>));
  const parsed = host ? parsedRoot : own;
  if (parsed === null) return child;
  if (withState && render !== undefined) parsed.state = stateJson(instanceState(incoming as Record<string, unknown>, render.reads, contexts, render.descendantContexts ?? contexts.length, tree, render.slots ?? [], hooks ?? []));
  if (host) return cloneElement(child as ReactElement, { [MARKER_ATTRIBUTE]: formatMarker(parsed) } as object);
  return createElement(BOUNDARY_TAG, { [MARKER_ATTRIBUTE]: formatMarker(parsed) }, child);
}

/**
 * The state rides in the root's marker attribute, HTML-escaped: beyond this (in UTF-8 bytes) the
 * tag would pass the scan's limit on one tag (64 KB), and the edge could no longer patch even the
 * root's value holes.
 */
const MAX_STATE_BYTES = 32 * 1024;

function stateJson(state: InstanceState): string {
  const json = JSON.stringify(state);
  let escaped = json.length;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    // React writes `"` as &quot; and `'` as &#x27; (+5), `&` as &amp; (+4), `<` and `>` as &lt; &gt; (+3);
    // the scan counts UTF-8 bytes (a surrogate pair is two code units for four bytes).
    if (c === 0x22 || c === 0x27) escaped += 5;
    else if (c === 0x26) escaped += 4;
    else if (c === 0x3c || c === 0x3e) escaped += 3;
    else if (c >= 0x800) escaped += c >= 0xd800 && c <= 0xdfff ? 1 : 2;
    else if (c >= 0x80) escaped += 1;
  }
  return escaped <= MAX_STATE_BYTES ? json : JSON.stringify({ refused: `its state (props, contexts, package-hook records) takes ${Math.ceil(escaped / 1024)} KB in the page, more than ${MAX_STATE_BYTES / 1024} KB` });
}

function instanceState(props: Record<string, unknown>, reads: readonly string[] | null, contexts: unknown[], descendants: number, tree: string, slots: readonly string[], hooks: HookRecord[]): InstanceState {
  const picked: Record<string, JsonValue> = {};
  for (const name of reads ?? Object.keys(props)) {
    if (!Object.prototype.hasOwnProperty.call(props, name)) continue;
    const value = props[name];
    // A function renders nothing into HTML (handlers are attached at hydration): left out, the
    // edge renders without it; should the HTML depend on it, the edge's first-render check sees it.
    if (value === undefined || typeof value === 'function') continue;
    const problem = notJson(value, 0);
    if (problem !== null && slots.includes(name) && holdsElements(value)) {
      // Rendered in place inside a slot: the edge keeps its cached bytes.
      picked[name] = SLOT_PLACEHOLDER as unknown as JsonValue;
      continue;
    }
    if (problem !== null) return { refused: `prop ${JSON.stringify(name)} ${problem}` };
    picked[name] = value as JsonValue;
  }
  const values = contexts.map((c) => (c === undefined ? null : c)) as JsonValue[];
  const functions: ContextPath[] = [];
  for (let i = 0; i < contexts.length; i++) {
    // Functions in a context (a cart's `add`, an auth context's `signOut`) run on events, not in
    // a render: recorded as where they are, so the edge puts a function there that fails the
    // re-render if a render does call it; JSON leaves them out of the value.
    const found: ContextPath[] = [];
    const problem = notJson(contexts[i], 0, [i], found);
    if (problem === null) {
      functions.push(...found);
      // JSON of a value with functions need not be its data: a `toJSON` method writes what it
      // returns instead (a session that keeps its email out of logs). The record is the data the
      // render sees, functions left out; `toJSON` is one more of them.
      if (found.length > 0) values[i] = dataOf(contexts[i]);
      continue;
    }
    // Left out, a descendant's (a Date, a Map) would render under the context's default, and a
    // child that only an override shows is never in the cached page for the edge's first-render
    // check to compare: refused, as the component's own.
    return { refused: `context ${i}${i >= descendants ? ' (read by a component it renders)' : ''} ${problem}` };
  }
  const state: InstanceState = { props: picked, contexts: values, tree };
  if (functions.length > MAX_CONTEXT_FUNCTIONS) return { refused: `its contexts hold ${functions.length} functions, more than ${MAX_CONTEXT_FUNCTIONS}` };
  if (functions.length > 0) state.functions = functions;
  if (hooks.length > 0) {
    if (hooks.some((h) => h.ids < 0)) return { refused: 'Splice cannot count the ids a package hook takes under this version of React (its dispatcher is not where React 19 keeps it)' };
    state.hooks = hooks;
  }
  return state;
}

/** React elements, or a list holding some (what a slot keeps). */
function holdsElements(value: unknown): boolean {
  return isValidElement(value) || (Array.isArray(value) && value.some((v) => holdsElements(v)));
}

/**
 * Why a value does not survive JSON unchanged (then the edge could not re-render it), or null.
 * With `functions`, a function is not a reason: its path (from `path`) goes there instead.
 */
// `path`: where `value` is, as a stack the walk pushes onto and pops (copied only where a
// function is found, not for every key of a large context value).
function notJson(value: unknown, depth: number, path?: ContextPath, functions?: ContextPath[]): string | null {
  if (depth > 32) return 'is nested too deeply';
  if (typeof value === 'function' && functions !== undefined && path !== undefined) {
    functions.push([...path]);
    return null;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'holds a non-finite number';
    // JSON writes -0 as 0: the edge would re-render with 0 (`(-0).toLocaleString()` is "-0").
    return Object.is(value, -0) ? 'holds -0 (JSON writes it as 0)' : null;
  }
  if (typeof value === 'function') return 'holds a function';
  if (typeof value !== 'object') return `holds a ${typeof value}`;
  if (isValidElement(value)) return 'holds React elements (children are not re-created at the edge)';
  const child = (v: unknown, key: string | number): string | null => {
    path?.push(key);
    const p = notJson(v, depth + 1, path, functions);
    path?.pop();
    return p;
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v === undefined) return 'holds undefined in an array';
      const p = child(v, i);
      if (p !== null) return p;
    }
    return null;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return 'holds an object that is not plain JSON (a Date, Map, class instance)';
  for (const [k, v] of Object.entries(value)) { if (v === undefined) continue; const p = child(v, k); if (p !== null) return p; }
  return null;
}

/**
 * A value `notJson` accepted, with its functions left out as JSON leaves them (null in a list,
 * no key in an object), as plain objects and lists: JSON of it is its data, whatever methods
 * (`toJSON`) the value had.
 */
function dataOf(value: unknown): JsonValue {
  if (typeof value === 'function') return null;
  if (Array.isArray(value)) return value.map((v: unknown) => dataOf(v));
  if (typeof value !== 'object' || value === null) return value as JsonValue;
  // As own data properties: a key `__proto__` stays a key.
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function').map(([k, v]) => [k, dataOf(v)])) as JsonValue;
}

/** More functions than any context holds: a state that size is not worth keeping. */
const MAX_CONTEXT_FUNCTIONS = 256;
