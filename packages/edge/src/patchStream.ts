import { safeMessage } from './util';
import { readAssignments, readClientFacts } from './bootstrap';
import type { SpliceManifest } from '@splice/manifest';
import { concat, encoder as textEncoder } from './bytes';
import { IndexBuilder } from './indexBuilder';
import { validatePageIndex } from './pageIndex';
import type { PageIndex } from './pageIndex';
import { hostsOf, planOverrides } from './plan';
import { SourceScanner } from './scanHtml';
import type { ScanLimits } from './scanHtml';
import { Splicer } from './splice';
import type { RegionSetup } from './region';
import type { PatchLimits, PatchOptions, PatchReport, PlanResult, SkippedOverride } from './types';
import { validManifest } from './validManifest';

/*
 * The patch stream, in the two forms a page takes (docs/contracts.md, contract 1):
 *
 *   source page (markers) ─► SourceScanner ─► base page + index ─► Splicer ─► patched page
 *   base page + its index ───────────────────────────────────────► Splicer ─► patched page
 *
 * The first form runs once per cache fill (or at build time, `preparePage`); the second on
 * every hit, where the patcher touches only the bytes the index points to.
 */

function limit(value: unknown, min: number, fallback: number): number {
  return typeof value === 'number' && !Number.isNaN(value) ? Math.max(min, Math.floor(value)) : fallback;
}

function scanLimits(limits: PatchLimits | undefined): ScanLimits {
  return {
    tagBytes: limit(limits?.tagBytes, 64, 64 * 1024),
    markerValueBytes: limit(limits?.markerValueBytes, 16, 64 * 1024),
  };
}

function stringOf(error: unknown): string {
  return safeMessage(error);
}

function deliver(options: PatchOptions, report: PatchReport): void {
  try {
    options.onReport?.(report);
  } catch {
    // A throwing callback is the caller's bug; it must not break the page.
  }
}

function skipAll(overrides: unknown, why: string): SkippedOverride[] {
  if (!Array.isArray(overrides)) return [];
  return overrides.map((override, index) => ({ index, override, reason: `not applied: ${why}` }));
}

export function asBytes(chunk: unknown): Uint8Array | null {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return textEncoder.encode(chunk); // a common mistake upstream
  return null;
}

function hasAssignments(assignments: Record<string, string> | undefined): boolean {
  return assignments !== undefined && Object.keys(assignments).length > 0;
}

/**
 * The patcher as a `TransformStream` of bytes. Never errors because of content: an invalid
 * manifest or index, a stale page, malformed HTML or an internal error all end in the rest of
 * the page passing through unchanged, and the report says why.
 *
 * With `options.index` the input is the base page that index describes (the fast path). Without
 * it the input is a source page: its markers are found in markup context only, removed, and the
 * index of the base page is delivered in the report, to be stored with that base page.
 */
export function createPatchStream(options: PatchOptions): TransformStream<Uint8Array, Uint8Array> {
  return asStream(patchPlan(options), options);
}

/** A pass-through that reports (nothing to write), or the patcher as a transformer. */
type Patching = { report: PatchReport } | { transformer: Transformer<Uint8Array, Uint8Array> };

function asStream(p: Patching, options: PatchOptions): TransformStream<Uint8Array, Uint8Array> {
  if ('transformer' in p) return new TransformStream<Uint8Array, Uint8Array>(p.transformer);
  // A transformer without `transform` is the identity; the report goes out at the end.
  const report = p.report;
  return new TransformStream<Uint8Array, Uint8Array>({ flush() { deliver(options, report); } });
}

function patchPlan(options: PatchOptions): Patching {
  let manifest: SpliceManifest | null = null;
  let planned: PlanResult = { plan: { byKey: new Map() }, applied: [], skipped: [] };
  const problems: string[] = [];
  try {
    manifest = validManifest(options.manifest);
    planned = planOverrides(manifest, options.overrides, { renderer: options.renderer !== undefined, hosts: hostsOf(options.renderer) });
  } catch (error) {
    problems.push(stringOf(error));
    planned.skipped = skipAll(options.overrides, stringOf(error));
  }
  return plannedPatching(manifest, planned, options, problems);
}

/**
 * The patched body for a manifest already validated and overrides already planned (the handler
 * plans before the headers leave, since they report the outcome, and must not pay twice). With
 * nothing to write, the body itself, untouched and unwrapped
 * (even an identity transformer costs a little in workerd); the report is delivered at once.
 */
export function patchBody(
  input: ReadableStream<Uint8Array>,
  manifest: SpliceManifest | null,
  planned: PlanResult,
  options: PatchOptions,
  problems: string[] = [],
): ReadableStream<Uint8Array> {
  return bodyOf(input, plannedPatching(manifest, planned, options, problems), options);
}

/**
 * The patching of a body not here yet, prepared now: with a page index, every re-render the
 * overrides need runs at once, so call it after the base page's fetch has started: the renders
 * fill the wait for a cache lookup or the origin, rather than run while the page streams (and
 * with no timer or later turn, which cost a request in workerd more than the render itself).
 * `bodyFor` then patches the body when it arrives; a prepared patching that is never used costs
 * those renders.
 */
