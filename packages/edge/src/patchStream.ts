import { MARKER_NEEDLE, parseMarker } from '@splice/manifest';
import type { JsonValue, Marker, SpliceManifest } from '@splice/manifest';
import { decodeStrict, encoder as textEncoder, findNeedle, join, needle, prefixTail } from './bytes';
import type { Needle } from './bytes';
import { bootstrapBytes } from './bootstrap';
import { affected, compileElement, patchElement } from './patchElement';
import type { CompiledElement, ElementLayout } from './patchElement';
import { hasOwn } from './util';
import { validManifest } from './validManifest';
import { effectiveProps, planOverrides } from './plan';
import type { PatchOptions, PatchReport, PlanResult, SkippedOverride } from './types';

/**
 * `=` occurs once per attribute and almost never in text, so it is the byte of the needle we let
 * the native `indexOf` look for (hyphens fill Tailwind class lists, quotes come twice per attribute).
 */
const MARKER = needle(MARKER_NEEDLE, '=');
/** Where the bootstrap goes. React writes it in lower case; `/` is rarer than `<` in markup. */
const BODY_END = needle('</body>', '/');
const NEEDLE_LEN = MARKER.bytes.length;

const QUOTE = 0x22, GT = 0x3e, LT = 0x3c, BANG = 0x21, SLASH = 0x2f;
const MAX_PROBLEMS = 50;

type Mode = 'scan' | 'marker' | 'tag' | 'content' | 'pass';

interface Target {
  marker: Marker;
  element: CompiledElement;
  props: Readonly<Record<string, JsonValue>>;
  names: ReadonlySet<string>;
  needText: boolean;
  valueEnd: number;
  tagEnd: number;
}

/**
 * The patcher as a push parser over byte chunks. Invariant: every input byte is either already
 * emitted, held in `pending`, or in the current chunk at or after `pos`. That invariant is what
 * lets any failure fall back to a byte-exact pass-through.
 *
 * Only markers are looked for, never HTML in general (DESIGN.md, performance): between markers
 * the bytes leave as views of the input chunks. Only a marked element that an override reaches
 * is buffered, from its marker to the end of its start tag (and of its text, when text changes).
 */
class Patcher {
  private mode: Mode = 'scan';
  private pending: Uint8Array[] = [];
  private pendingLen = 0;
  private chunk: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private target: Target | null = null;
  /** In content mode: the last buffered byte is a `<` whose next byte is not known yet. */
  private ltPending = false;

  private firstMarkerSeen = false;
  private knownSeen = false;
  private bootstrapDone = false;
  /** Set when the stream gave up after patching: the bootstrap goes after the last byte. */
  private bootstrapAtEnd = false;
  private searchBody = false;
  /** Cached `</body>` search for the current chunk, so each chunk is searched for it once. */
  private bodyCache: { chunk: Uint8Array; from: number; at: number } | null = null;

  /** Per planned component key: instance ids in order of first appearance (index = ordinal). */
  private readonly instanceIds = new Map<string, string[]>();
  private readonly ordinals = new Map<string, Map<string, number>>();
  private readonly effective = new Map<string, ReturnType<typeof effectiveProps>>();
  private readonly compiled = new Map<string, (CompiledElement | undefined)[]>();

  readonly report: PatchReport;
  private readonly markerValueMax: number;
  private readonly elementMax: number;

  constructor(
    private readonly manifest: SpliceManifest,
    private readonly planned: PlanResult,
    private readonly options: PatchOptions,
    private readonly emit: (bytes: Uint8Array) => void,
  ) {
    this.report = { stale: false, markers: 0, patchedElements: 0, skipped: planned.skipped, problems: [] };
    this.markerValueMax = limit(options.limits?.markerValueBytes, 16, 512);
    this.elementMax = limit(options.limits?.elementBytes, 64, 256 * 1024);
  }

  problem(message: string): void {
    const problems = this.report.problems;
    if (problems.length < MAX_PROBLEMS) problems.push(message);
    else if (problems.length === MAX_PROBLEMS) problems.push('… further problems not listed');
  }

