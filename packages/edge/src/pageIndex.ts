import { MARKER_FORMAT } from '@splice/manifest';

/**
 * Where the marked elements of one base page are, in bytes. Produced once, when a page enters
 * the cache (or at build time for a prerendered page), by the context-aware scan that also
 * removes the markers (`preparePage`); read on every hit, so that the patcher never searches
 * the page (work per cache fill is amortized over every hit).
 *
 * Every offset is into the base page: the page as the browser receives it, without markers.
 * Plain JSON, so it can be stored next to the page (a Cache API header, a build artifact).
 */
export interface PageIndex {
  /** The marker format the page was scanned under (`MARKER_FORMAT`). */
  format: typeof MARKER_FORMAT;
  /** Length of the base page in bytes: a page of another length is not the page indexed. */
  length: number;
  /** Component instances in document order of their first marked element. */
  instances: IndexedInstance[];
  /** Marked elements in document order. */
  sites: IndexedSite[];
  /** Slots (elements an instance received, kept around its re-render), in document order. */
  slots: IndexedSlot[];
  /** Offset of the `</body>` in markup context that receives the bootstrap, or -1. */
  bodyEnd: number;
  /**
   * Bytes that close the tokenizer context the page ends in ('' when it ends in markup): a page
   * without `</body>` gets the bootstrap after them, so that it is markup wherever it lands.
   * `null` when nothing can close it (`<plaintext>`): then no bootstrap can be placed.
   */
  closer: string | null;
}

export interface IndexedInstance {
  /** Component key (`Name.hash`). */
  key: string;
  /** The instance's `useId()`, as the client sees it. */
  id: string;
  /** Render-order position among instances of the same key (what `instance: n` names); increasing in document order, with gaps where an instance rendered nothing. */
  ordinal: number;
  /**
   * Offset of the `<` of the instance's first marked element (its root, when it has one); for
   * an instance in a boundary, where the boundary's content starts (a separator the scan wrote
   * there is part of it).
   */
  start: number;
  /**
   * Offset just after the end tag that closes that element, or where a boundary's content ends
   * (before any separator the scan wrote there); -1 when the page never closes it.
   */
  end: number;
  /**
   * For an instance of a re-renderable component: what its root marker carried (`InstanceState`
   * as JSON: its props, contexts and tree position, or why it cannot be re-rendered). Checked
   * against the manifest when a re-render needs it.
   */
  state?: unknown;
  /**
   * The innermost instance open where this one starts. It tells an instance that renders nothing
   * at the very end of a boundary (start = that boundary's end) from one right after it.
   */
  parent?: number;
}

export interface IndexedSite {
  /** Index into `instances`. */
  instance: number;
  /** Index into the component's `elements` table. */
  element: number;
  /** The marker's text-hole mask, for elements with two or more text holes. */
  mask?: string;
  /** Offset of the start tag's `<`. */
  start: number;
  /** Tag name as written (lower case for React output). */
  tag: string;
  /** Offset of the `>` that ends the start tag. */
  tagEnd: number;
  /**
   * Offset of the first `<` after the start tag that does not open a comment: where text-only
   * content ends. -1 for a void or self-closed element, or a page that ends first.
   */
  contentEnd: number;
  /** True when `contentEnd` is the start of an end tag (`</`): the content is text runs only. */
  closed: boolean;
  /**
   * A boundary, not an element: where an instance whose return value is not one host element
   * starts (see `BOUNDARY_TAG`). Then `tag` is '', `tagEnd` equals `start`, and the next site may
   * start at the same offset.
   */
  boundary?: true;
}

/** Elements an instance received and rendered in place (see `SLOT_TAG`): what a re-render keeps. */
export interface IndexedSlot {
  /** Index into `instances`: the instance that received them. */
  instance: number;
  /** The slot's number in its component. */
  n: number;
  /** Where the slot's content starts (a separator the scan wrote there is part of it) and ends. */
  start: number;
  end: number;
}

/** More instances of one component than any page holds: an index that says so is not the scan's. */
export const MAX_ORDINAL = 1 << 20;

export class PageIndexError extends Error {
  override name = 'PageIndexError';
}

/**
 * Checks an untrusted index (read back from a cache or a file). Throws a `PageIndexError` that
 * names the field; the patcher then scans nothing and passes the page through.
 */
export function validatePageIndex(value: unknown): PageIndex {
  // A worker holds its indexes for many requests: check each object once (like the manifest).
  if (typeof value === 'object' && value !== null && validated.has(value)) return value as PageIndex;
  const v = checkPageIndex(value);
  validated.add(v);
  return v;
}

const validated = new WeakSet<object>();

