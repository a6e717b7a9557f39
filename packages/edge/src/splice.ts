import { bootstrapScript } from '@splice/manifest';
import type { Bootstrap } from '@splice/manifest';
import type { HostFunctions, JsonValue, Override, SpliceManifest } from '@splice/manifest';
import { lookupOf, overridesForClient, shownOf } from './bootstrap';
import type { ReadFacts } from './bootstrap';
import type { InstanceIds } from './bootstrap';
import { concat, encoder } from './bytes';
import type { IndexBuilder } from './indexBuilder';
import { PENDING } from './indexBuilder';
import { SourceScanner } from './scanHtml';
import { affected, compileElement, patchElement } from './patchElement';
import type { CompiledElement } from './patchElement';
import type { IndexedInstance, IndexedSite } from './pageIndex';
import { effectiveProps, hostsOf } from './plan';
import type { PatchReport, PlannedOverride, PlanResult } from './types';
import { hasOwn, safeMessage } from './util';
import { checkVerdict, digestOf, filledCheck, fillSlots, overrideFor, preambleRefusal, recordVerdict, startRegion, stateFor, trustOf, verdictOf, waitForRegion } from './region';
import type { KeptSlot, Region, RegionOutcome, RegionSetup } from './region';

const LT = 0x3c, GT = 0x3e;
const EMPTY = new Uint8Array(0);
const SEPARATOR = encoder.encode('<!-- -->');
const BODY_TAG = '</body';
const ADVANCE = 0, FINISH = 1;
const MAX_PROBLEMS = 50;
/**
 * The outcome of a region once decided and written. Its `Region` stays (its instance's later sites
 * are known by it), but what it rendered is dropped: a page re-rendering many instances would
 * otherwise hold every re-render, and every check render, until its end. A render still running
 * finds the outcome set and leaves it.
 */
const DECIDED: RegionOutcome = { ok: false, reason: 'decided already' };

type AnyEdit = Edit | RegionEdit;

/** What was owed and written, and what the page had, just before a region's bytes (see `restore`). */
interface Before { owed: boolean; out: number; base: number }

/** A region's bytes taken from the queue as the page had them (separators included), from base offset `from`. */
interface Gathered { raw: Uint8Array[]; from: number; before: Before }

/** What an edit writes, or why it writes nothing (`mismatch`: the page is not the index's there). */
type Verdict = { ok: true; pieces: Uint8Array[] } | { ok: false; reason: string; mismatch: boolean };

/** Chunks kept for a scan after a mismatch (`Splicer.keep`): from this size on by reference, smaller ones copied together, up to `TAIL_MAX` bytes a copy. */
const KEEP_BY_REFERENCE = 1024;
const TAIL_MAX = 16 * 1024;

/** A decision that waits for more of the page. */
const WAIT = 0;

interface RegionEdit {
  kind: 'region';
  start: number;
  site: IndexedSite;
  region: Region;
  /**
   * Gathered and checked, waiting for the index to reach the instances after it that decide
   * whether it moves an instance an override names by its place (`instancesMoved`): what to write
   * either way, and the bytes as the page had them, for an internal error meanwhile. Everything
   * after it is held too, so the wait is bounded (`placeRegion`).
   */
  held?: Gathered & { core: Uint8Array; outcome: Extract<RegionOutcome, { ok: true }> };
}

interface Edit {
  kind: 'element';
  start: number;
  site: IndexedSite;
  element: CompiledElement;
  props: Readonly<Record<string, JsonValue>>;
  names: ReadonlySet<string>;
  needText: boolean;
  /** The overrides of its instance that made `props`: what it writes, and all the bootstrap may say of it. */
  plans: readonly PlannedOverride[];
  /** Made after the bootstrap's place, from what it told the client only. */
  late?: true;
}

/**
 * Rewrites a base page as it streams, from a page index: between the indexed sites the bytes go
 * out as they came (a chunk with nothing to change is handed on as the very same object), a
 * planned site is gathered, rewritten and written in its place, and the bootstrap goes in at the
 * indexed `</body>`. It never looks at bytes the index does not point to.
 *
 * The index may still be growing (the first fill, where `SourceScanner` runs just ahead on the
 * same chunks): a site whose end is not known yet, or a `</body>` a later one may replace, is
 * held until it is. Every decision depends on the bytes alone, so the output does not depend on
 * the chunking nor on whether the index was complete from the start.
 */
export class Splicer {
  private queue: Uint8Array[] = [];
  /** Index of the first queue entry not yet taken (no `shift()`: it can be linear in V8). */
  private qHead = 0;
  /** Base offset of the first queued byte. */
  private queued = 0;
  /** Base bytes received. */
  private received = 0;
  private out: Uint8Array[] = [];
  private cursor = 0;
  private edit: AnyEdit | null = null;
  /** Regions (re-rendered instances) by instance number. */
  private readonly regions = new Map<number, Region>();
  /**
   * Instances whose region was left default (see `fallBack`): their bytes stream on as cached,
   * patched in place with what needs no render of them.
   */
  private readonly fellBack = new Set<number>();
  /** Effective props of a fallen-back instance: its overrides that set no structural prop. */
  private readonly fallbackEffective = new Map<number, ReturnType<typeof effectiveProps>>();
  /** Some planned override sets a structural prop (else no site can start a region). */
  private readonly anyStructural: boolean;
  /** Sites before this offset lie in a region already decided. */
  private regionEnd = -1;
  /**
   * The output ends in text whose separator from what follows is not decided yet: a region's
   * bytes ended in text (or it rendered nothing after text). React separates two adjacent text
   * nodes with `<!-- -->`: written before the next byte if that is text (see `take`).
   */
  private sepOwed = false;
  /** The instance whose region ends at `regionEnd`. */
  private regionOf = -1;
  /**
   * Set when the stream waits at a region whose render has not settled: the caller awaits it,
   * then calls `resume()` (or `finish()` again).
   */
  pending: Promise<void> | null = null;
  private disabled = false;
  private bootstrapDone = false;
  /** Where the bootstrap was placed, or found to have nothing to say: what comes after it is told nothing more. */
  private bootstrapPlace = Infinity;
  /** Overrides the bootstrap gave the client for every instance of their component. */
  private readonly toldGeneral = new Set<number>();
  /** What the last bootstrap made said of the overrides. */
  private lastTold: readonly Override[] = [];
  private firstKnown = -1;
  /** Set by `finish`: only then can the end of the page be the bootstrap's place. */
  private ending = false;
  private readonly compiled: Map<string, (CompiledElement | undefined)[]>;
  /** The package functions value holes call, from the renderer (read once, not per element). */
  private readonly hosts: HostFunctions | undefined;
  /** Fast path: the only sites worth a look, those of components some override names. */
  private readonly candidates: readonly number[] | null = null;
  private candidate = 0;
  private survey: Survey | null = null;
  private readonly effective = new Map<number, ReturnType<typeof effectiveProps>>();
  /** Override index → one byte per instance ordinal of its component: 1 when it changed bytes there (contract 6). */
  private readonly written = new Map<number, Uint8Array>();
  private readonly wrote = (override: number, ordinal: number): boolean => (this.written.get(override)?.[ordinal] ?? 0) === 1;
  /**
   * Override index → ids of instances a re-render created (the cached page has no such instance,
   * so no ordinal) that it was applied to: the client must render them with it too.
   */
  private readonly createdWritten = new Map<number, string[]>();
  private readonly created = (override: number): readonly string[] => this.createdWritten.get(override) ?? [];
  /** Effective props shared by every instance of a key that only general overrides name. */
  private readonly effectiveByKey = new Map<string, ReturnType<typeof effectiveProps>>();
  /**
   * Instances patched in place whose edits are decided together (contract 6: an override is
   * shown whole in an instance or not at all): per instance, the pieces each of its edits writes
   * (by site start), or why the instance is left as cached; null where it has one edit only.
   */
  private readonly groups = new Map<number, Map<number, Uint8Array[]> | string | null>();
  /**
   * The edits of groups decided to be written and not written yet, by start: a group whose first
   * edits went out is written to its end, though the page stops matching its index in between
   * (its bytes were checked when it was decided), or its instance would show the override in part.
   */
  private readonly decidedEdits = new Map<number, Edit>();
  /** After a mismatch: the decided edits still to write, in page order. */
  private leftover: Edit[] = [];
  /**
   * Where the bootstrap goes: the page index, until the page stops matching it; then the index
   * of a scan of the page as it actually is (`rescan`), so that what was written is still told,
   * in markup, before the page's real last `</body>` or after its last byte.
   */
  private place: IndexBuilder;
  /** The base page's chunks since its first byte, while a mismatch could still need a scan of them (index known up front, bootstrap not placed). */
  private seen: Uint8Array[] | null = null;
  private seenBytes = 0;
  /** More than `keepMax` bytes came before the bootstrap was placed: nothing is kept any more. */
  private keptTooMuch = false;
  private rescan: SourceScanner | null = null;
  private rescanDone = false;
  readonly report: PatchReport;

  constructor(
    private readonly manifest: SpliceManifest | null,
    private readonly planned: PlanResult,
    private readonly index: IndexBuilder,
    private readonly told: { assignments: Record<string, string>; facts: ReadFacts },
    private readonly elementMax: number,
    private readonly emit: (bytes: Uint8Array) => void,
    private readonly setup: RegionSetup | null = null,
    /** Most bytes held to decide one instance's edits together (see `groupFor`). */
    private readonly groupMax = 1024 * 1024,
    /** Most bytes of the page kept for a scan after a mismatch (`limits.rescanBytes`; see `note`). */
    private readonly keepMax = 512 * 1024,
  ) {
    this.place = index;
    this.report = { stale: false, markers: 0, patchedElements: 0, rerendered: 0, skipped: planned.skipped, problems: [] };
    this.anyStructural = [...planned.plan.byKey.values()].some((list) => list.some((p) => p.structural));
    this.compiled = compiledFor(manifest);
    this.hosts = hostsOf(setup?.renderer);
    // A manifest that could not be used means markers are removed but nothing is patched.
    if (manifest === null) { this.disabled = true; return; }
    if (index.complete) {
      // Everything about the page is known before its first byte: decide the sites once per
      // index and manifest, and visit only those of planned components on each request.
      const survey = surveyFor(index, manifest);
      this.survey = survey;
      this.report.markers = index.sites.length;
      this.firstKnown = survey.firstKnown;
      for (const p of survey.problems) this.problem(p);
      if (survey.stale) { this.report.stale = true; this.disabled = true; return; }
      this.candidates = candidatesOf(survey, planned);
      this.seen = [];
      // Every re-render is known before the first byte: they all start now (on the next turn).
      if (this.anyStructural) for (const n of this.candidates) this.regionAt(this.index.sites[n] as IndexedSite);
    }
  }