  push(chunk: Uint8Array): void {
    if (this.mode === 'pass') { this.out(chunk); this.flushOut(); return; }
    this.chunk = chunk;
    this.pos = 0;
    try {
      for (;;) {
        let more: boolean;
        switch (this.mode as Mode) {
          case 'scan': more = this.scan(); break;
          case 'marker': more = this.readMarker(); break;
          case 'tag': more = this.readTag(); break;
          case 'content': more = this.readContent(); break;
          case 'pass': this.out(chunk.subarray(this.pos)); this.pos = chunk.length; more = true; break;
        }
        if (more) break;
      }
    } catch (error) {
      this.failOpen(error);
    }
    this.flushOut();
  }

  finish(): void {
    try {
      if (this.mode === 'marker' || this.mode === 'tag' || this.mode === 'content') {
        this.problem('stream ended inside a marked element; passed through');
      }
      this.flushPending();
      if (!this.bootstrapDone && (this.bootstrapAtEnd || (this.mode !== 'pass' && this.knownSeen))) this.injectBootstrap();
    } catch (error) {
      this.failOpen(error);
    }
    this.flushOut();
  }

  /**
   * Something unexpected threw: the rest of the page goes out exactly as it came in. If elements
   * were already patched, the client still needs the overrides that produced them to hydrate, so
   * the bootstrap is appended at the end (browsers move a trailing script into the body).
   */
  private failOpen(error: unknown): void {
    this.abandon(`internal error, passing the rest through: ${stringOf(error)}`);
  }

  /**
   * Gives up on the rest of the page (internal error, a chunk that is not bytes). The bootstrap is
   * not written here: this point can be anywhere, inside a tag or an attribute value. It goes
   * after the last byte, where browsers move a trailing script into the body.
   */
  abandon(why: string): void {
    this.problem(why);
    const wasPass = this.mode === 'pass';
    this.passThrough();
    if (!wasPass && this.report.patchedElements > 0) this.bootstrapAtEnd = true;
  }

  /** Puts the stream into pass-through for the rest of the page (stale page, or giving up). */
  passThrough(): void {
    this.mode = 'pass';
    this.flushPending();
    this.out(this.chunk.subarray(this.pos));
    this.pos = this.chunk.length;
  }

  /** Output not yet enqueued: a view that grows while the bytes stay contiguous in one chunk. */
  private outView: Uint8Array | null = null;

  /**
   * Every enqueue costs about as much as scanning kilobytes, so untouched stretches are not
   * split at markers: adjacent views of the same chunk are merged into one view (no copy) and
   * handed on once per input chunk, or when a rewritten piece has to follow them.
   */
  private out(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const v = this.outView;
    if (v !== null && v.buffer === bytes.buffer && v.byteOffset + v.length === bytes.byteOffset) {
      this.outView = new Uint8Array(v.buffer, v.byteOffset, v.length + bytes.length);
      return;
    }
    this.flushOut();
    this.outView = bytes;
  }

  flushOut(): void {
    const v = this.outView;
    this.outView = null;
    if (v !== null) this.emit(v);
  }

  private flushPending(): void {
    const pieces = this.pending;
    this.pending = [];
    this.pendingLen = 0;
    this.ltPending = false;
    this.target = null;
    for (const p of pieces) this.out(p);
  }

  private hold(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingLen += bytes.length;
  }

  private injectBootstrap(): void {
    this.bootstrapDone = true;
    this.searchBody = false;
    this.out(bootstrapBytes(this.manifest.buildId, this.options.assignments, this.planned.applied, this.instanceIds));
  }

  private needles(): Needle[] {
    return this.searchBody ? [MARKER, BODY_END] : [MARKER];
  }

