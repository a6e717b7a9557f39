import { hashString } from './hash';

/**
 * Contract 1, marker format 2. Markers exist only in the *source page*: the HTML a server render
 * of the instrumented app writes. They never reach a browser. The edge (once per cache fill) or
 * the build (for a prerendered page) removes them in one context-aware pass, `preparePage`, which
 * records where they were in a page index; every request then patches the marker-free *base
 * page* through that index. The browser render writes no marker, so the base page is exactly
 * what hydration renders. See the package README for the designs compared and their numbers.
 *
 * A marker is this attribute, written first on each marked host element: the root element of
 * every instrumented component instance (where the instance starts) and each element holding a
 * value hole; other elements carry nothing. Its value is `key element instance[ mask]`,
 * space-separated:
 * - `key`: the component key (`Name.hash`), never containing a space;
 * - `element`: the element's index in the component's `elements` table;
 * - `instance`: the component instance's `useId()`, equal on server and at hydration;
 * - `#ordinal`: the instance's position among the component's instances in render order (what
 *   `instance: n` means), counted by `SpliceProvider` for every instance, also one that renders
 *   nothing: the page alone cannot tell those apart;
 * - `mask`: only for elements with two or more text holes, one `1`/`0` per text hole, `1` when
 *   the hole renders something. React writes empty text as nothing, so without the mask the
 *   edge could not tell which hole a text run belongs to. Left out when a hole rendered more
 *   than one run (`textMask`).
 *
 * The root marker of an instance of a re-renderable component (one with structural props) adds
 * `|` and its `InstanceState` as JSON: the props and contexts it read and its tree position. It
 * goes from the source page into the page index, so it costs the browser's page nothing.
 *
 * Where such an instance's return value is not one host element (a component element, a
 * fragment, text, `null`), there is no root element to carry the marker: the source page wraps
 * what it rendered in a *boundary*, `<splice-region data-splice="…">…</splice-region>`, whose two
 * tags `preparePage` removes whole. The boundary's marker has element index 0 (it names no
 * element). Removing the tags can bring two text nodes together, which React separates with
 * `<!-- -->`: the scan writes the separator there, exactly as the render without boundaries
 * does, so the base page stays byte-identical to it.
 */
export const MARKER_ATTRIBUTE = 'data-splice';

/** The element that bounds an instance whose return value is not one host element (source page only). */
export const BOUNDARY_TAG = 'splice-region';

/**
 * The element around elements a re-renderable instance received from its parent (its `children`,
 * or another prop holding elements) where it renders them in place. In the source page it holds
 * them, with the marker `key n instance` (`n`: the slot's number in the component); the edge keeps
 * those bytes. In an edge re-render it is empty: the instance's state records the prop as
 * `SLOT_PLACEHOLDER`, and the edge puts the cached bytes of slot `n` back in its place. Removed
 * whole, like a boundary.
 */
export const SLOT_TAG = 'splice-slot';

/** What an instance's state records for a prop holding elements that the edge keeps (see `SLOT_TAG`). */
export const SLOT_PLACEHOLDER = /* @__PURE__ */ Object.freeze({ $splice: 'slot' });

export function isSlotPlaceholder(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { $splice?: unknown }).$splice === 'slot' && Object.keys(value).length === 1;
}

/** Version of the marker format and of the page index built from it. */
export const MARKER_FORMAT = 4;

/** React's separator between adjacent text nodes. */
export const TEXT_SEPARATOR = '<!-- -->';

export const BOOTSTRAP_ELEMENT_ID = '__SPLICE__';

export interface Marker {
  key: string;
  element: number;
  instance: string;
  /** Render-order position among the component's instances; absent outside a `SpliceProvider`. */
  ordinal?: number;
  mask?: string;
  /** The `InstanceState` JSON of a re-renderable instance's root (unparsed). */
  state?: string;
}

/** Separates a root marker from the instance state after it. */
export const MARKER_STATE_SEPARATOR = '|';

export function formatMarker(marker: Marker): string {
  let base = `${marker.key} ${marker.element} ${marker.instance}`;
  if (marker.ordinal !== undefined) base += ` #${marker.ordinal}`;
  const withMask = marker.mask === undefined ? base : `${base} ${marker.mask}`;
  return marker.state === undefined ? withMask : `${withMask}${MARKER_STATE_SEPARATOR}${marker.state}`;
}

/**
 * `null` for anything that is not a well-formed marker: the edge then leaves the element alone.
 *
 * `key element instance [#ordinal] [mask][|state]`, fields separated by single spaces: `element`
 * 1–6 digits, `ordinal` 1–9 digits, `mask` 2–64 of `0`/`1`, `key` and `instance` non-empty.
 * Written by hand, one pass over the fields, no `split` or regular expressions: the scan runs it
 * for every marker of every page it prepares and of every re-render, where it was a fifth of a
 * card's scan. `test/marker.test.ts` holds it to the plain definition on random input.
 */
export function parseMarker(text: string): Marker | null {
  const cut = text.indexOf(MARKER_STATE_SEPARATOR);
  const end = cut < 0 ? text.length : cut;
  // Up to five fields: a sixth space makes it malformed.
  const starts = [0, -1, -1, -1, -1];
  const ends = [end, -1, -1, -1, -1];
  let fields = 1;
  for (let i = text.indexOf(' '); i >= 0 && i < end; i = text.indexOf(' ', i + 1)) {
    if (fields === 5) return null;
    ends[fields - 1] = i;
    starts[fields] = i + 1;
    ends[fields] = end;
    fields++;
  }
  if (fields < 3) return null;
  const key = text.slice(0, ends[0]);
  const instance = text.slice(starts[2]!, ends[2]);
  if (key === '' || instance === '' || !digits(text, starts[1]!, ends[1]!, 1, 6)) return null;
  const marker: Marker = { key, element: Number(text.slice(starts[1], ends[1])), instance };
  let next = 3;
  if (next < fields && text.charCodeAt(starts[next]!) === 0x23 /* # */ && digits(text, starts[next]! + 1, ends[next]!, 1, 9)) {
    marker.ordinal = Number(text.slice(starts[next]! + 1, ends[next]));
    next++;
  }
  if (fields - next > 1) return null;
  if (next < fields) {
    const from = starts[next]!;
    const to = ends[next]!;
    if (to - from < 2 || to - from > 64) return null;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x30 && c !== 0x31) return null;
    }
    marker.mask = text.slice(from, to);
  }
  if (cut >= 0) marker.state = text.slice(cut + 1);
  return marker;
}

/** `text[from, to)` is `min` to `max` ASCII digits. */
function digits(text: string, from: number, to: number, min: number, max: number): boolean {
  if (to - from < min || to - from > max) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * The component key. It hashes the file, the name and the analysis (the elements table), so a
 * manifest from another build cannot patch a page whose component changed: its markers carry a
 * key the manifest does not know, and the edge leaves them alone (contract 5).
 */
export function componentKey(name: string, file: string, analysis: string): string {
  // The format is hashed in too: a page marked under another format never matches a key.
  return `${name}.${hashString(`${MARKER_FORMAT}\n${file}#${name}\n${analysis}`)}`;
}

/** Does an override's `component` name this component? (Contract 3.) */
export function overrideNames(component: string, ref: { key: string; name: string; file: string }): boolean {
  return component === ref.name || component === ref.key || component === `${ref.file}#${ref.name}`;
}