  /** After `pending` settled: go on from where the stream waited. */
  resume(): void {
    this.guarded(ADVANCE);
    this.flush();
  }

  problem(message: string): void {
    const problems = this.report.problems;
    if (problems.length < MAX_PROBLEMS) problems.push(message);
    else if (problems.length === MAX_PROBLEMS) problems.push('… further problems not listed');
  }

  /** Consecutive base-page bytes. */
  push(pieces: readonly Uint8Array[]): void {
    for (const p of pieces) {
      if (p.length === 0) continue;
      if (this.qHead === this.queue.length) { this.queue.length = 0; this.qHead = 0; }
      this.queue.push(p);
      this.received += p.length;
      this.note(p);
    }
    this.guarded(ADVANCE);
    this.flush();
  }

  /**
   * One chunk of a base page (the hit path). A chunk that ends before the next edit, and before
   * where the bootstrap goes, is handed on as it is, without touching the queue: most chunks of
   * a page are such chunks, and this is all they cost.
   */
  pushOne(chunk: Uint8Array): void {
    if (!this.broken && this.qHead === this.queue.length && this.out.length === 0 && !this.sepOwed && this.rescan === null) {
      try {
        if (this.edit === null && !this.disabled) this.edit = this.nextEdit();
      } catch {
        this.push([chunk]); // the guarded path reports it
        return;
      }
      const end = this.received + chunk.length;
      const boot = this.bootstrapAt();
      const stop = Math.min(this.edit === null ? Infinity : this.edit.start, boot === -1 ? this.place.bodyEnd : boot);
      if (stop >= end) {
        this.received = end;
        this.queued = end;
        this.note(chunk);
        if (chunk.length > 0) { this.sentLast = this.lastBase = chunk[chunk.length - 1] as number; this.emit(chunk); }
        return;
      }
    }
    this.push([chunk]);
  }

  /** Keeps a base-page chunk for a scan the page may need (see `place`), or hands it to that scan. */
  private note(chunk: Uint8Array): void {
    if (this.seen !== null) {
      // Once the bootstrap is placed, a mismatch no longer moves it: nothing more to keep.
      if (this.bootstrapDone || this.broken) this.forgetKept();
      else if (this.seenBytes + chunk.length <= this.keepMax) { this.keep(this.seen, chunk); this.seenBytes += chunk.length; }
      else {
        // Bounded, as everything a request holds. Scanning the rest as it comes instead would keep
        // the contract for larger pages, at the CPU of a source-page scan on every request (≈ 10×
        // the pass-through on the 10 MB bench page), for a mismatch few pages ever meet.
        this.forgetKept();
        this.keptTooMuch = true;
      }
    }
    if (this.rescan !== null && !this.rescanDone) this.scanned += length(this.rescan.push(chunk));
  }

  private forgetKept(): void {
    this.seen = null;
    this.tail = null;
  }

  /** Where small kept chunks are copied together (see `keep`), and how much of it is used. */
  private tail: Uint8Array | null = null;
  private tailUsed = 0;

  /**
   * Keeps a chunk: a reference, not a copy, unless it is small. Each chunk kept by reference also
   * costs an object and a buffer of its own (a network body's chunks are new buffers), which for
   * a page arriving in a few bytes at a time is many times its bytes: small chunks are copied
   * together instead, so that what is kept stays near `keepMax` whatever the chunking.
   */
  private keep(seen: Uint8Array[], chunk: Uint8Array): void {
    if (chunk.length >= KEEP_BY_REFERENCE) { seen.push(chunk); this.tail = null; return; }
    let tail = this.tail;
    if (tail !== null && this.tailUsed + chunk.length > tail.length) {
      if (tail.length < TAIL_MAX) {
        // Grown by doubling: at most twice what it holds.
        const bigger = new Uint8Array(Math.max(tail.length * 2, this.tailUsed + chunk.length));
        bigger.set(tail.subarray(0, this.tailUsed));
        tail = this.tail = bigger;
      } else tail = null;
    }
    if (tail === null) {
      tail = this.tail = new Uint8Array(Math.max(64, chunk.length));
      this.tailUsed = 0;
      seen.push(tail.subarray(0, 0));
    }
    tail.set(chunk, this.tailUsed);
    this.tailUsed += chunk.length;
    seen[seen.length - 1] = tail.subarray(0, this.tailUsed);
  }

  /**
   * Base bytes the scan of the page as it is has handed on (it holds back a tag it is still
   * reading): after a mismatch, nothing past them leaves, so that a `</body>` it has not seen
   * yet cannot have gone out before the bootstrap could be put in front of it.
   */
  private scanned = Infinity;

  /**
   * The page stopped matching its index at `at` (bytes edited or cut between origin and edge).
   * Edits stop here and the rest passes through. What was already written is still told: with
   * the index known up front, the page's chunks were kept, and a scan of them (and of the rest
   * as it comes) finds where the bootstrap goes in the page as it is. A scan that meets a marker
   * (its offsets would no longer be the page's) places nothing, as before.
   */
  private mismatch(what: string): void {
    this.problem(`page index does not match the page ${what}; the rest is passed through`);
    this.disabled = true;
    // A group partly written goes on to its end: its bytes were checked when it was decided.
    const current = this.edit;
    this.leftover = [...this.decidedEdits.values()].filter((e) => e !== current && e.start >= this.queued).sort((a, b) => a.start - b.start);
    this.edit = null;
    if (this.keptTooMuch && !this.bootstrapDone && !this.broken && this.report.patchedElements + this.report.rerendered > 0) {
      this.problem(`the page was not kept past ${this.keepMax} bytes (limits.rescanBytes), so where the bootstrap goes in it cannot be found: what was written before is not told`);
    }
    if (this.seen === null || this.bootstrapDone || this.broken) { this.bootstrapDone = true; return; }
    // The chunks kept went on downstream as they were: one whose buffer a consumer detached
    // (transferred) is no longer readable, and a scan without it would misplace the bootstrap.
    if (length(this.seen) !== this.received) {
      this.forgetKept();
      this.bootstrapDone = true;
      this.problem('the page\'s earlier chunks are no longer readable (detached downstream); no bootstrap');
      return;
    }
    const scan = new SourceScanner({ tagBytes: 64 * 1024, markerValueBytes: 64 * 1024 });
    this.scanned = 0;
    for (const chunk of this.seen) this.scanned += length(scan.push(chunk));
    this.forgetKept();
    this.rescan = scan;
    this.place = scan.index;
    if (this.ending) this.endRescan();
  }

  private endRescan(): void {
    if (this.rescan === null || this.rescanDone) return;
    this.rescanDone = true;
    this.rescan.finish();
    this.scanned = Infinity;
    if (!this.rescan.unchanged) {
      this.problem('the page as it is holds markers; no bootstrap');
      this.bootstrapDone = true;
    }
  }

  /** Set by an internal error: the rest passes through. */
  private broken = false;

  /**
   * An exception here is a bug in the patcher, never a property of the input. What was already
   * decided stays; everything queued, and all that follows, goes out untouched. If elements were
   * already rewritten, the client still needs their overrides: the bootstrap then goes after the
   * last byte, behind the closer of the page's final context, when that is known.
   */
  private guarded(step: number): void {
    if (this.broken) { this.take(this.received); return; }
    try {
      // A step number, not a closure: this runs for every chunk.
      if (step === ADVANCE) this.advance();
      else this.finishSteps();
    } catch (error) {
      // Bytes a region holds were taken from the queue: they go out first, as the page had them.
      const held = this.edit?.kind === 'region' ? this.edit.held : undefined;
      if (held !== undefined) for (const piece of held.raw) this.out.push(piece);
      this.broken = true;
      this.disabled = true;
      this.edit = null;
      this.pending = null;
      this.problem(`internal error, passing the rest through: ${safeMessage(error)}`);
      this.take(this.received);
    }
  }

  finish(): void {
    this.ending = true;
    this.endRescan();
    if (this.broken) {
      this.take(this.received);
      const ix = this.place;
      if (this.report.patchedElements > 0 && !this.bootstrapDone && ix.complete && ix.closer !== null) {
        this.bootstrapDone = true;
        const script = this.bootstrapFor(Infinity);
        if (script !== null) {
          if (ix.closer !== '') this.out.push(encoder.encode(ix.closer));
          this.out.push(script);
        }
      }
      this.flush();
      return;
    }
    this.guarded(FINISH);
    this.flush();
  }

  private finishSteps(): void {
    this.advance();
    if (this.pending !== null) return; // a render to wait for: `finish` is called again after it
    // Whatever is still held can only be an element whose end never came.
    if (this.edit !== null) {
      this.problem(`marked <${this.edit.site.tag}> at ${this.edit.start}: page ends inside it; left untouched`);
      this.edit = null;
      this.advance();
      if (this.pending !== null) return;
    }
    // The page ended before the place the index gives the bootstrap, or where the index says it
    // ends (cut short, or edited): what was written is told where the page as it is allows.
    if ((this.seen !== null || this.keptTooMuch) && !this.bootstrapDone && this.received !== this.index.length) {
      this.mismatch(`at its end (${this.received} bytes; the index describes ${this.index.length})`);
      this.advance();
      if (this.pending !== null) return;
    }
    this.take(this.received);
    if (!this.disabled) this.reportMissingInstances();
    if (this.index.complete && this.received !== this.index.length && this.rescan === null) {
      this.problem(`page index describes ${this.index.length} bytes, the page has ${this.received}`);
    }
  }