  /** Earliest needle in `hay` from `from`. The `</body>` search is cached per chunk. */
  private findNext(hay: Uint8Array, from: number, cache: boolean): { at: number; body: boolean } | null {
    const marker = findNeedle(hay, from, MARKER);
    let body = -1;
    if (this.searchBody) {
      const c = this.bodyCache;
      if (cache && c !== null && c.chunk === hay && c.from <= from && (c.at === -1 || c.at >= from)) {
        body = c.at;
      } else {
        body = findNeedle(hay, from, BODY_END);
        if (cache) this.bodyCache = { chunk: hay, from, at: body };
      }
    }
    if (marker === -1 && body === -1) return null;
    if (body !== -1 && (marker === -1 || body < marker)) return { at: body, body: true };
    return { at: marker, body: false };
  }

  /** Scan state: `pending` holds at most a needle's length - 1 bytes carried over a chunk boundary. */
  private scan(): boolean {
    const chunk = this.chunk;
    if (this.pendingLen > 0) {
      // A needle may straddle the boundary: look at the carried bytes plus the head of this chunk.
      const carried = this.pendingLen;
      const head = chunk.subarray(this.pos, Math.min(chunk.length, this.pos + NEEDLE_LEN - 1));
      const tiny = join([...this.pending, head]).slice();
      const m = this.findNext(tiny, 0, false);
      if (m !== null && m.at < carried) {
        this.pending = [];
        this.pendingLen = 0;
        this.out(tiny.subarray(0, m.at));
        if (m.body) {
          this.injectBootstrap();
          this.hold(tiny.subarray(m.at, carried));
        } else {
          this.hold(tiny.subarray(m.at, m.at + NEEDLE_LEN));
          this.pos += m.at + NEEDLE_LEN - carried;
          this.mode = 'marker';
        }
        return false;
      }
      if (head.length === NEEDLE_LEN - 1 || (m !== null && m.at >= carried)) {
        // Nothing starts in the carried bytes: they can go.
        this.flushPending();
      } else {
        // The chunk is shorter than a needle: carry again, keeping only what may start one.
        const keep = prefixTail(tiny, 0, this.needles());
        this.pending = [];
        this.pendingLen = 0;
        this.out(tiny.subarray(0, tiny.length - keep));
        this.hold(tiny.subarray(tiny.length - keep));
        this.pos = chunk.length;
        return true;
      }
    }
    const m = this.findNext(chunk, this.pos, true);
    if (m === null) {
      const keep = prefixTail(chunk, this.pos, this.needles());
      this.out(chunk.subarray(this.pos, chunk.length - keep));
      this.hold(chunk.subarray(chunk.length - keep));
      this.pos = chunk.length;
      return true;
    }
    this.out(chunk.subarray(this.pos, m.at));
    this.pos = m.at;
    if (m.body) {
      // The `</body>` itself is emitted by the next scan step, after the script.
      this.injectBootstrap();
    } else {
      this.hold(chunk.subarray(m.at, m.at + NEEDLE_LEN));
      this.pos = m.at + NEEDLE_LEN;
      this.mode = 'marker';
    }
    return false;
  }

  /** Marker state: reading the value up to its closing quote (values never hold a raw `"`). */
  private readMarker(): boolean {
    const chunk = this.chunk;
    const budget = Math.max(0, this.markerValueMax - (this.pendingLen - NEEDLE_LEN));
    const limit = Math.min(chunk.length, this.pos + budget);
    const q = chunk.subarray(0, limit).indexOf(QUOTE, this.pos);
    if (q === -1) {
      if (this.pos + budget <= chunk.length) {
        // Cut at a fixed byte count, not at a chunk boundary, so the output does not depend on chunking.
        this.problem('marker value too long; passed through');
        this.hold(chunk.subarray(this.pos, this.pos + budget));
        this.pos += budget;
        this.mode = 'scan';
        this.flushPending();
        return false;
      }
      this.hold(chunk.subarray(this.pos));
      this.pos = chunk.length;
      return true;
    }
    this.hold(chunk.subarray(this.pos, q));
    this.pos = q;
    const buf = join(this.pending);
    this.pending = [buf];
    const target = this.decide(buf.subarray(NEEDLE_LEN), buf.length);
    if (this.mode === 'pass') return false; // stale page, decided by the first marker
    if (target === null) {
      this.mode = 'scan';
      this.flushPending();
    } else {
      this.target = target;
      this.mode = 'tag';
    }
    return false;
  }