function checkPageIndex(value: unknown): PageIndex {
  const v = value as PageIndex;
  if (typeof v !== 'object' || v === null) throw new PageIndexError('page index: expected an object');
  if (v.format !== MARKER_FORMAT) {
    throw new PageIndexError(`page index: format ${String(v.format)} is not ${MARKER_FORMAT}; prepare the page again with this version of @splice/edge`);
  }
  if (!isOffset(v.length)) throw new PageIndexError('page index: length must be a non-negative integer');
  if (!Array.isArray(v.instances) || !Array.isArray(v.sites)) throw new PageIndexError('page index: instances and sites must be arrays');
  if (!(v.bodyEnd === -1 || (isOffset(v.bodyEnd) && v.bodyEnd < v.length))) throw new PageIndexError('page index: bodyEnd is out of range');
  // The closer is written into the page: only what the scan itself can produce is accepted.
  if (!(v.closer === null || (typeof v.closer === 'string' && CLOSER.test(v.closer)))) {
    throw new PageIndexError('page index: closer is not one the scan writes');
  }
  const nextOrdinal = new Map<string, number>();
  let lastStart = -1;
  for (let i = 0; i < v.instances.length; i++) {
    const inst = v.instances[i];
    if (typeof inst !== 'object' || inst === null || typeof inst.key !== 'string' || typeof inst.id !== 'string'
      || !isOffset(inst.ordinal) || !isOffset(inst.start) || !(inst.end === -1 || (isOffset(inst.end) && inst.end <= v.length && inst.end >= inst.start))
      || !(inst.state === undefined || (typeof inst.state === 'object' && inst.state !== null))
      || !(inst.parent === undefined || (isOffset(inst.parent) && inst.parent < i && v.instances[inst.parent]!.start <= inst.start
        && (v.instances[inst.parent]!.end === -1 || inst.start <= v.instances[inst.parent]!.end)))) {
      throw new PageIndexError(`page index: instances[${i}] is malformed`);
    }
    // Ordinals are each component's instances in render order, from 0 (what `instance: n` means),
    // increasing in document order; an instance that rendered nothing leaves a gap.
    // A boundary may be empty, also at the very end of the page.
    if (inst.ordinal < (nextOrdinal.get(inst.key) ?? 0) || inst.ordinal > MAX_ORDINAL || inst.start < lastStart || inst.start > v.length) {
      throw new PageIndexError(`page index: instances[${i}] is out of order`);
    }
    nextOrdinal.set(inst.key, inst.ordinal + 1);
    lastStart = inst.start;
  }
  if (!Array.isArray(v.slots)) throw new PageIndexError('page index: slots must be an array');
  let lastSlot = -1;
  for (let i = 0; i < v.slots.length; i++) {
    const s = v.slots[i] as IndexedSlot;
    const inst = typeof s === 'object' && s !== null && isOffset(s.instance) ? v.instances[s.instance] : undefined;
    const ok = inst !== undefined && isOffset(s.n) && isOffset(s.start) && isOffset(s.end) && s.start <= s.end && s.end <= v.length
      && s.start >= lastSlot && s.start >= inst.start && (inst.end === -1 || s.end <= inst.end);
    if (!ok) throw new PageIndexError(`page index: slots[${i}] is malformed or out of order`);
    lastSlot = s.start;
  }
  let lastTagEnd = -1;
  let lastContentEnd = -1;
  for (let i = 0; i < v.sites.length; i++) {
    const s = v.sites[i] as IndexedSite;
    if (typeof s === 'object' && s !== null && s.boundary !== undefined) {
      const okBoundary = s.boundary === true && isOffset(s.instance) && s.instance < v.instances.length && s.element === 0 && s.tag === ''
        && isOffset(s.start) && s.start > lastTagEnd && s.start >= lastContentEnd && s.start <= v.length
        && s.tagEnd === s.start && s.contentEnd === -1 && s.closed === false && s.mask === undefined
        && (v.instances[s.instance] as IndexedInstance).start === s.start;
      if (!okBoundary) throw new PageIndexError(`page index: sites[${i}] is a malformed boundary`);
      // The next site may start here: an element at the start of the boundary's content.
      lastTagEnd = s.start - 1;
      continue;
    }
    const ok = typeof s === 'object' && s !== null
      && isOffset(s.instance) && s.instance < v.instances.length
      && isOffset(s.element) && typeof s.tag === 'string' && /^[A-Za-z][^\s/>]*$/.test(s.tag)
      && isOffset(s.start) && s.start > lastTagEnd && s.start >= lastContentEnd && isOffset(s.tagEnd) && s.tagEnd > s.start && s.tagEnd < v.length
      && (s.contentEnd === -1 || (isOffset(s.contentEnd) && s.contentEnd > s.tagEnd && s.contentEnd <= v.length))
      && typeof s.closed === 'boolean'
      && (s.mask === undefined || (typeof s.mask === 'string' && /^[01]{2,64}$/.test(s.mask)));
    if (!ok || (v.instances[s.instance] as IndexedInstance).start > s.start) {
      throw new PageIndexError(`page index: sites[${i}] is malformed or out of order`);
    }
    // A `</body>` in markup context is never inside a start tag or a text run. The bootstrap's
    // check of its bytes comes after an edit there has rewritten them: the edit would be written
    // and the bootstrap that names it refused.
    if (v.bodyEnd > s.start && v.bodyEnd < Math.max(s.tagEnd + 1, s.contentEnd)) {
      throw new PageIndexError(`page index: bodyEnd is inside sites[${i}]`);
    }
    // Sites never overlap: a later one starts after the earlier one's start tag and text.
    lastTagEnd = s.tagEnd;
    lastContentEnd = s.contentEnd;
  }
  return v;
}

/** Every closer the scan can write: a token's, a raw-text element's, a foreign island's, templates. */
const CLOSER = /^(|>|">|'>|-->|\]\]>|--><\/script>)(<\/(script|style|xmp|iframe|noembed|noframes|noscript|textarea|title|template|svg|math)>)?(<\/(svg|math)>)?(<\/template>)*$/;

function isOffset(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}