  /** An override naming `instance: n` that the page does not have: it rendered nothing there, or never existed. */
  private reportMissingInstances(): void {
    if (!this.planned.applied.some((a) => typeof a.override.instance === 'number')) return;
    const ids = lookupOf(this.instanceIds(Infinity));
    for (const a of this.planned.applied) {
      const n = a.override.instance;
      if (typeof n !== 'number' || ids.id(a.key, n) !== undefined) continue;
      const name = this.manifest?.components[a.key]?.name ?? a.key;
      this.problem(`override #${a.index}: instance ${n} of ${name} is not in the cached page (it rendered nothing, or there is no such instance); not applied`);
    }
  }

  /** Instance ids by key and ordinal, for instances that start before `at`. */
  private instanceIds(at: number): InstanceIds {
    const survey = this.survey;
    if (survey !== null) {
      // Answered from the survey, one instance at a time: not a list of every instance.
      const { sites, instances } = this.index;
      const first = (key: string, ordinal: number) => {
        const list = survey.byKey.get(key)?.byOrdinal[ordinal];
        return list === undefined ? undefined : instances[(sites[list[0] as number] as IndexedSite).instance];
      };
      /** How many of the key's present ordinals belong to instances before `at`. */
      const before = (key: string) => {
        const ordinals = survey.byKey.get(key)?.ordinals ?? [];
        let lo = 0;
        let hi = ordinals.length; // instances are in document order: the first at or past `at`
        while (lo < hi) { const mid = (lo + hi) >> 1; if ((first(key, ordinals[mid] as number) as IndexedInstance).start < at) lo = mid + 1; else hi = mid; }
        return lo;
      };
      const count = (key: string) => {
        const k = before(key);
        return k === 0 ? 0 : (survey.byKey.get(key)!.ordinals[k - 1] as number) + 1;
      };
      const seen = (inst: IndexedInstance | undefined) => (inst !== undefined && inst.start < at ? inst : undefined);
      return {
        count,
        id: (key, ordinal) => seen(first(key, ordinal))?.id,
        ordinal: (key, id) => { const o = survey.byKey.get(key)?.byId.get(id); return o === undefined || seen(first(key, o)) === undefined ? -1 : o; },
      };
    }
    const ids = new Map<string, string[]>();
    for (const inst of this.index.instances) {
      if (inst.start >= at) break;
      let list = ids.get(inst.key);
      if (list === undefined) ids.set(inst.key, (list = []));
      list[inst.ordinal] = inst.id;
    }
    return ids;
  }

  /** Sends what this push produced as one chunk: no per-chunk copy when nothing changed. */
  private flush(): void {
    const out = this.out;
    if (out.length === 0) return;
    this.out = [];
    const chunk = concat(out);
    if (chunk.length > 0) this.sentLast = chunk[chunk.length - 1] as number;
    this.emit(chunk);
  }

  /** The last base byte taken or gathered (-1 before the first). */
  private lastBase = -1;

  /** The last byte of the output so far (-1 before the first). */
  private sentLast = -1;
  private lastByte(): number {
    for (let i = this.out.length - 1; i >= 0; i--) {
      const piece = this.out[i] as Uint8Array;
      if (piece.length > 0) return piece[piece.length - 1] as number;
    }
    return this.sentLast;
  }

  /** Moves queued bytes up to base offset `to` into the output. */
  private take(to: number): void {
    while (this.queued < to && this.qHead < this.queue.length) {
      const head = this.queue[this.qHead] as Uint8Array;
      const n = Math.min(head.length, to - this.queued);
      if (this.sepOwed && n > 0) {
        this.sepOwed = false;
        if (head[0] !== LT) this.out.push(SEPARATOR);
      }
      if (n > 0) this.lastBase = head[n - 1] as number;
      if (n === head.length) {
        this.out.push(head);
        this.queue[this.qHead++] = EMPTY;
      } else {
        this.out.push(head.subarray(0, n));
        this.queue[this.qHead] = head.subarray(n);
      }
      this.queued += n;
    }
  }

  /** Removes queued bytes up to `to` and returns them as one array. */
  private gather(to: number): Uint8Array {
    return concat(this.takeAside(to));
  }

  /** Removes queued bytes up to `to`, as pieces, without writing them. */
  private takeAside(to: number): Uint8Array[] {
    const saved = this.out;
    // The bytes as the page has them: a separator owed to what follows is decided by whoever writes them.
    const owed = this.sepOwed;
    this.sepOwed = false;
    this.out = [];
    this.take(to);
    const parts = this.out;
    this.out = saved;
    this.sepOwed = owed;
    return parts;
  }

  /** Where the bootstrap goes, once that is certain; -1 while it is not; Infinity when never. */
  private bootstrapAt(): number {
    if (this.bootstrapDone) return Infinity;
    const ix = this.place;
    // After a mismatch, the page's real `</body>` may lie before bytes already written: then
    // the bootstrap goes after the last byte.
    if (ix.bodyEnd >= 0 && (ix.bodyEnd >= this.queued || !(ix.bodyFinal || ix.complete))) return ix.bodyFinal || ix.complete ? ix.bodyEnd : -1;
    // A page without `</body>` gets it after its last byte, and only if that is where the
    // index says the page ends: anywhere else could be inside a script.
    return ix.complete && this.ending && this.received === ix.length ? ix.length : Infinity;
  }

  private advance(): void {
    for (;;) {
      if (this.edit === null && !this.disabled) this.edit = this.nextEdit();
      if (this.edit === null && this.disabled && this.leftover.length > 0) this.edit = this.leftover.shift()!;
      const boot = this.bootstrapAt();
      // A `</body>` that a later one may still replace: nothing from it on can leave yet.
      const holdAt = boot === -1 ? this.place.bodyEnd : Infinity;
      let edit = this.edit;
      if (edit !== null && edit.kind === 'element' && edit.start >= this.bootstrapPlace && edit.late !== true) {
        // Made before the bootstrap was placed: made again with what the bootstrap told (`elementEdit`).
        const again = this.elementEdit(edit.site, false);
        this.edit = edit = again === null ? null : { ...again, late: true };
        if (edit === null) continue;
      }
      if (edit !== null && edit.kind === 'region' && edit.start >= this.bootstrapPlace && !this.toldAhead(edit)) {
        // Content after the `</body>` that took the bootstrap (a page may go on past it): only an
        // override the bootstrap gave every instance is one the client applies there (contract 6).
        const what = `instance ${this.index.instances[edit.region.instance]!.key} (${this.index.instances[edit.region.instance]!.id})`;
        this.problem(`${what} at ${edit.start}: after the </body> that takes the bootstrap, so the client could not be told of it; left untouched`);
        edit.region.outcome = DECIDED;
        this.edit = null;
        continue;
      }
      if (edit !== null && edit.start < Math.min(boot === -1 ? Infinity : boot, holdAt)) {
        // After a mismatch, nothing the scan of the page as it is has not handed on leaves (`scanned`).
        this.take(Math.min(edit.start, this.scanned));
        if (this.queued < edit.start) return;
        if (edit.kind === 'region') {
          if (!this.applyRegion(edit)) return;
          // Its bytes went out, or went back to the stream (left default): the request need not
          // keep what it rendered (the memo keeps its own).
          edit.region.outcome = DECIDED;
          // A region left default has put the edit of its own root element in its place (`fallBack`).
          if (this.edit === edit) this.edit = null;
          continue;
        }
        const group = this.groupFor(edit);
        if (group === WAIT) return;
        if (typeof group === 'string') { this.edit = null; continue; }
        const end = this.editEnd(edit);
        const decided = group?.get(edit.start);
        if (decided !== undefined) {
          // Decided with the rest of its instance, on these very bytes: written as decided.
          if (end > this.received) return;
          // Written once: the decision keeps the other edits' pieces only (a page whose every
          // card is patched would otherwise hold every patched element until its end).
          group!.delete(edit.start);
          this.decidedEdits.delete(edit.start);
          this.apply(edit, end, decided);
          this.edit = null;
          continue;
        }
        // Refused exactly when the element is longer than the cap, known or not yet, so the
        // outcome does not depend on how the page was chunked.
        if ((end === PENDING ? this.received : end) - edit.site.start > this.elementMax) {
          this.problem(`marked <${edit.site.tag}> at ${edit.site.start}: element too long (over ${this.elementMax} bytes); left untouched`);
          this.edit = null;
          continue;
        }
        // Text edits check the byte after them (the `<` the index promises): wait for it.
        if (end === PENDING || end > this.received || (edit.needText && end === this.received && !this.ending)) return;
        this.apply(edit, end);
        this.edit = null;
        continue;
      }
      if (boot !== -1 && boot !== Infinity) {
        this.take(boot);
        if (this.queued < boot) return;
        // The `</body` the index promises is checked before anything is written before it.
        if (boot === this.place.bodyEnd && this.received < boot + BODY_TAG.length && !this.ending) return;
        this.insertBootstrap(boot);
        continue;
      }
      this.take(Math.min(this.received, holdAt, this.scanned));
      return;
    }
  }

  /** The next site an override reaches, deciding the ones before it. */
  private nextEdit(): AnyEdit | null {
    const candidates = this.candidates;
    if (candidates === null) return this.nextEditGrowing();
    while (this.candidate < candidates.length) {
      const site = this.index.sites[candidates[this.candidate++] as number] as IndexedSite;
      if (this.inDecidedRegion(site)) continue;
      const edit = this.editFor(site);
      if (edit !== null) return edit;
    }
    return null;
  }