  /** What to do with the element behind a marker value: `null` leaves it untouched. */
  private decide(valueBytes: Uint8Array, valueEnd: number): Target | null {
    const text = decodeMarker(valueBytes);
    const components = this.manifest.components;
    if (this.firstMarkerSeen && text !== null) {
      // Fast path for the common case: a known component no override names. Its key (the text
      // before the first space) is all that matters, so skip the full parse.
      const space = text.indexOf(' ');
      const key = space < 0 ? text : text.slice(0, space);
      if (space > 0 && !this.planned.plan.byKey.has(key) && hasOwn(components, key)) {
        this.report.markers++;
        return null;
      }
    }
    const marker = text === null ? null : parseMarker(text);
    if (marker === null) {
      this.problem(`malformed marker ${JSON.stringify(text ?? '(not UTF-8)')}`);
      return null;
    }
    this.report.markers++;
    const first = !this.firstMarkerSeen;
    this.firstMarkerSeen = true;
    if (!hasOwn(components, marker.key)) {
      if (first) {
        // Contract 5: the page comes from another build. Patching part of it, or telling the
        // client about overrides, would only produce a page that cannot hydrate cleanly.
        this.report.stale = true;
        this.problem(`stale page: first marker names ${JSON.stringify(marker.key)}, unknown to manifest ${this.manifest.buildId}`);
        this.passThrough();
        return null;
      }
      this.problem(`unknown component key ${JSON.stringify(marker.key)}; element left untouched`);
      return null;
    }
    this.knownSeen = true;
    if (!this.bootstrapDone) this.searchBody = true;
    const planned = this.planned.plan.byKey.get(marker.key);
    if (planned === undefined) return null;

    const instanceId = unescapeAttribute(marker.instance);
    let ordinals = this.ordinals.get(marker.key);
    if (ordinals === undefined) {
      this.ordinals.set(marker.key, (ordinals = new Map()));
      this.instanceIds.set(marker.key, []);
    }
    let ordinal = ordinals.get(instanceId);
    if (ordinal === undefined) {
      ordinal = ordinals.size;
      ordinals.set(instanceId, ordinal);
      this.instanceIds.get(marker.key)!.push(instanceId);
    }
    const cacheKey = `${marker.key} ${instanceId}`;
    let eff = this.effective.get(cacheKey);
    if (eff === undefined) {
      eff = effectiveProps(planned, ordinal, instanceId);
      this.effective.set(cacheKey, eff);
    }
    if (eff === null) return null;

    const element = this.compiledElement(marker.key, marker.element);
    if (element === undefined) {
      this.problem(`marker ${JSON.stringify(text)}: element ${marker.element} is not in the manifest`);
      return null;
    }
    const reach = affected(element, eff.names);
    if (!reach.attrs && !reach.text) return null;
    return { marker, element, props: eff.props, names: eff.names, needText: reach.text, valueEnd, tagEnd: -1 };
  }

  private compiledElement(key: string, index: number): CompiledElement | undefined {
    let list = this.compiled.get(key);
    if (list === undefined) this.compiled.set(key, (list = []));
    if (!(index in list)) {
      const entry = this.manifest.components[key]?.elements[index];
      list[index] = entry === undefined ? undefined : compileElement(entry);
    }
    return list[index];
  }

  /** How many more bytes this element may buffer before it is given up (passed through). */
  private budget(): number {
    return Math.max(0, this.elementMax - this.pendingLen);
  }

  private giveUp(at: number, why: string): void {
    this.problem(`marker ${formatForReport(this.target)}: ${why}; passed through`);
    this.hold(this.chunk.subarray(this.pos, at));
    this.pos = at;
    this.mode = 'scan';
    this.flushPending();
  }