export function preparePatching(manifest: SpliceManifest | null, planned: PlanResult, options: PatchOptions): PreparedPatching {
  const patching = plannedPatching(manifest, planned, options, [], true);
  return { bodyFor: (input) => bodyOf(input, patching, options) };
}

export interface PreparedPatching {
  bodyFor(input: ReadableStream<Uint8Array>): ReadableStream<Uint8Array>;
}

/** With nothing to write, the body itself (the report goes out at once); else the patched body. */
function bodyOf(input: ReadableStream<Uint8Array>, p: Patching, options: PatchOptions): ReadableStream<Uint8Array> {
  if ('transformer' in p) return pullThrough(input, p.transformer);
  deliver(options, p.report);
  return input;
}

function plannedPatching(
  manifest: SpliceManifest | null,
  planned: PlanResult,
  options: PatchOptions,
  problems: string[],
  startNow = false,
): Patching {
  const elementMax = limit(options.limits?.elementBytes, 64, 256 * 1024);
  const read = readAssignments(options.assignments);
  if (read.problem !== null) problems.push(read.problem);
  const client = readClientFacts(options.client);
  if (client.problem !== null) problems.push(client.problem);
  const told = { assignments: read.assignments, facts: client.facts };
  const assignments = read.assignments;
  const setup = regionSetup(options, startNow);
  // An instance's edits are decided together (contract 6): held at most this much, like a re-render.
  const groupMax = limit(options.limits?.regionBytes, 64, 1024 * 1024);
  const keepMax = limit(options.limits?.rescanBytes, 0, 512 * 1024);

  if (options.index !== undefined) {
    let index: PageIndex | null = null;
    try {
      index = validatePageIndex(options.index);
    } catch (error) {
      problems.push(`${stringOf(error)}; page passed through`);
    }
    if (index === null || manifest === null || (planned.applied.length === 0 && !hasAssignments(assignments) && client.facts.site.length === 0)) {
      // Nothing to write to a base page: it passes through as it is.
      return { report: { stale: false, markers: 0, patchedElements: 0, rerendered: 0, skipped: planned.skipped, problems } };
    }
    // Made now, not when the stream starts: its re-renders start with it (see `preparePatching`).
    // It emits nothing before the stream feeds it, by when `sink` is the stream's.
    let sink: ((bytes: Uint8Array) => void) | null = null;
    const splicer = new Splicer(manifest, planned, IndexBuilder.from(index), told, elementMax, (bytes) => sink!(bytes), setup, groupMax, keepMax);
    return { transformer: splicingTransformer(options, problems, (emit) => { sink = emit; return splicer; }, null) };
  }
  const scanner = new SourceScanner(scanLimits(options.limits));
  return { transformer: splicingTransformer(options, problems, (emit) => new Splicer(manifest, planned, scanner.index, told, elementMax, emit, setup, groupMax, keepMax), scanner) };
}

/** The transformer around a splicer, fed directly (fast path) or through the scanner (source page). */
function splicingTransformer(
  options: PatchOptions,
  problems: string[],
  create: (emit: (bytes: Uint8Array) => void) => Splicer,
  scanner: SourceScanner | null,
): Transformer<Uint8Array, Uint8Array> {
  let splicer: Splicer;
  let broken = false;
  const waitFor = async (step: () => void): Promise<void> => {
    while (!broken && splicer.pending !== null) {
      const pending = splicer.pending;
      splicer.pending = null;
      await pending;
      broken = !failSafe(step, splicer, null, null);
    }
  };
  return {
    start(controller) {
      splicer = create((b) => controller.enqueue(b));
      splicer.report.problems.push(...problems);
    },
    transform(chunk, controller) {
      const bytes = asBytes(chunk);
      if (bytes === null) { controller.error(new TypeError('patch stream: chunks must be bytes')); return; }
      if (broken) { controller.enqueue(bytes); return; }
      // Scanner and splicer each fail open on their own bugs; this is the last line behind them.
      broken = !failSafe(() => { if (scanner === null) splicer.pushOne(bytes); else splicer.push(scanner.push(bytes)); }, splicer, controller, bytes);
      // The stream reached a region whose render is still running: wait for it here, and only here.
      if (!broken && splicer.pending !== null) return waitFor(() => splicer.resume());
    },
    async flush(controller) {
      if (!broken) {
        broken = !failSafe(() => {
          if (scanner !== null) splicer.push(scanner.finish());
          splicer.finish();
        }, splicer, controller, null);
        if (!broken && splicer.pending !== null) await waitFor(() => splicer.finish());
      }
      if (scanner !== null) {
        for (const p of scanner.problems) splicer.problem(p);
        if (!broken && !scanner.broken) splicer.report.index = scanner.index.toJSON();
      }
      deliver(options, splicer.report);
    },
  };
}