  /**
   * The region of the instance this site belongs to, if an override sets a structural prop of
   * it (created, and its render queued, on first sight); null when the site is patched in place.
   */
  private regionAt(site: IndexedSite): Region | null {
    const n = site.instance;
    const known = this.regions.get(n);
    if (known !== undefined) return known;
    const instance = this.index.instances[n]!;
    const plans = this.planned.plan.byKey.get(instance.key);
    if (plans === undefined) return null;
    if (!plans.some((p) => p.structural && (p.instance === undefined || p.instance === instance.ordinal || p.instance === instance.id))) return null;
    const region: Region = { instance: n, promise: null, outcome: null, request: null };
    this.regions.set(n, region);
    const manifest = this.manifest as SpliceManifest;
    const state = this.setup === null ? 'no renderer' : stateFor(manifest, instance);
    if (typeof state === 'string') {
      region.outcome = { ok: false, reason: state };
      return region;
    }
    const verdict = this.index.complete ? verdictOf(this.index.instances, n) : undefined;
    if (typeof verdict === 'string') {
      region.outcome = { ok: false, reason: verdict };
      return region;
    }
    region.trusted = verdict;
    region.request = { key: instance.key, props: state.props, contexts: state.contexts, id: instance.id, tree: state.tree, overrides: [], ...(state.functions !== undefined ? { functions: state.functions } : {}) };
    if (state.hooks !== undefined) region.request.hooks = state.hooks;
    // With the whole index known, the overrides of the instances nested in it are too: start when
    // the first bytes have left. While the index still grows (a source page), wait until the scan
    // has closed the instance: only then are the instances inside it known (`applyRegion`).
    if (instance.end >= 0) {
      region.request.overrides = this.renderOverrides(n);
      startRegion(region, this.setup!, this.index.complete ? this.index.instances : null, this.setup!.startNow === true);
    }
    return region;
  }

  /**
   * The overrides a re-render applies, in the order the client applies them: those naming the
   * instance or an instance nested in it (by id), and those naming no instance (as they are:
   * instances the re-render creates get them too, as in a full render).
   */
  /** The instance and those inside it (only itself while its end is not known). */
  private instancesIn(n: number): IndexedInstance[] {
    const instances = this.index.instances;
    const root = instances[n]!;
    const inRange: IndexedInstance[] = [];
    for (let i = n; i < instances.length; i++) {
      const inst = instances[i]!;
      if (i > n && (root.end < 0 || !this.inside(i, n))) break;
      inRange.push(inst);
    }
    return inRange;
  }

  private renderOverrides(n: number): ReturnType<typeof overrideFor>[] {
    const inRange = this.instancesIn(n);
    const keys = new Set(inRange.map((i) => i.key));
    // Every override naming no instance, whatever its component: the re-render may create
    // instances of a component the cached range has none of (a grid cached empty that an
    // override fills with cards), and the full render gives those the override too.
    const plans = [...this.planned.plan.byKey.values()].flat().filter((p) => p.instance === undefined || keys.has(p.key)).sort((a, b) => a.index - b.index);
    const out: ReturnType<typeof overrideFor>[] = [];
    for (const p of plans) {
      if (p.instance === undefined) { out.push({ component: p.key, props: { ...p.props } }); continue; }
      const inst = inRange.find((i) => i.key === p.key && (i.ordinal === p.instance || i.id === p.instance));
      if (inst !== undefined) out.push(overrideFor(inst.key, inst.id, p.props));
    }
    return out;
  }

  /**
   * Splices a region in, once both its render and its bytes are here. False while waiting: for
   * the render (then `pending` says for what) or for the bytes up to the instance's end.
   */
  private applyRegion(edit: RegionEdit): boolean {
    if (edit.held !== undefined) return this.placeRegion(edit, edit.held.core, edit.held.outcome);
    const region = edit.region;
    const instance = this.index.instances[region.instance]!;
    const setup = this.setup;
    const max = setup?.regionMax ?? 0;
    const end = instance.end;
    const at = `instance ${instance.key} (${instance.id}) at ${edit.start}`;
    const leave = (why: string, gathered?: Gathered): true => {
      this.problem(`${at}: ${why}; left default`);
      this.fallBack(edit, gathered);
      return true;
    };
    if (end < 0) {
      if (this.received - edit.start > max) return leave(`longer than ${max} bytes`);
      if (this.index.complete || this.ending) return leave('the page never closes its root element');
      return false;
    }
    if (end - edit.start > max) return leave(`longer than ${max} bytes`);
    if (this.index.bodyEnd > edit.start && this.index.bodyEnd < end) return leave('it holds the page\'s </body>');
    if (region.promise === null && region.outcome === null && region.request !== null && setup !== null) {
      region.request.overrides = this.renderOverrides(region.instance);
      startRegion(region, setup, null);
    }
    let outcome = region.outcome;
    if (outcome === null) {
      this.pending = setup === null ? region.promise : waitForRegion(region, setup);
      return false;
    }
    // Failed before its bytes are needed: they stream on at once, patched without the render;
    // unless only the override's render failed and the check render is to be compared with them.
    if (!outcome.ok && outcome.check === undefined) return leave(outcome.reason);
    if (end > this.received) return false;
    // A separator right after the region was written by the scan between two texts that met
    // where a boundary was: it is decided again from what the region now ends with.
    // (Only a boundary can end where text met text: an element's range ends in its end tag.)
    const joint = edit.site.boundary === true ? this.separatorAt(end) : 0;
    if (joint === -1) return false;
    // Where the gathered bytes start: past the region's start when the region before took the
    // separator that opened this one's range.
    const from = this.queued;
    const before = { owed: this.sepOwed, out: this.lastByte(), base: this.lastBase };
    const original = this.gather(end);
    if (joint === 1) this.gather(end + SEPARATOR.length);
    const raw = joint === 1 ? [original, SEPARATOR] : [original];
    if (edit.site.boundary !== true && !startsWithTag(original, edit.site.tag)) {
      for (const piece of raw) this.out.push(piece);
      this.mismatch(`at ${edit.start}`);
      return true;
    }
    // What the instance rendered, without a separator the scan wrote before it (decided again too).
    const core = startsWithSeparator(original) ? original.subarray(SEPARATOR.length) : original;
    // Elements the instance received are kept as the page has them (see @splice/manifest SLOT_TAG).
    if (outcome.ok && outcome.unfilled !== undefined && region.request !== null) outcome = fillSlots(outcome, region.request, this.keptSlots(region.instance, from, original), setup?.renderMax ?? 0);
    const gathered: Gathered = { raw, from, before };
    if (!outcome.ok) {
      // Kept like any check's: a later request of the same override renders only that (and,
      // trusted, finds its failure in the memo), not the check too.
      const check = outcome.check === undefined || region.request === null ? undefined : filledCheck(outcome.check, region.request, 'html' in outcome.check ? this.keptSlots(region.instance, from, original) : [], setup?.renderMax ?? 0);
      if (check !== undefined) recordVerdict(this.index.instances, region.instance, checkVerdict(check, core), digestOf(core), this.index.complete);
      return leave(outcome.reason, gathered);
    }
    if (outcome.defaultRender === null && region.trusted?.digest !== undefined && region.trusted.digest !== digestOf(core)) {
      // Trusted on the bytes an earlier request found here; these are others: not the index's page.
      this.restore(gathered);
      this.mismatch(`at ${edit.start} (the instance's bytes are not those it was checked on)`);
      return true;
    }
    let trust = trustOf(outcome, core, region.trusted);
    // Only the check against the cached page is kept; a refused preamble is this override's alone.
    if (outcome.defaultRender !== null) trust = recordVerdict(this.index.instances, region.instance, trust, digestOf(core), this.index.complete);
    const refusal = typeof trust === 'string' ? trust : preambleRefusal(outcome, trust);
    if (refusal !== undefined) return leave(refusal, gathered);
    edit.held = { ...gathered, core, outcome };
    return this.placeRegion(edit, core, outcome);
  }

  /**
   * The region is left default. What needs no render of it is still written: the bytes go back
   * to the stream as cached (those gathered return to the queue, as the page had them, separators
   * included), and its root element and the instances inside it are patched as any others are,
   * with the overrides that set no structural prop of the root; an instance inside with a
   * structural override of its own is a region of its own, re-rendered from its own recorded state
   * and checked against its own cached bytes. The full render with exactly those overrides is this
   * page: the root renders as cached (none of its structural overrides was told), so every
   * instance inside it has its recorded props, contexts and place, and an override by instance
   * names the same one in both (contract 6; `recordWritten` and `recordRegionWritten` tell them).
   */
  private fallBack(edit: RegionEdit, gathered: Gathered | undefined): void {
    if (gathered !== undefined) this.restore(gathered);
    edit.held = undefined;
    this.fellBack.add(edit.region.instance);
    this.edit = this.editFor(edit.site);
  }

  /** The last check of a region, gathered and trusted: its re-render, or its bytes as cached. False while the index cannot tell yet. */
  private placeRegion(edit: RegionEdit, core: Uint8Array, outcome: Extract<RegionOutcome, { ok: true }>): boolean {
    const region = edit.region;
    // While the index grows (a source page), waiting for it holds the region and every byte after
    // it: the instances that decide are looked for only up to `regionBytes` past the region's
    // start (where a region itself must end). Past that the region stays default, decided by the
    // bytes alone, never by where a chunk ends. A complete index decides at once, whatever the
    // distance, and holds nothing after the region.
    const max = this.setup?.regionMax ?? 0;
    const cutoff = this.survey === null ? edit.start + max + 1 : Infinity;
    let moved = this.instancesMoved(region.instance, outcome.instances, cutoff);
    if (typeof moved === 'object') {
      if (this.received < cutoff && !this.ending) return false;
      moved = `whether its re-render moves the instance override #${moved.waitFor} names by its place is known only more than ${max} bytes past its start (limits.regionBytes), further than the edge holds the page`;
    }
    const held = edit.held;
    edit.held = undefined;
    if (moved !== undefined) {
      const instance = this.index.instances[region.instance]!;
      this.problem(`instance ${instance.key} (${instance.id}) at ${edit.start}: ${moved}; left default`);
      // Left default, the cached places are the full render's again: the override naming a place applies there.
      this.fallBack(edit, held);
      return true;
    }
    this.regionEnd = this.index.instances[region.instance]!.end;
    this.regionOf = region.instance;
    this.writeRegion(outcome.bytes);
    this.report.rerendered++;
    this.recordRegionWritten(region, outcome.instances);
    return true;
  }