  /** Tag state: buffering the start tag to its `>` (values are escaped: no raw `>` inside). */
  private readTag(): boolean {
    const chunk = this.chunk;
    const budget = this.budget();
    const limit = Math.min(chunk.length, this.pos + budget);
    const r = chunk.subarray(0, limit).indexOf(GT, this.pos);
    if (r === -1) {
      if (this.pos + budget <= chunk.length) { this.giveUp(this.pos + budget, 'start tag too long'); return false; }
      this.hold(chunk.subarray(this.pos));
      this.pos = chunk.length;
      return true;
    }
    const selfClosing = (r > this.pos ? chunk[r - 1] : lastByte(this.pending)) === SLASH;
    this.hold(chunk.subarray(this.pos, r + 1));
    this.pos = r + 1;
    const target = this.target as Target;
    target.tagEnd = this.pendingLen - 1;
    if (target.needText) {
      // `/>` ends a void element: what follows is the parent's content, not this element's text.
      if (selfClosing) { this.finishElement(undefined, 'void element has no text content'); return false; }
      this.mode = 'content';
      return false;
    }
    this.finishElement(undefined);
    return false;
  }

  /**
   * Content state: text runs and `<!-- -->` separators up to the closing tag. The content ends
   * at the first `<` not followed by `!`; if that is not `</`, the element is not text-only.
   */
  private readContent(): boolean {
    const chunk = this.chunk;
    if (this.ltPending) {
      this.ltPending = false;
      if (chunk.length === 0) { this.ltPending = true; return true; }
      if (chunk[0] !== BANG) {
        // The `<` is the last buffered byte: content ends before it; it goes back to scanning.
        this.finishElement(this.pendingLen - 1, chunk[0] === SLASH ? undefined : NOT_TEXT);
        return false;
      }
    }
    const budget = this.budget();
    const limit = Math.min(chunk.length, this.pos + budget);
    let from = this.pos;
    for (;;) {
      const lt = chunk.subarray(0, limit).indexOf(LT, from);
      if (lt === -1) break;
      if (lt + 1 === chunk.length) {
        this.hold(chunk.subarray(this.pos));
        this.pos = chunk.length;
        this.ltPending = true;
        return true;
      }
      if (chunk[lt + 1] !== BANG) {
        this.hold(chunk.subarray(this.pos, lt));
        this.pos = lt;
        this.finishElement(this.pendingLen, chunk[lt + 1] === SLASH ? undefined : NOT_TEXT);
        return false;
      }
      from = lt + 1;
    }
    if (this.pos + budget <= chunk.length) { this.giveUp(this.pos + budget, 'text content too long'); return false; }
    this.hold(chunk.subarray(this.pos));
    this.pos = chunk.length;
    return true;
  }

  /**
   * Rewrites the buffered element and sends it; bytes after `contentEnd` return to scanning.
   * With `refuse`, the element goes out untouched and the reason is reported.
   */
  private finishElement(contentEnd: number | undefined, refuse?: string): void {
    const target = this.target as Target;
    const buf = join(this.pending);
    const layout: ElementLayout = { valueStart: NEEDLE_LEN, valueEnd: target.valueEnd, tagEnd: target.tagEnd };
    const rest = contentEnd === undefined ? buf.subarray(buf.length) : buf.subarray(contentEnd);
    let pieces: Uint8Array[] | null = null;
    if (refuse !== undefined) {
      this.problem(`marker ${formatForReport(target)}: ${refuse}; left untouched`);
    } else {
      if (contentEnd !== undefined) layout.contentEnd = contentEnd;
      const result = patchElement(buf, layout, target.element, target.props, target.names, target.marker.mask);
      if (result.ok) pieces = result.pieces;
      else this.problem(`marker ${formatForReport(target)}: ${result.reason}; left untouched`);
    }
    this.pending = [];
    this.pendingLen = 0;
    this.target = null;
    this.mode = 'scan';
    if (pieces === null) {
      this.out(buf.subarray(0, buf.length - rest.length));
    } else {
      this.report.patchedElements++;
      // One small copy of the rewritten element rather than one enqueue per piece.
      this.out(join(pieces).slice());
    }
    // At most the one `<` seen before a chunk boundary: scanning carries it like any tail.
    this.hold(rest);
  }
}

const NOT_TEXT = 'element content is not text only';