/**
 * An exception here is a bug in the patcher. The bytes of the chunk that raised it still go out
 * (what was held before it is lost to the visitor only if the bug lost it, which the property
 * tests exist to rule out), and the report says what happened. Returns false when it threw.
 */
function failSafe(step: () => void, splicer: Splicer, controller: TransformStreamDefaultController<Uint8Array> | null, chunk: Uint8Array | null): boolean {
  try {
    step();
    return true;
  } catch (error) {
    splicer.problem(`internal error, passing the rest through: ${stringOf(error)}`);
    if (chunk !== null) controller?.enqueue(chunk);
    return false;
  }
}

function regionSetup(options: PatchOptions, startNow: boolean): RegionSetup | null {
  const renderer = options.renderer;
  let renders = false;
  try {
    renders = renderer !== undefined && renderer !== null && typeof (renderer as { render?: unknown }).render === 'function';
  } catch {
    // A renderer whose `render` cannot even be read (a Proxy, a getter: app code) renders nothing.
  }
  if (!renders || renderer === undefined) return null;
  const regionMax = limit(options.limits?.regionBytes, 64, 1024 * 1024);
  return {
    renderer,
    budgetMs: limit(options.renderBudgetMs, 1, 50),
    regionMax,
    // What a re-render may return is held like the cached range it replaces: an operator who
    // tightens `regionBytes` to bound a request's memory means the re-render's bytes too.
    renderMax: limit(options.limits?.renderBytes, 64, regionMax),
    startNow,
  };
}

/** Patches a byte stream of server-rendered HTML. See `createPatchStream`. */
export function patchHtml(input: ReadableStream<Uint8Array>, options: PatchOptions): ReadableStream<Uint8Array> {
  return bodyOf(input, patchPlan(options), options);
}

/**
 * `input.pipeThrough(new TransformStream(transformer))` without the pipe: the output pulls
 * from the input's reader itself. Same bytes, same errors, cancellation passed on; in workerd
 * a pipe into a JavaScript transformer costs more per request than this loop.
 */
function pullThrough(input: ReadableStream<Uint8Array>, transformer: Transformer<Uint8Array, Uint8Array>): ReadableStream<Uint8Array> {
  const reader = input.getReader();
  let enqueued = 0;
  let ctl: ReadableStreamDefaultController<Uint8Array>;
  const proxy = {
    enqueue(chunk: Uint8Array) { enqueued++; ctl.enqueue(chunk); },
    error(reason: unknown) { ctl.error(reason); },
    terminate() { ctl.close(); },
    get desiredSize() { return ctl.desiredSize; },
  } as unknown as TransformStreamDefaultController<Uint8Array>;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      ctl = controller;
      return transformer.start?.(proxy);
    },
    async pull() {
      const before = enqueued;
      while (enqueued === before) {
        const { done, value } = await reader.read();
        if (done) {
          await transformer.flush?.(proxy);
          ctl.close();
          return;
        }
        await transformer.transform?.(value, proxy);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

export interface PreparedPage {
  /** The base page: the source page without its markers. This is what to cache. */
  body: ReadableStream<Uint8Array>;
  /** Its index, once the page has streamed; store it with the body. */
  index: Promise<PageIndex>;
  /** Problems found on the way (malformed markers, over-long tags); filled when `index` settles. */
  problems: string[];
}

/**
 * Turns a source page into the base page and its index, in one streaming pass: what a cache
 * fill (or a prerender) does once, so that every request after it patches through the index.
 */
export function preparePage(input: ReadableStream<Uint8Array>, limits?: PatchLimits): PreparedPage {
  const scanner = new SourceScanner(scanLimits(limits));
  let resolve!: (index: PageIndex) => void;
  let reject!: (error: unknown) => void;
  const index = new Promise<PageIndex>((res, rej) => { resolve = res; reject = rej; });
  const transform = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const bytes = asBytes(chunk);
      if (bytes === null) throw new TypeError('preparePage: chunks must be bytes');
      for (const piece of scanner.push(bytes)) controller.enqueue(piece);
    },
    flush(controller) {
      for (const piece of scanner.finish()) controller.enqueue(piece);
      resolve(scanner.index.toJSON());
    },
  });
  // An input that fails, or a reader that cancels, leaves no index: say so instead of hanging.
  input.pipeTo(transform.writable).catch((error: unknown) => reject(error));
  index.catch(() => undefined); // rejection is the caller's to observe, not an unhandled one
  return { body: transform.readable, index, problems: scanner.problems };
}

/** `preparePage` for a page held in memory (a prerender at build time). */
export function preparePageSync(source: Uint8Array | string, limits?: PatchLimits): { html: Uint8Array; index: PageIndex; problems: string[] } {
  const scanner = new SourceScanner(scanLimits(limits));
  const bytes = typeof source === 'string' ? textEncoder.encode(source) : source;
  const html = concat([...scanner.push(bytes), ...scanner.finish()]);
  return { html, index: scanner.index.toJSON(), problems: scanner.problems };
}