  /**
   * An override that names an instance by its place (`instance: n`) names, in the full render,
   * the n-th instance of the page that render gives: a re-render that adds or removes instances
   * of that component, or puts others in their place, moves every later one (a card after a grid
   * that shows fewer cards is card 2, no longer card 4), and may create the one named. The edge
   * knows places only as the cached page has them: such a re-render is refused when an override
   * names a place from the region on. So is one creating an instance an override names by an id
   * the cached page does not have (only the full render applies it). Why, or undefined; the
   * override it waits for while the index still grows and has not reached an instance the answer
   * depends on (a source page cut after the region): decided then, so that the outcome does not
   * depend on the chunking. Only instances starting before `cutoff` are looked at: once that many
   * bytes are here (every instance starting before the last byte received is in the index), an
   * answer still waiting is final.
   */
  private instancesMoved(n: number, rendered: readonly { key: string; id: string }[], cutoff: number): string | undefined | { waitFor: number } {
    const all = this.index.instances;
    const instances = cutoff === Infinity ? all : all.filter((i) => i.start < cutoff);
    // The page has ended before the cutoff: no instance the view leaves out can come.
    const settled = (this.index.complete || this.ending) && this.received < cutoff;
    const cached = this.instancesIn(n);
    for (const [key, plans] of this.planned.plan.byKey) {
      const named = plans.filter((p) => p.instance !== undefined);
      if (named.length === 0) continue;
      const before = cached.filter((i) => i.key === key).map((i) => i.id);
      const after = rendered.filter((r) => r.key === key).map((r) => r.id);
      // Instances inside the elements kept as cached (slots) are on the page after the re-render
      // too, but not in its HTML: where they fall among the re-render's own is not known.
      const keptIds = cached.filter((i) => i.key === key && this.inKeptSlot(n, i)).map((i) => i.id);
      const shown = keptIds.length === 0 ? before : before.filter((id) => !keptIds.includes(id));
      if (shown.length === after.length && shown.every((id, i) => id === after[i])) continue;
      if (keptIds.length > 0) {
        const p = named.find((q) => typeof q.instance === 'number' ? q.instance > this.lastOrdinalBefore(n, key) : after.includes(q.instance as string) && !before.includes(q.instance as string));
        if (p !== undefined) return `its re-render changes which instances of ${key} there are around instances of it kept as cached, and override #${p.index} names one of them by ${typeof p.instance === 'number' ? 'its place in the page' : 'an id the cached page does not have'}`;
        continue;
      }
      // Places up to the component's last instance before the region (in the index before it, or
      // around it: rendered first) stay; from there on the full render numbers the re-render's
      // instances, then the cached ones after the region, moved by the difference in count.
      // (Instances that rendered no marker are not counted on either side.)
      const last = this.lastOrdinalBefore(n, key);
      const base = last + 1;
      // Ordinals come in document order: past the highest scanned one, an instance may still come.
      let scanned = -1;
      if (!settled) for (const i of instances) if (i.key === key) scanned = Math.max(scanned, i.ordinal);
      let unknown = false;
      const idAt = (ordinal: number): string | undefined => {
        const inst = instances.find((i) => i.key === key && i.ordinal === ordinal);
        if (inst === undefined && !settled && ordinal > scanned) unknown = true;
        return inst === undefined || inst.ordinal <= last ? undefined : inst.id;
      };
      for (const p of named) {
        let differs: boolean;
        if (typeof p.instance === 'number') {
          if (p.instance <= last) continue;
          // What the full render names, and what the edge applies it to (by the cached page's places).
          const full = p.instance - base < after.length ? after[p.instance - base] : idAt(p.instance - after.length + before.length);
          const cachedId = idAt(p.instance);
          if (unknown) return { waitFor: p.index };
          const edge = cachedId !== undefined && before.includes(cachedId) && !after.includes(cachedId) ? undefined : cachedId;
          differs = full !== edge;
        } else {
          differs = after.includes(p.instance as string) && !before.includes(p.instance as string);
        }
        if (differs) return `its re-render changes which instances of ${key} there are, and override #${p.index} names one of them by ${typeof p.instance === 'number' ? 'its place in the page' : 'an id the cached page does not have'}`;
      }
    }
    return undefined;
  }

  /** The highest ordinal of `key` among the instances before instance `n` in the index (-1: none). */
  private lastOrdinalBefore(n: number, key: string): number {
    const instances = this.index.instances;
    let last = -1;
    for (let i = 0; i < n; i++) if (instances[i]!.key === key) last = Math.max(last, instances[i]!.ordinal);
    return last;
  }

  /** Is the instance inside one of instance `n`'s slots, whose bytes a re-render of `n` keeps? */
  private inKeptSlot(n: number, inst: IndexedInstance): boolean {
    return this.index.slots.some((s) => s.instance === n && s.start <= inst.start && inst.start < s.end);
  }

  /** Is instance `i` (after `n` in document order) inside instance `n`'s range? */
  private inside(i: number, n: number): boolean {
    const instances = this.index.instances;
    const root = instances[n]!;
    const inst = instances[i]!;
    if (root.end >= 0 && inst.start < root.end) return true;
    if (root.end < 0 || inst.start > root.end) return false;
    // Starting exactly at the end: inside only if it opened before the range closed (it renders nothing there).
    let p = inst.parent;
    while (p !== undefined && p > n) p = instances[p]!.parent;
    return p === n;
  }

  /** A site in a region already decided (re-rendered or left as it was). */
  private inDecidedRegion(site: IndexedSite): boolean {
    if (site.start < this.regionEnd) return true;
    return site.start === this.regionEnd && this.regionOf >= 0 && site.instance > this.regionOf && this.inside(site.instance, this.regionOf);
  }

  /** The cached bytes of an instance's slots, from its region's bytes (which start at `start`). */
  private keptSlots(instance: number, start: number, original: Uint8Array): KeptSlot[] {
    const kept: KeptSlot[] = [];
    for (const s of this.index.slots) {
      if (s.instance !== instance) continue;
      const bytes = original.subarray(Math.max(s.start - start, 0), s.end - start);
      kept.push({ n: s.n, bytes: startsWithSeparator(bytes) ? bytes.subarray(SEPARATOR.length) : bytes });
    }
    return kept;
  }

  /**
   * Puts a region's gathered bytes back in the queue, to stream on as cached. When what comes
   * before them ends the way the page's bytes there do (text or not) and no separator is owed,
   * they go back exactly as the page has them: their separators, decided again, could only come
   * out the same, unless the index no longer matches the page, where deciding them from offsets
   * that point elsewhere wrote `<!-- -->` into tags of a page told nothing. Otherwise (a re-render
   * right before them changed how the output ends) a separator the page has in front of them is
   * left out, and `take` decides it again from the separator owed, as `writeRegion` would.
   */
  private restore(gathered: Gathered): void {
    const { raw, from, before } = gathered;
    const text = (b: number) => b !== -1 && b !== GT;
    const first = raw[0] as Uint8Array;
    const again = (before.owed || text(before.out) !== text(before.base)) && startsWithSeparator(first);
    const pieces = again ? [first.subarray(SEPARATOR.length), ...raw.slice(1)] : raw;
    // Decided again as `writeRegion` decides it: a separator before them when the output ends in text.
    if (again) this.sepOwed = before.owed || text(before.out);
    this.queue.splice(this.qHead, 0, ...pieces);
    // Offsets stay the page's: the separator left out is counted as taken.
    this.queued = again ? from + SEPARATOR.length : from;
    // Those bytes are not taken after all: a region gathered next from here (one nested at the
    // same offset) must compare with the byte before them, not with the last one given back.
    this.lastBase = before.base;
  }

  /**
   * Writes what an instance rendered, with React's separators at its edges: `<!-- -->` between
   * text before it and text it starts with; text it ends with owes one to text after it. React
   * escapes `<` and `>` in text, so a raw one always belongs to a tag or a comment.
   */
  private writeRegion(bytes: Uint8Array): void {
    const before = this.lastByte();
    const afterText = this.sepOwed || (before !== -1 && before !== GT);
    this.sepOwed = false;
    if (bytes.length === 0) { this.sepOwed = afterText; return; }
    if (afterText && bytes[0] !== LT) this.out.push(SEPARATOR);
    this.out.push(bytes);
    this.sepOwed = bytes[bytes.length - 1] !== GT;
  }

  /**
   * Do the base bytes at `at` (not taken yet) start with a separator? 1 yes, 0 no, -1 when the
   * bytes here cannot tell yet.
   */
  private separatorAt(at: number): 1 | 0 | -1 {
    let k = 0;
    let offset = this.queued;
    for (let q = this.qHead; q < this.queue.length && k < SEPARATOR.length; q++) {
      const piece = this.queue[q] as Uint8Array;
      let i = Math.max(at - offset, 0);
      offset += piece.length;
      for (; i < piece.length && k < SEPARATOR.length; i++, k++) if (piece[i] !== SEPARATOR[k]) return 0;
    }
    if (k === SEPARATOR.length) return 1;
    return this.ending ? 0 : -1;
  }