function lastByte(pieces: readonly Uint8Array[]): number | undefined {
  const p = pieces[pieces.length - 1];
  return p === undefined ? undefined : p[p.length - 1];
}

/** A caller's limit, or the default when it is not a number (NaN would disable every cap). */
function limit(value: unknown, min: number, fallback: number): number {
  return typeof value === 'number' && !Number.isNaN(value) ? Math.max(min, Math.floor(value)) : fallback;
}

function formatForReport(target: Target | null): string {
  if (target === null) return '?';
  const m = target.marker;
  return JSON.stringify(`${m.key} ${m.element} ${m.instance}`);
}

/** Marker values are attribute values, escaped by React; ids are compared unescaped. */
function unescapeAttribute(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(quot|amp|#x27|lt|gt);/g, (_, e: string) =>
    e === 'quot' ? '"' : e === 'amp' ? '&' : e === '#x27' ? "'" : e === 'lt' ? '<' : '>');
}

/** Marker values are short and almost always ASCII: skip TextDecoder's per-call overhead then. */
function decodeMarker(bytes: Uint8Array): string | null {
  if (bytes.length <= 128) {
    let s = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b >= 0x80) return decodeStrict(bytes);
      s += String.fromCharCode(b);
    }
    return s;
  }
  return decodeStrict(bytes);
}

function stringOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function deliver(options: PatchOptions, report: PatchReport): void {
  try {
    options.onReport?.(report);
  } catch {
    // A throwing callback is the caller's bug; it must not break the page.
  }
}

/**
 * The patcher as a `TransformStream` of bytes. Never errors because of content: an invalid
 * manifest, a stale page, malformed HTML or an internal error all end in a byte-exact
 * pass-through of whatever was not yet patched, and the report says why.
 */
export function createPatchStream(options: PatchOptions): TransformStream<Uint8Array, Uint8Array> {
  let manifest: SpliceManifest;
  let planned: PlanResult;
  try {
    manifest = validManifest(options.manifest);
    planned = planOverrides(manifest, options.overrides);
  } catch (error) {
    const report: PatchReport = { stale: false, markers: 0, patchedElements: 0, skipped: skipAll(options.overrides, stringOf(error)), problems: [stringOf(error)] };
    return new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) { controller.enqueue(chunk); },
      flush() { deliver(options, report); },
    });
  }
  return createPlannedPatchStream(manifest, planned, options);
}

/**
 * The patch stream for a manifest already validated and overrides already planned: the handler
 * plans before the headers leave (they report the outcome) and must not pay for it twice.
 */
export function createPlannedPatchStream(
  manifest: SpliceManifest,
  planned: PlanResult,
  options: PatchOptions,
): TransformStream<Uint8Array, Uint8Array> {
  let controllerRef: TransformStreamDefaultController<Uint8Array> | null = null;
  const p = new Patcher(manifest, planned, options, (bytes) => controllerRef!.enqueue(bytes));
  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) { controllerRef = controller; },
    transform(chunk) {
      // A string chunk is a common mistake upstream: its bytes are what the page means.
      const input: unknown = chunk;
      const bytes = typeof input === 'string' ? textEncoder.encode(input) : asBytes(input);
      if (bytes === null) {
        // Held bytes must leave before it, or the page would be reordered.
        p.abandon('non-byte chunk; passing the rest through');
        p.flushOut();
        controllerRef!.enqueue(chunk);
        return;
      }
      p.push(bytes);
    },
    flush() {
      p.finish();
      deliver(options, p.report);
    },
  });
}

function skipAll(overrides: unknown, why: string): SkippedOverride[] {
  if (!Array.isArray(overrides)) return [];
  return overrides.map((override, index) => ({ index, override, reason: `not applied: ${why}` }));
}

function asBytes(chunk: unknown): Uint8Array | null {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return null;
}

/** Patches a byte stream of server-rendered HTML. See `createPatchStream`. */
export function patchHtml(input: ReadableStream<Uint8Array>, options: PatchOptions): ReadableStream<Uint8Array> {
  return input.pipeThrough(createPatchStream(options));
}

