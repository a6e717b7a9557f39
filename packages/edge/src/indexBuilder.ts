import { MARKER_FORMAT } from '@splice/manifest';
import type { Marker } from '@splice/manifest';
import { MAX_ORDINAL } from './pageIndex';
import type { IndexedInstance, IndexedSite, IndexedSlot, PageIndex } from './pageIndex';

const adopted = new WeakMap<PageIndex, IndexBuilder>();

/** `contentEnd` of a site whose content the scanner has not reached the end of yet. */
export const PENDING = -2;

/**
 * Bytes after a `</body>` within which a later `</body>` takes over as the bootstrap's place.
 * Past it the earlier one is final: the patcher never holds more than this for the bootstrap,
 * and the choice depends on the bytes alone, never on how they were chunked.
 */
export const BODY_WINDOW = 64 * 1024;

/**
 * A page index as it grows during a scan. The patcher of the same stream reads it live: a site
 * is registered before any of its bytes are handed on, so the patcher never meets a site late.
 * With `complete` set it is a finished `PageIndex`.
 */
export class IndexBuilder {
  instances: IndexedInstance[] = [];
  sites: IndexedSite[] = [];
  slots: IndexedSlot[] = [];
  bodyEnd = -1;
  /** No later `</body>` can replace `bodyEnd` any more. */
  bodyFinal = false;
  complete = false;
  length = 0;
  closer: string | null = '';
  private readonly byIdentity = new Map<string, number>();
  private readonly perKey = new Map<string, number>();

  /** Adopts a finished index (the fast path): everything is known before the first byte. */
  static from(index: PageIndex): IndexBuilder {
    // Read-only from here on: one per index object, not one per request.
    const known = adopted.get(index);
    if (known !== undefined) return known;
    const b = new IndexBuilder();
    // Shared, not copied: a finished index is only read.
    b.instances = index.instances;
    b.sites = index.sites;
    b.slots = index.slots;
    b.bodyEnd = index.bodyEnd;
    b.bodyFinal = true;
    b.complete = true;
    b.length = index.length;
    b.closer = index.closer;
    adopted.set(index, b);
    return b;
  }

  addSite(marker: Marker, instanceId: string, start: number, tag: string, tagEnd: number, hasContent: boolean, state?: unknown): IndexedSite {
    const site: IndexedSite = { instance: this.instanceOf(marker, instanceId, start, state), element: marker.element, start, tag, tagEnd, contentEnd: hasContent ? PENDING : -1, closed: false };
    if (marker.mask !== undefined) site.mask = marker.mask;
    this.sites.push(site);
    return site;
  }

  /** A slot of an instance already met (its root comes first); null for one of no known instance. */
  addSlot(key: string, instanceId: string, n: number, start: number): IndexedSlot | null {
    const instance = this.byIdentity.get(`${key} ${instanceId}`);
    if (instance === undefined) return null;
    const slot: IndexedSlot = { instance, n, start, end: -1 };
    this.slots.push(slot);
    return slot;
  }

  /** A boundary (removed): its instance's range starts at `start`; its site marks no element. */
  addBoundary(marker: Marker, instanceId: string, start: number, state?: unknown): IndexedSite {
    const site: IndexedSite = { instance: this.instanceOf(marker, instanceId, start, state), element: 0, start, tag: '', tagEnd: start, contentEnd: -1, closed: false, boundary: true };
    this.sites.push(site);
    return site;
  }

  /** The innermost instance open where the next site is added (set by the scan), or -1. */
  openParent = -1;

  /** The last site added began its instance (its first marker: the root element or boundary). */
  startedInstance = false;

  private instanceOf(marker: Marker, instanceId: string, start: number, state: unknown): number {
    const identity = `${marker.key} ${instanceId}`;
    let instance = this.byIdentity.get(identity);
    this.startedInstance = instance === undefined;
    if (instance === undefined) {
      // The render-order position the marker carries: an instance that rendered nothing has no
      // marker, so counting markers would shift every later instance. Kept increasing per key.
      const next = this.perKey.get(marker.key) ?? 0;
      const ordinal = marker.ordinal !== undefined && marker.ordinal >= next && marker.ordinal <= MAX_ORDINAL ? marker.ordinal : next;
      this.perKey.set(marker.key, ordinal + 1);
      instance = this.instances.length;
      const inst: IndexedInstance = { key: marker.key, id: instanceId, ordinal, start, end: -1 };
      if (state !== undefined) inst.state = state;
      if (this.openParent >= 0) inst.parent = this.openParent;
      this.instances.push(inst);
      this.byIdentity.set(identity, instance);
    }
    return instance;
  }

  /** A `</body>` in markup context at `at`: it takes over if it starts within the window. */
  bodyEndTag(at: number): void {
    if (this.bodyFinal) return;
    if (this.bodyEnd >= 0 && at - this.bodyEnd > BODY_WINDOW) { this.bodyFinal = true; return; }
    this.bodyEnd = at;
  }

  /**
   * No `</body>` can start before `at` any more (the scan has passed it, and any tag still being
   * read starts at or after it): an old enough one is final. Chunk ends call this, so it only
   * ever settles early what `bodyEndTag` would decide the same way later.
   */
  reached(at: number): void {
    if (!this.bodyFinal && this.bodyEnd >= 0 && at - this.bodyEnd > BODY_WINDOW) this.bodyFinal = true;
  }

  finish(length: number, closer: string | null): void {
    for (const s of this.sites) if (s.contentEnd === PENDING) s.contentEnd = -1;
    this.length = length;
    this.closer = closer;
    this.bodyFinal = true;
    this.complete = true;
  }

  toJSON(): PageIndex {
    return {
      format: MARKER_FORMAT,
      length: this.length,
      instances: this.instances.map((i) => ({ ...i })),
      sites: this.sites.map((s) => ({ ...s })),
      // A slot whose end never came is left out: nothing can be kept from it.
      slots: this.slots.filter((s) => s.end >= 0).map((s) => ({ ...s })),
      bodyEnd: this.bodyEnd,
      closer: this.closer,
    };
  }
}