  /** Contract 6 for a region: every override applied to an instance that is still there, by id. */
  private recordRegionWritten(region: Region, rendered: readonly { key: string; id: string }[]): void {
    const present = new Set(rendered.map((r) => `${r.key} ${r.id}`));
    const instances = this.index.instances;
    const root = instances[region.instance]!;
    const cached = new Set<string>();
    for (let i = region.instance; i < instances.length; i++) {
      const inst = instances[i]!;
      if (i > region.instance && !this.inside(i, region.instance)) break;
      cached.add(`${inst.key} ${inst.id}`);
      // The root's overrides were applied even when it rendered nothing (a component that returns
      // null for them): the client must render it with them too. A nested instance the re-render
      // no longer contains has nothing to hydrate.
      const gone = i > region.instance && !present.has(`${inst.key} ${inst.id}`);
      // Inside a kept slot the instance is still on the page, as cached: its overrides did not apply.
      const kept = gone && this.inKeptSlot(region.instance, inst);
      for (const p of this.planned.plan.byKey.get(inst.key) ?? []) {
        if (p.instance !== undefined && p.instance !== inst.ordinal && p.instance !== inst.id) continue;
        if (kept) this.problem(`override #${p.index}: instance ${inst.key} (${inst.id}) is inside elements kept as cached around the re-render of ${root.key} (${root.id}); not applied there`);
        if (!gone) this.markWritten(p.index, inst.ordinal);
      }
    }
    // Instances only the re-render has got the overrides that name no instance (`renderOverrides`).
    for (const r of rendered) {
      if (cached.has(`${r.key} ${r.id}`)) continue;
      for (const p of this.planned.plan.byKey.get(r.key) ?? []) {
        if (p.instance !== undefined) continue;
        let ids = this.createdWritten.get(p.index);
        if (ids === undefined) this.createdWritten.set(p.index, (ids = []));
        ids.push(r.id);
      }
    }
  }

  /** `nextEdit` while the index still grows: every site is looked at once, in order. */
  private nextEditGrowing(): AnyEdit | null {
    const sites = this.index.sites;
    const components = (this.manifest as SpliceManifest).components;
    while (this.cursor < sites.length) {
      const site = sites[this.cursor++] as IndexedSite;
      const instance = this.index.instances[site.instance]!;
      this.report.markers++;
      if (!hasOwn(components, instance.key)) {
        const first = this.cursor === 1;
        this.problem(unknownKey(instance.key, first, this.manifest as SpliceManifest));
        if (first) {
          // Contract 5: the first marker names a component this manifest does not know: the page
          // is from another build. Patching part of it would give a page that cannot hydrate.
          this.report.stale = true;
          this.disabled = true;
          return null;
        }
        continue;
      }
      if (this.firstKnown < 0) this.firstKnown = site.start;
      if (this.inDecidedRegion(site)) continue;
      const edit = this.editFor(site);
      if (edit !== null) return edit;
    }
    return null;
  }

  /** The edit an override makes at this site of a known component, if any. */
  private editFor(site: IndexedSite): AnyEdit | null {
    const instance = this.index.instances[site.instance]!;
    if (!this.planned.plan.byKey.has(instance.key)) return null;
    const region = this.anyStructural ? this.regionAt(site) : null;
    if (region !== null) {
      // The instance is re-rendered whole: its other sites are not patched alone.
      if (!this.fellBack.has(region.instance)) return site.start === instance.start ? { kind: 'region', start: site.start, site, region } : null;
      // Left default (`fallBack`): patched in place, as any instance is (`elementEdit`).
    }
    if (site.boundary === true) return null;
    return this.elementEdit(site, false);
  }

  /**
   * The in-place edit at a site of an instance patched in place, if an override reaches the
   * element (`quiet`: a look ahead, reporting nothing). Also what `groupFor` decides an
   * instance's edits from, so an instance left default by its region gets the same filtered
   * edits there as when each is written.
   */
  private elementEdit(site: IndexedSite, quiet: boolean): Edit | null {
    const instance = this.index.instances[site.instance]!;
    let plans = this.planned.plan.byKey.get(instance.key);
    if (plans === undefined) return null;
    // Its region left default (`fallBack`): patched in place with the overrides that need no
    // render. Each is whole by itself (planning checked every hole it touches against its own
    // props alone), so leaving out the structural ones gives what the full render without them gives.
    const fell = this.fellBack.has(site.instance);
    if (fell) plans = plans.filter((p) => !p.structural);
    if (site.start >= this.bootstrapPlace) {
      // After the bootstrap's place the client applies exactly the overrides it gave every
      // instance: the element is written with those alone (one that also carried an untold
      // override, left as cached, would show the client's general one nowhere there).
      const told = plans.filter((p) => this.toldGeneral.has(p.index));
      const eff = effectiveProps(told, instance.ordinal, instance.id);
      const element = eff === null ? undefined : this.compiledElement(instance.key, site.element);
      const reach = eff === null || element === undefined ? null : affected(element, eff.names);
      const edit: Edit | null = reach === null || element === undefined || eff === null || (!reach.attrs && !reach.text) ? null
        : { kind: 'element', start: site.start, site, element, props: eff.props, names: eff.names, needText: reach.text, plans: told };
      const untold = plans.filter((p) => !told.includes(p) && this.reaches(p, site)).map((p) => `override #${p.index}`);
      if (untold.length > 0 && !quiet) {
        this.problem(`marked <${site.tag}> at ${site.start}: after the </body> that takes the bootstrap, so the client could not be told of ${untold.join(', ')}; ${edit === null ? 'left untouched' : 'written with what it was told only'}`);
      }
      return edit;
    }
    let eff: ReturnType<typeof effectiveProps> | undefined;
    if (fell) {
      eff = this.fallbackEffective.get(site.instance);
      if (eff === undefined) this.fallbackEffective.set(site.instance, (eff = effectiveProps(plans, instance.ordinal, instance.id)));
    } else {
      // Overrides that name no instance give every instance the same props: one record per
      // component, not one per instance (a page of thousands of cards keeps one).
      const shared = plans.every((p) => p.instance === undefined);
      eff = shared ? this.effectiveByKey.get(instance.key) : this.effective.get(site.instance);
      if (eff === undefined) {
        eff = effectiveProps(plans, instance.ordinal, instance.id);
        if (shared) this.effectiveByKey.set(instance.key, eff);
        else this.effective.set(site.instance, eff);
      }
    }
    if (eff === null) return null;
    const element = this.compiledElement(instance.key, site.element);
    if (element === undefined) {
      if (!quiet) this.problem(`marker of ${instance.key}: element ${site.element} is not in the manifest`);
      return null;
    }
    const reach = affected(element, eff.names);
    if (!reach.attrs && !reach.text) return null;
    return { kind: 'element', start: site.start, site, element, props: eff.props, names: eff.names, needText: reach.text, plans };
  }

  /** Does a planned override apply to the site's instance and reach its element? */
  private reaches(p: PlannedOverride, site: IndexedSite): boolean {
    const instance = this.index.instances[site.instance]!;
    if (p.instance !== undefined && p.instance !== instance.ordinal && p.instance !== instance.id) return false;
    const element = this.compiledElement(instance.key, site.element);
    if (element === undefined) return false;
    const reach = affected(element, p.names);
    return reach.attrs || reach.text;
  }

  /** The site numbers of instance `n`, in document order. */
  private sitesOf(n: number): number[] {
    const instance = this.index.instances[n]!;
    const byKey = this.survey?.byKey.get(instance.key);
    if (byKey !== undefined) return byKey.byOrdinal[instance.ordinal] ?? [];
    // The index still grows (a source page): its sites are listed by instance as they come, once
    // each, not searched for every instance (quadratic on a page of thousands of cards).
    const sites = this.index.sites;
    for (; this.sitesListed < sites.length; this.sitesListed++) {
      const at = sites[this.sitesListed]!.instance;
      const list = this.siteLists.get(at);
      if (list === undefined) this.siteLists.set(at, [this.sitesListed]);
      else list.push(this.sitesListed);
    }
    return this.siteLists.get(n) ?? [];
  }

  /** The sites of a growing index by instance, and how many of its sites are listed (see `sitesOf`). */
  private readonly siteLists = new Map<number, number[]>();
  private sitesListed = 0;

  /**
   * An instance nested in instance `n`, re-rendered (or left whole) by a structural override,
   * whose range holds this site of `n` (an element `n` passed it to render): the stream skips
   * such a site. (One around `n` itself is decided, and skips all of `n`, before `n` is reached.)
   */
  private rerenderedAround(n: number, site: IndexedSite): string | null {
    const instances = this.index.instances;
    for (let i = n + 1; i < instances.length; i++) {
      const r = instances[i]!;
      if (r.start > site.start) break;
      if (r.end >= 0 && r.end <= site.start) continue;
      // Left default already (`fallBack`): its bytes stream on, and this site is patched in place.
      if (this.fellBack.has(i)) continue;
      const plans = this.planned.plan.byKey.get(r.key);
      if (plans?.some((p) => p.structural && (p.instance === undefined || p.instance === r.ordinal || p.instance === r.id))) return `instance ${r.key} (${r.id})`;
    }
    return null;
  }

  /** Queued bytes from base offset `from` to `to` (all here), without taking them: a view where one chunk holds them, else a copy. */
  private peekRange(from: number, to: number): Uint8Array {
    // Most elements lie in one chunk: copying them cost more than the patch. The queue's chunks
    // are never written to, and the view lives as long as the decision that holds it.
    let at = this.queued;
    for (let q = this.qHead; q < this.queue.length; q++) {
      const piece = this.queue[q] as Uint8Array;
      if (from < at + piece.length) {
        if (from >= at && to <= at + piece.length) return piece.subarray(from - at, to - at);
        break;
      }
      at += piece.length;
    }
    const out = new Uint8Array(Math.max(0, to - from));
    let offset = this.queued;
    for (let q = this.qHead; q < this.queue.length && offset < to; q++) {
      const piece = this.queue[q] as Uint8Array;
      const a = Math.max(from - offset, 0);
      const b = Math.min(to - offset, piece.length);
      if (b > a) out.set(piece.subarray(a, b), offset + a - from);
      offset += piece.length;
    }
    return out;
  }

  /** The queued byte at base offset `at`, or `LT` when it is not here (the end of the page: as `peek`). */
  private byteAt(at: number): number {
    let offset = this.queued;
    for (let q = this.qHead; q < this.queue.length; q++) {
      const piece = this.queue[q] as Uint8Array;
      if (at < offset + piece.length) return at >= offset ? (piece[at - offset] as number) : LT;
      offset += piece.length;
    }
    return LT;
  }

  private compiledElement(key: string, index: number): CompiledElement | undefined {
    let list = this.compiled.get(key);
    if (list === undefined) this.compiled.set(key, (list = []));
    if (!(index in list)) {
      const entry = (this.manifest as SpliceManifest).components[key]?.elements[index];
      list[index] = entry === undefined ? undefined : compileElement(entry);
    }
    return list[index];
  }

  /** Where an edit's bytes end: after the start tag, or at the end of the text it rewrites. */
  private editEnd(edit: Edit): number {
    const site = edit.site;
    if (!edit.needText) return site.tagEnd + 1;
    if (site.contentEnd === PENDING) return PENDING;
    // No text content to rewrite (void, self-closed, or not text only): the start tag alone,
    // which `apply` then refuses with the reason.
    return site.contentEnd < 0 ? site.tagEnd + 1 : site.contentEnd;
  }

  /**
   * What an edit writes, from its bytes as the page has them and the byte after them: the new
   * pieces, why it is refused, or that the page does not match the index there. Pure but for the
   * package functions a hole calls (app code), so a group's decision is kept, not recomputed.
   */
  private evaluate(edit: Edit, end: number, bytes: Uint8Array, next: number): Verdict {
    const site = edit.site;
    const tagEnd = site.tagEnd - site.start;
    // The index is checked against the bytes it points to: `<tag` and the `>` where it says.
    if (!startsWithTag(bytes, site.tag) || bytes[tagEnd] !== GT || (end === site.contentEnd && bytes.length > 0 && next !== LT)) {
      return { ok: false, mismatch: true, reason: 'page index does not match the page' };
    }
    // The manifest names the element it describes: a marked element of another tag (a forged
    // manifest aimed at a <script>, or a stale one) is not patched from it.
    if (edit.element.tag.toLowerCase() !== site.tag) return { ok: false, mismatch: false, reason: `the manifest describes <${edit.element.tag}>, the page has <${site.tag}>` };
    if (edit.needText && (site.contentEnd < 0 || !site.closed)) {
      return { ok: false, mismatch: false, reason: site.contentEnd < 0 ? 'element has no text content (a void element, or the page ends inside it)' : 'element content is not text only' };
    }
    const layout = edit.needText
      ? { attrsStart: 1 + site.tag.length, tagEnd, contentEnd: end - site.start }
      : { attrsStart: 1 + site.tag.length, tagEnd };
    const result = patchElement(bytes, layout, edit.element, edit.props, edit.names, site.mask, this.hosts);
    return result.ok ? result : { ok: false, mismatch: false, reason: result.reason };
  }

  /** Gathers an edit's bytes and writes them patched (`decided`: what its group decided it writes), or as they were. */
  private apply(edit: Edit, end: number, decided?: Uint8Array[]): void {
    const site = edit.site;
    this.sepOwed = false; // an element follows: no separator
    if (decided !== undefined) {
      // Checked when its instance was decided, on these bytes: they are replaced, not copied.
      this.takeAside(end);
      this.report.patchedElements++;
      for (const piece of decided) this.out.push(piece);
      this.recordWritten(edit);
      return;
    }
    const bytes = this.gather(end);
    let verdict: Verdict;
    try {
      verdict = this.evaluate(edit, end, bytes, this.peek());
    } catch (error) {
      this.out.push(bytes); // the gathered bytes go out untouched before the failure is handled
      throw error;
    }
    if (verdict.ok) {
      this.report.patchedElements++;
      for (const piece of verdict.pieces) this.out.push(piece);
      this.recordWritten(edit);
      return;
    }
    this.out.push(bytes);
    if (verdict.mismatch) { this.mismatch(`at ${site.start}`); return; }
    this.problem(`marked <${site.tag}> at ${site.start}: ${verdict.reason}; left untouched`);
  }

  /**
   * The decision for the instance of an edit patched in place (contract 6): every edit of the
   * instance is written, or none is. An instance with one edit is decided by that edit alone
   * (null). With more, nothing from the first one on leaves before the bytes of the last are
   * here; each is then checked, and the instance is written whole (the pieces per edit) or left
   * as cached (why). `WAIT` while the bytes or, with an index still growing, the instance's
   * sites are not all known.
   *
   * The group is the instance's edits inside its range; the bytes held are its span, first edit
   * to last, so at most the instance's root element: a span over `groupMax` leaves the instance
   * as cached. A site of the instance after its range (a component whose first marked element
   * does not hold the others: one returning a fragment without a boundary, a hand-marked page)
   * is decided alone, as it comes: on a source page nothing says before the page ends that no
   * such site will come, and holding every page to its end would stop it streaming. A range that
   * never closes is held to the end of the page, at most `groupMax` bytes.
   */
  private groupFor(edit: Edit): Map<number, Uint8Array[]> | string | null | typeof WAIT {
    const n = edit.site.instance;
    const known = this.groups.get(n);
    if (known !== undefined) return known;
    const ix = this.index;
    const instance = ix.instances[n]!;
    // The group is the instance's edits inside its range (its root element or boundary: all of
    // its elements, in compiled code), known once the range has closed, even while the index
    // still grows. Decided on those alone, whatever else has been scanned by then, so that the
    // outcome depends neither on the chunking nor on whether the index was known up front.
    const growing = this.survey === null;
    const ranged = instance.end >= 0;
    const settled = !growing || this.ending || (ranged ? this.received > instance.end : ix.complete);
    const overflow = !settled && this.received - edit.start > this.groupMax;
    if (!settled && !overflow) return WAIT;
    let edits: Edit[] = [];
    for (const i of this.sitesOf(n)) {
      const site = ix.sites[i]!;
      if (site.boundary === true || (ranged && site.start >= instance.end)) continue;
      const e = this.elementEdit(site, true);
      if (e !== null) edits.push(e);
    }
    // Only the edits that start within `groupMax` of the first are decided together: on a source
    // page whose instance has not closed by then, those are all the stream knows when it must
    // decide (`overflow`), so the index known up front decides on the same ones, and the outcome
    // does not depend on the chunking. A later one is decided alone, as a site after the range.
    if (edits.length > 1) {
      const window = edits[0]!.start + this.groupMax;
      edits = edits.filter((e) => e.start <= window);
    }
    const decide = (value: Map<number, Uint8Array[]> | string | null) => {
      this.groups.set(n, value);
      if (typeof value === 'string') this.problem(`instance ${instance.key} (${instance.id}): ${value}; every element of it left untouched`);
      return value;
    };
    if (edits.length <= 1) return decide(null);
    const first = edits[0]!;
    const ends = edits.map((e) => this.editEnd(e));
    // A loop, not Math.max(...): an instance may have more elements than a call takes arguments.
    let last = -Infinity;
    for (let k = 0; k < ends.length; k++) last = Math.max(last, ends[k] === PENDING ? edits[k]!.site.start : ends[k]!);
    if (first.start < edit.start) return decide(`its marked <${first.site.tag}> at ${first.start} was passed before its other elements`);
    if (ends.includes(PENDING)) return decide(`its elements span more than ${this.groupMax} bytes`);
    if (last - first.start > this.groupMax) return decide(`its elements span more than ${this.groupMax} bytes (${first.start} to ${last})`);
    const body = this.place.bodyEnd;
    if (body >= 0 && first.start < body && edits.some((e) => e.start >= body)) return decide('its elements lie on both sides of the </body> that takes the bootstrap');
    if (this.anyStructural) {
      for (const e of edits) {
        const around = this.rerenderedAround(n, e.site);
        if (around !== null) return decide(`its marked <${e.site.tag}> at ${e.start} is inside ${around}, which is re-rendered`);
      }
    }
    // Every byte of the last edit, and the one after a text edit (the `<` the index promises).
    if (this.received < last + 1 && !this.ending) return WAIT;
    const pieces = new Map<number, Uint8Array[]>();
    for (let k = 0; k < edits.length; k++) {
      const e = edits[k]!;
      const end = ends[k]!;
      const verdict: Verdict = end - e.start > this.elementMax
        ? { ok: false, mismatch: false, reason: `element too long (over ${this.elementMax} bytes)` }
        : this.evaluate(e, end, this.peekRange(e.start, end), this.byteAt(end));
      if (!verdict.ok) {
        const why = decide(verdict.mismatch ? `page index does not match the page at ${e.start}` : `marked <${e.site.tag}> at ${e.start}: ${verdict.reason}`);
        // The page is not the index's from there on: the rest passes through, and the bootstrap
        // goes where a scan of the page as it is puts it (as for an edit decided alone, `apply`).
        if (verdict.mismatch) this.mismatch(`at ${e.start}`);
        return why;
      }
      pieces.set(e.start, verdict.pieces);
      this.decidedEdits.set(e.start, e);
    }
    return decide(pieces);
  }
  /** Which overrides this rewritten element carried: each reaches it through a prop it sets. */
  private recordWritten(edit: Edit): void {
    const instance = this.index.instances[edit.site.instance]!;
    for (const p of edit.plans) {
      if (p.instance !== undefined && p.instance !== instance.ordinal && p.instance !== instance.id) continue;
      const reach = affected(edit.element, p.names);
      if (!reach.attrs && !reach.text) continue;
      this.markWritten(p.index, instance.ordinal);
    }
  }

  private markWritten(override: number, ordinal: number): void {
    let bits = this.written.get(override);
    if (bits === undefined || bits.length <= ordinal) {
      const grown = new Uint8Array(Math.max(16, (ordinal + 1) * 2));
      if (bits !== undefined) grown.set(bits);
      this.written.set(override, (bits = grown));
    }
    bits[ordinal] = 1;
  }

  /** The next queued byte (the one after a gathered edit), or `LT` when none is queued yet. */
  private peek(): number {
    const head = this.qHead < this.queue.length ? this.queue[this.qHead] : undefined;
    return head === undefined ? LT : (head[0] as number);
  }

  /** Do the next queued bytes spell `ascii` (case-insensitively)? False when they are not all here. */
  private nextIs(ascii: string): boolean {
    let k = 0;
    for (let q = this.qHead; q < this.queue.length && k < ascii.length; q++) {
      const piece = this.queue[q] as Uint8Array;
      for (let i = 0; i < piece.length && k < ascii.length; i++, k++) {
        let c = piece[i] as number;
        if (c >= 0x41 && c <= 0x5a) c += 0x20;
        if (c !== ascii.charCodeAt(k)) return false;
      }
    }
    return k === ascii.length;
  }

  /**
   * Is every override a re-render after the bootstrap would apply one the bootstrap gave the
   * client for every instance (so the client renders it there too)? (An element there is made
   * from those overrides alone: `elementEdit`.)
   */
  private toldAhead(edit: RegionEdit): boolean {
    // A re-render applies every override naming no instance (`renderOverrides`), and those naming one in its range.
    const inRange = this.instancesIn(edit.region.instance);
    return [...this.planned.plan.byKey.values()].flat().every((p) => p.instance === undefined
      ? this.toldGeneral.has(p.index)
      : !inRange.some((i) => i.key === p.key && (i.ordinal === p.instance || i.id === p.instance)));
  }

  private insertBootstrap(at: number): void {
    const ix = this.place;
    // Checked before anything is decided here: a `</body>` that is not where the index says is
    // a page that stopped matching it, and the scan of the page as it is finds the real one.
    if (at === ix.bodyEnd && !this.nextIs(BODY_TAG) && !this.bootstrapDone) {
      this.mismatch('at its </body>');
      if (!this.bootstrapDone) return; // placed by the scan now: `advance` goes on
    }
    this.bootstrapDone = true;
    this.bootstrapPlace = at;
    this.sepOwed = false; // a script or the end of the page follows
    // Disabled by a mismatch, the bootstrap still tells what was written before it.
    if ((this.disabled && this.rescan === null) || this.firstKnown < 0 || this.firstKnown >= at) return;
    if (this.rescan !== null && !this.rescan.unchanged) {
      this.problem('the page as it is holds markers; no bootstrap');
      return;
    }
    const script = this.bootstrapFor(at);
    if (script === null) return;
    let prefix = '';
    if (at !== ix.bodyEnd) {
      if (ix.closer === null) { this.problem('page ends in <plaintext>: nothing can follow it as markup; no bootstrap'); return; }
      prefix = ix.closer;
    }
    if (prefix !== '') this.out.push(encoder.encode(prefix));
    this.out.push(script);
    // The general entries keep the applied override's props object: matched by identity.
    for (const a of this.planned.applied) {
      if (a.override.instance === undefined && this.lastTold.some((o) => o.instance === undefined && o.props === a.override.props)) this.toldGeneral.add(a.index);
    }
  }

  /**
   * The bootstrap for a script placed at `at`, or null when it has nothing to say. Contract 6:
   * the client hears of exactly the overrides whose bytes were written; it matches instances by
   * `useId`, and only instances before this point can be named.
   */
  private bootstrapFor(at: number): Uint8Array | null {
    // After a mismatch the index's offsets are not the page's, and nothing more is patched: every
    // instance the index has counts, so that an override written on only some of them is told
    // by id, never to every instance (one the index puts past `at` may be in the page before it).
    const ids = this.instanceIds(this.rescan !== null ? Infinity : at);
    const told = overridesForClient(this.planned.applied, ids, this.wrote, this.created);
    this.lastTold = told;
    const { assignments, facts } = this.told;
    if (told.length === 0 && Object.keys(assignments).length === 0 && facts.site.length === 0) return null;
    const bootstrap: Bootstrap = { buildId: this.manifest!.buildId, assignments, overrides: told };
    if (facts.site.length > 0) bootstrap.site = facts.site;
    const spans = Object.keys(facts.experiments);
    if (spans.length > 0) bootstrap.shown = shownOf(facts.experiments, this.planned.applied, this.planned.skipped, ids, this.wrote);
    if (facts.beacon !== null) bootstrap.beacon = facts.beacon;
    return encoder.encode(bootstrapScript(bootstrap));
  }
}

/** A marker of a component the manifest does not know: on the first marker, a stale page (contract 5). */
function unknownKey(key: string, first: boolean, manifest: SpliceManifest): string {
  return first
    ? `stale page: first marker names ${JSON.stringify(key)}, unknown to manifest ${manifest.buildId}`
    : `unknown component key ${JSON.stringify(key)}; element left untouched`;
}

function length(pieces: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of pieces) n += p.length;
  return n;
}

function startsWithSeparator(bytes: Uint8Array): boolean {
  if (bytes.length < SEPARATOR.length) return false;
  for (let i = 0; i < SEPARATOR.length; i++) if (bytes[i] !== SEPARATOR[i]) return false;
  return true;
}

function startsWithTag(bytes: Uint8Array, tag: string): boolean {
  if (bytes[0] !== LT || bytes.length < tag.length + 1) return false;
  for (let i = 0; i < tag.length; i++) {
    let c = bytes[i + 1] as number;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== tag.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Compiled element tables, per manifest object: a Worker keeps its manifest for every request,
 * so an element is compiled once, not once per request. (Failures are not kept: they throw.)
 */
const compiledByManifest = new WeakMap<SpliceManifest, Map<string, (CompiledElement | undefined)[]>>();

function compiledFor(manifest: SpliceManifest | null): Map<string, (CompiledElement | undefined)[]> {
  if (manifest === null) return new Map();
  let compiled = compiledByManifest.get(manifest);
  if (compiled === undefined) compiledByManifest.set(manifest, (compiled = new Map()));
  return compiled;
}

/** What an index says about a page under one manifest, independent of the overrides. */
interface Survey {
  manifest: SpliceManifest;
  /** Per known component key, its site numbers in document order, all and per instance. */
  byKey: Map<string, KeySites>;
  firstKnown: number;
  stale: boolean;
  problems: string[];
  /** Candidate lists already merged, by the planned keys (a request's set recurs). */
  merged: Map<string, number[]>;
}

interface KeySites {
  all: number[];
  /** The ordinals present, ascending (an instance that rendered nothing is absent). */
  ordinals: number[];
  /** Site numbers by instance ordinal. */
  byOrdinal: number[][];
  /** Instance ordinal by `useId`. */
  byId: Map<string, number>;
}

const surveys = new WeakMap<readonly IndexedSite[], Survey>();

function surveyFor(index: IndexBuilder, manifest: SpliceManifest): Survey {
  const known = surveys.get(index.sites);
  if (known !== undefined && known.manifest === manifest) return known;
  const survey: Survey = { manifest, byKey: new Map(), firstKnown: -1, stale: false, problems: [], merged: new Map() };
  index.sites.forEach((site, i) => {
    const key = index.instances[site.instance]!.key;
    if (!hasOwn(manifest.components, key)) {
      if (i === 0) survey.stale = true;
      if (i === 0 || !survey.stale) survey.problems.push(unknownKey(key, i === 0, manifest));
      return;
    }
    if (survey.firstKnown < 0) survey.firstKnown = site.start;
    let sites = survey.byKey.get(key);
    if (sites === undefined) survey.byKey.set(key, (sites = { all: [], ordinals: [], byOrdinal: [], byId: new Map() }));
    sites.all.push(i);
    const instance = index.instances[site.instance]!;
    if (sites.byOrdinal[instance.ordinal] === undefined) sites.ordinals.push(instance.ordinal);
    (sites.byOrdinal[instance.ordinal] ??= []).push(i);
    sites.byId.set(instance.id, instance.ordinal);
  });
  surveys.set(index.sites, survey);
  return survey;
}

/**
 * The sites a request's overrides can reach, in document order: every site of a component that
 * an override names for all its instances; only the named instances' sites otherwise (an
 * override of card 5 must not cost a look at every card).
 */
function candidatesOf(survey: Survey, planned: PlanResult): readonly number[] {
  const lists: (readonly number[])[] = [];
  const general: string[] = [];
  for (const [key, plans] of planned.plan.byKey) {
    const sites = survey.byKey.get(key);
    if (sites === undefined) continue;
    if (plans.some((p) => p.instance === undefined)) {
      lists.push(sites.all);
      general.push(key);
      continue;
    }
    const ordinals = new Set<number>();
    for (const p of plans) {
      const ordinal = typeof p.instance === 'number' ? p.instance : sites.byId.get(p.instance as string);
      if (ordinal !== undefined && sites.byOrdinal[ordinal] !== undefined) ordinals.add(ordinal);
    }
    for (const o of ordinals) lists.push(sites.byOrdinal[o] as number[]);
  }
  if (lists.length === 1) return lists[0] as number[];
  if (lists.length === general.length) {
    // Only whole components: the merged list depends on the keys alone, so keep it.
    const id = general.join('\n');
    let merged = survey.merged.get(id);
    if (merged === undefined) {
      merged = mergeSorted(lists);
      // Bounded: overrides are request data, so the sets of keys could be many.
      if (survey.merged.size >= 64) survey.merged.clear();
      survey.merged.set(id, merged);
    }
    return merged;
  }
  return mergeSorted(lists);
}

function mergeSorted(lists: readonly (readonly number[])[]): number[] {
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Int32Array(total);
  let at = 0;
  for (const l of lists) { all.set(l, at); at += l.length; }
  return Array.from(all.sort());
}
