import { safeMessage } from './util';
import { MARKER_ATTRIBUTE, SLOT_TAG, checkInstanceState, escapeHtml } from '@splice/manifest';
import type { InstanceState, Override, SpliceManifest } from '@splice/manifest';
import { bytesEqual, concat, encoder, utf8Over, utf8Size } from './bytes';
import type { IndexedInstance } from './pageIndex';
import { SourceScanner } from './scanHtml';
import type { RenderRequest, SpliceRenderer } from './types';

/**
 * A structural hole: one component instance the edge re-renders and splices in place of its
 * cached bytes. Its render starts before the stream reaches it and races the stream: bytes before
 * it flow on, the stream waits at its start only if the render has not finished, and a render
 * that finishes first waits for the stream. A render that throws or overruns its budget, or
 * whose output cannot be trusted, leaves the region as it was.
 */
export interface Region {
  /** Index into the page index's instances. */
  instance: number;
  /** The render, once started; settles to `outcome`. */
  promise: Promise<void> | null;
  /** Null while the render runs. */
  outcome: RegionOutcome | null;
  /** What to render, or why not (then `outcome` is set from the start). */
  request: RenderRequest | null;
  /**
   * The verdict of an earlier check of this instance. Without one, this render also renders the
   * instance with no override, to check it against the cached bytes: see `verdicts`.
   */
  trusted?: Trusted | undefined;
  /**
   * Once its render was called: how long it has taken so far, in ms (from the call, less what
   * other renders' calls took meanwhile: see `inRenderCalls`). The budget is held to this.
   */
  spent?: () => number;
  /**
   * The check render's bytes, where they were known before the render (`MemoStore.checks`): an
   * outcome over the budget still carries them, so the check is made on the cached bytes.
   */
  pendingCheck?: PendingCheck;
}

/**
 * A check render's result before the stream reaches the region: its bytes, or, where it left the
 * instance's slots empty, its HTML, read once the cached bytes of those slots are at hand (`filledCheck`).
 */
export type PendingCheck = { bytes: Uint8Array; preamble: string } | { html: string };

export type RegionOutcome =
  | {
    ok: true;
    bytes: Uint8Array;
    instances: { key: string; id: string }[];
    /** What React wrote before the instance: resources it hoists (image preloads), meant for the head. */
    preamble: string;
    /** The render with no override, when this one is checked (see `verdicts`). */
    defaultRender: { bytes: Uint8Array; preamble: string } | null;
    /**
     * The render left the instance's slots empty (it received elements, kept as the page has
     * them): the HTML waits for the cached bytes of those slots (`fillSlots`), and `bytes`,
     * `instances`, `preamble` and `defaultRender` are known only then.
     */
    unfilled?: { html: string; defaultHtml: string | null };
  }
  | {
    ok: false;
    reason: string;
    /**
     * The render with no override, when this one was to be checked and only the override's
     * render failed: the instance is still checked against the cached bytes, so that a later
     * request of an override that fails every time costs one render, not two (see `verdicts`).
     */
    check?: PendingCheck;
    /** The override's render itself failed (not its check, budget or cap): a render of the same overrides fails alike. */
    failedRender?: true;
  };

/** A trusted instance: its re-render reproduced the page; React's preamble for it then was this. */
export interface Trusted {
  preamble: string;
  /**
   * A digest of the cached bytes the check was made on (`digestOf`). A later request skips the
   * default render and trusts those bytes: it must first find the same bytes there, or the page
   * is not the one the index was checked on (edited between origin and edge), and a re-render
   * spliced at the index's offsets would land in the middle of something else.
   */
  digest?: string;
}

/** FNV-1a over the bytes, twice with different seeds, and their length: to recognize the same bytes, not to withstand an adversary. */
export function digestOf(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${bytes.length}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
}

export interface RegionSetup {
  renderer: SpliceRenderer;
  budgetMs: number;
  regionMax: number;
  /**
   * Most bytes of HTML (UTF-8, markers included) one render may return, the check render's too:
   * the edge holds it, and what it becomes, until the stream reaches the region.
   */
  renderMax: number;
  /** Renders start at once, not on a later turn: the page is still being fetched. */
  startNow?: boolean;
}

/**
 * Whether re-renders of an instance reproduce the cached page, per page index (held for the
 * life of the isolate with the index): the first re-render of an instance also renders it with
 * its recorded props and no override, and only if that gives exactly the cached bytes is the
 * instance trusted. It catches what the build cannot see: a child component reading a context
 * or the clock, props that do not survive JSON, a tree position React would number otherwise.
 */
const verdicts = new WeakMap<readonly IndexedInstance[], Map<number, Trusted | Untrusted>>();

/**
 * An instance whose check failed, and how many of the requests that would re-render it leave it
 * as cached before it is checked again. The check cannot tell an instance that renders something
 * the edge cannot know from a page whose bytes were edited on their way to the edge (the index
 * has no digest of them): a verdict made on such a page must not keep every later request of the
 * index from re-rendering it. Each failed check doubles the wait, up to `MAX_WAIT`: an instance
 * that never reproduces its bytes costs one check render in that many requests.
 */
interface Untrusted { reason: string; skipped: number; wait: number; digest: string; final?: boolean }
const FIRST_WAIT = 16;
const MAX_WAIT = 1024;

/** The instance's verdict: trusted; why not (left as cached this time); or undefined: check it (again). */
export function verdictOf(instances: readonly IndexedInstance[], instance: number): Trusted | string | undefined {
  const verdict = verdicts.get(instances)?.get(instance);
  if (verdict === undefined || !('reason' in verdict)) return verdict;
  if (verdict.final === true || verdict.skipped < verdict.wait) {
    verdict.skipped++;
    return verdict.reason;
  }
  return undefined;
}

/**
 * Keeps the verdict of a check made on the cached bytes with digest `digest`, and returns the one
 * that holds for this request. A check that passes on the very bytes an earlier check of the
 * instance failed on does not make it trusted: the instance renders differently from one render to
 * the next (a child choosing at random), and is left as cached for good.
 */
export function recordVerdict(instances: readonly IndexedInstance[], instance: number, verdict: Trusted | string, digest: string, persistent: boolean): Trusted | string {
  if (!persistent) return verdict;
  let map = verdicts.get(instances);
  if (map === undefined) verdicts.set(instances, (map = new Map()));
  const before = map.get(instance);
  const failed = before !== undefined && 'reason' in before ? before : undefined;
  if (typeof verdict !== 'string') {
    if (failed?.digest !== digest) { map.set(instance, { ...verdict, digest }); return verdict; }
    const reason = 'its re-render with the recorded props gave the cached bytes once and other bytes another time (it renders something the edge cannot know: a child choosing at random, ...)';
    map.set(instance, { reason, skipped: 0, wait: MAX_WAIT, digest, final: true });
    return reason;
  }
  const wait = failed !== undefined ? Math.min(failed.wait * 2, MAX_WAIT) : FIRST_WAIT;
  map.set(instance, { reason: verdict, skipped: 0, wait, digest });
  return verdict;
}

/** The instance's recorded state, checked against the manifest, or why it cannot be re-rendered. */
export function stateFor(manifest: SpliceManifest, instance: IndexedInstance): Extract<InstanceState, { props: unknown }> | string {
  const entry = manifest.components[instance.key];
  if (entry?.render === undefined) return `${entry?.name ?? instance.key} cannot be re-rendered (no render entry)`;
  if (instance.state === undefined) return 'the page recorded no state for this instance (rendered without its root probe?)';
  const state = checkInstanceState(instance.state, entry.render.contexts);
  if (state === null) return 'the instance state recorded in the page is malformed';
  if ('refused' in state) return `it cannot be re-rendered: ${state.refused}`;
  return state;
}

/**
 * Runs the render(s) under the budget and turns the HTML into base-page bytes: the markers of
 * the re-rendered HTML removed by the same context-aware scan as a page's, and its first
 * instance checked to be the one asked for.
 */
export function startRegion(region: Region, setup: RegionSetup, instances: readonly IndexedInstance[] | null, now = false): void {
  const request = region.request;
  if (request === null || region.promise !== null) return;
  const memo = instances === null ? null : memoFor(setup.renderer, instances, region.instance);
  const key = memo === null ? '' : JSON.stringify(request.overrides);
  // A check render that came back after its request's budget, for an instance never checked
  // since: the same HTML again (a render of the recorded state), so this request's check can be
  // made whatever its override's render takes. (Once checked, a check renders afresh: a render
  // that differs from the last one is how an instance that renders at random is found.) Taken
  // from the store: used by this request (or lost with it), and never read once a verdict is kept.
  const first = region.trusted === undefined && instances !== null && verdicts.get(instances)?.get(region.instance) === undefined;
  const taken = memo === null ? undefined : takeCheck(memo.store, region.instance);
  const checkHtml = first ? taken : undefined;
  // Only an instance's first check is kept when it comes back late (later ones render afresh), and not again once used.
  const keepCheck = first && checkHtml === undefined;
  let known = memo?.map.get(key);
  // A kept failure is tried again after `FAILURE_REUSES` requests: one that was not the render's
  // own (an error of the renderer's, passing) must not hold the override off for as long as the
  // index lives.
  if (memo !== null && known !== undefined && !known.ok && ++known.uses > FAILURE_REUSES) {
    forget(memo.store, memo.instance, memo.map, key);
    known = undefined;
  }
  // A memo made under a larger cap (another request's limits) is not this request's to use.
  if (known !== undefined && region.trusted !== undefined && known.htmlBytes <= setup.renderMax) {
    // The same overrides on the same cached instance: the same bytes as last time (or the same failure).
    region.outcome = known.ok ? { ...known, defaultRender: null } : { ok: false, reason: known.reason };
    region.promise = Promise.resolve();
    return;
  }
  if (checkHtml !== undefined) {
    // With slots to fill, the check is read where the stream has their cached bytes (`filledCheck`).
    const pending = pendingOf(checkHtml, request, setup.renderMax).check;
    if (pending !== undefined) region.pendingCheck = pending;
  }
  // `now` when the page is still being fetched (the request handler): the render fills that
  // wait. Otherwise on a later turn of the event loop: a synchronous render started now would
  // hold back the bytes before it; started then, the first chunk has left and the render runs
  // while the stream moves on.
  region.promise = now
    ? run(region, request, setup, memo, key, checkHtml, keepCheck)
    : new Promise<void>((resolve) => { later(() => run(region, request, setup, memo, key, checkHtml, keepCheck).then(resolve)); });
}

const clock: () => number = typeof performance === 'object' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/**
 * What the stream waits on at a region whose render is unfinished: the render, or the rest of
 * its budget, whichever ends first (then the region is left default). The budget is counted from
 * the render's call, in the render's own time (`spent`). The timer exists only while the stream
 * waits: a render that finishes first needs none, and in workerd a timer per request is not free.
 */
export function waitForRegion(region: Region, setup: RegionSetup): Promise<void> {
  const promise = region.promise ?? Promise.resolve();
  if (region.outcome !== null) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overrun = new Promise<void>((resolve) => {
    const arm = (): void => {
      // A render not called yet (it starts on a later turn) has not begun its budget.
      const left = region.spent === undefined ? setup.budgetMs : setup.budgetMs - region.spent();
      timer = setTimeout(() => {
        if (region.outcome !== null) { resolve(); return; }
        // Called late, or held up by other work: the rest of its own budget, not the wall clock's.
        if (region.spent === undefined || region.spent() <= setup.budgetMs) { arm(); return; }
        // With the check's bytes, where known: the check is still made (see `pendingCheck`).
        region.outcome = region.pendingCheck === undefined ? overBudget(setup) : { ...overBudget(setup), check: region.pendingCheck };
        resolve();
      }, Math.max(0, left));
    };
    arm();
  });
  return Promise.race([promise, overrun]).then(() => clearTimeout(timer));
}

const overBudget = (setup: RegionSetup): Extract<RegionOutcome, { ok: false }> => ({ ok: false, reason: `re-render over its budget of ${setup.budgetMs} ms` });

/**
 * Time spent inside `render` calls, every region's: a synchronous render (React's renderToString)
 * does its work there. Renders started one after another in the same turn (`startNow`) have
 * their results looked at only once the last has returned; what the others spent in between is
 * not this render's duration.
 */
let inRenderCalls = 0;

function run(region: Region, request: RenderRequest, setup: RegionSetup, memo: MemoHandle | null, key: string, checkHtml: string | undefined, keepCheck: boolean): Promise<void> {
  const renders: Promise<string>[] = [];
  const started = clock();
  const before = inRenderCalls;
  let own = 0;
  try {
    renders.push(setup.renderer.render(request));
    if (region.trusted === undefined) renders.push(checkHtml !== undefined ? Promise.resolve(checkHtml) : setup.renderer.render({ ...request, overrides: [] }));
  } catch (error) {
    // A renderer that throws instead of rejecting. A render it already returned may still
    // reject: handled, so that it cannot end the process as an unhandled rejection.
    for (const pending of renders) Promise.resolve(pending).catch(() => undefined);
    region.outcome = { ok: false, reason: `re-render failed: ${messageOf(error)}` };
    if (memo !== null && renders.length === 0) rememberFailure(memo, key, region.outcome.reason);
    return Promise.resolve();
  } finally {
    own = clock() - started;
    inRenderCalls += own;
  }
  region.spent = () => clock() - started - (inRenderCalls - before - own);
  // Settled apart: where the override's render fails and the check render does not, the check
  // is still made (`check`).
  return Promise.allSettled(renders).then((settled) => {
    const [main, check] = settled as [PromiseSettledResult<unknown>, PromiseSettledResult<unknown> | undefined];
    // Decided already: the stream waited out the budget (`waitForRegion`). What came back late
    // is kept for the next request of this index (`keepLate`).
    if (region.outcome !== null) {
      if (memo !== null) keepLate(memo, key, request, main, keepCheck ? check : undefined, setup.renderMax);
      return;
    }
    try {
      if (main.status === 'rejected') {
        const reason = `re-render failed: ${messageOf(main.reason)}`;
        region.outcome = { ok: false, reason, ...pendingOf(check?.status === 'fulfilled' ? check.value : undefined, request, setup.renderMax) };
        if (memo !== null) rememberFailure(memo, key, reason);
        return;
      }
      if (check?.status === 'rejected') {
        region.outcome = { ok: false, reason: `re-render failed: ${messageOf(check.reason)}` };
        return;
      }
      settle(region, request, memo, key, check === undefined ? [main.value] : [main.value, check.value], setup.renderMax);
    } catch (error) {
      // Whatever the renderer returned, this promise must not reject: the stream awaits it
      // (behind the request handler it would end the response), and on a later turn nothing
      // would handle it.
      region.outcome ??= { ok: false, reason: `re-render failed: ${messageOf(error)}` };
    }
  });
}

/**
 * Renders that came back after the stream had left their region default (over the budget): a
 * render of the same overrides gives the same result, so a later request of the index uses it
 * (the override's once the instance is trusted, the check's for the instance's first check).
 * Without this, a render over the budget was made again, and thrown away again, at every
 * request: twice, where the check was one, so that the instance was never trusted either.
 */
function keepLate(memo: MemoHandle, key: string, request: RenderRequest, main: PromiseSettledResult<unknown>, check: PromiseSettledResult<unknown> | undefined, max: number): void {
  try {
    if (main.status === 'rejected') rememberFailure(memo, key, `re-render failed: ${messageOf(main.reason)}`);
    else if (typeof main.value === 'string' && !utf8Over(main.value, max)) {
      // Empty slots: kept unfilled, as `settle` keeps such a render.
      if (hasEmptySlot(main.value, request)) remember(memo, key, unfilledMemo(main.value, max));
      else {
        const m = fragmentOf(main.value, request);
        if ('reason' in m) rememberFailure(memo, key, m.reason);
        else remember(memo, key, renderedMemo(m, main.value, max));
      }
    }
    // A check with empty slots is read once they are filled, at the request that uses it.
    if (check?.status === 'fulfilled' && typeof check.value === 'string' && pendingOf(check.value, request, max).check !== undefined) rememberCheck(memo, check.value);
  } catch {
    // Nothing is kept from a result that cannot be read; the request is long gone.
  }
}

/**
 * A check render's result, to be compared with the cached bytes: its bytes, or its HTML where it
 * left slots empty (read once the stream has their cached bytes: `filledCheck`); none where it is
 * not HTML of the one instance (no check is made this time).
 */
function pendingOf(html: unknown, request: RenderRequest, max: number): { check?: PendingCheck } {
  if (typeof html !== 'string' || utf8Over(html, max)) return {};
  if (hasEmptySlot(html, request)) return { check: { html } };
  const d = fragmentOf(html, request);
  return 'reason' in d ? {} : { check: { bytes: d.bytes, preamble: d.preamble } };
}

/**
 * A pending check's bytes, its slots filled with the cached bytes of the instance's slots where it
 * left them empty; undefined where it cannot be read (then no verdict is kept: checked again).
 */
export function filledCheck(check: PendingCheck, request: RenderRequest, kept: readonly KeptSlot[], max: number): { bytes: Uint8Array; preamble: string } | undefined {
  if (!('html' in check)) return check;
  const read = fillSlots({ ok: true, bytes: EMPTY, instances: [], preamble: '', defaultRender: null, unfilled: { html: check.html, defaultHtml: null } }, request, kept, max);
  return read.ok ? { bytes: read.bytes, preamble: read.preamble } : undefined;
}

/** The region's outcome from what its render(s) returned. */
function settle(region: Region, request: RenderRequest, memo: MemoHandle | null, key: string, result: unknown[], max: number): void {
  // Over the cap before anything else looks at it (the slot search, the scan, the encoding all
  // scale with it): an override that lists 100,000 items must not make the request hold them.
  if (result.some((html) => typeof html === 'string' && utf8Over(html, max))) {
    region.outcome = overCap(max);
    return;
  }
  // A render that is back before the stream needed it is used, however long it took: the
  // budget bounds how long the stream waits (`waitForRegion`), and throwing away finished
  // work gives no time back. (A synchronous render cannot be stopped anyway, and in workerd
  // the clock does not move while one runs.)
  // Either render may hold an empty slot (an override can hide the children, or replace them).
  if (typeof result[0] === 'string' && (hasEmptySlot(result[0], request) || (region.trusted === undefined && typeof result[1] === 'string' && hasEmptySlot(result[1], request)))) {
    if (region.trusted === undefined && typeof result[1] !== 'string') {
      region.outcome = { ok: false, reason: 're-render did not return HTML' };
      return;
    }
    // Filled where the cached bytes are at hand (see `fillSlots`); kept unfilled in the memo.
    const unfilled = { html: result[0], defaultHtml: region.trusted === undefined ? result[1] as string : null };
    region.outcome = { ok: true, bytes: EMPTY, instances: [], preamble: '', defaultRender: null, unfilled };
    if (memo !== null) remember(memo, key, unfilledMemo(result[0], max));
    return;
  }
  const outcome = outcomeOf(result[0], region.trusted === undefined ? result[1] : null, request, max);
  region.outcome = outcome;
  if (!outcome.ok && outcome.failedRender === true && memo !== null) rememberFailure(memo, key, outcome.reason);
  if (outcome.ok && memo !== null) remember(memo, key, renderedMemo(outcome, result[0], max));
}

/** A macrotask: `setImmediate` where the runtime has it (Node: `setTimeout(0)` waits ≥1 ms there), else `setTimeout(0)` (workerd runs it at once). */
const later: (task: () => void) => void = typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
  ? (task) => { (globalThis as unknown as { setImmediate(t: () => void): void }).setImmediate(task); }
  : (task) => { setTimeout(task, 0); };

/**
 * A finished re-render, and the size of the HTML it came from: a memo made under another
 * request's larger `renderBytes` is used only where that HTML is within this request's.
 */
type Memo =
  | (Omit<Extract<RegionOutcome, { ok: true }>, 'defaultRender'> & { htmlBytes: number })
  /** A render that failed: a pure function of the recorded state and the overrides fails again (`uses`: how many requests took it). */
  | { ok: false; reason: string; htmlBytes: 0; uses: number };

/** How many requests take a kept failure before the render is tried again. */
const FAILURE_REUSES = 16;

const overCap = (max: number): RegionOutcome => ({ ok: false, reason: `re-render returned more than ${max} bytes of HTML (limits.renderBytes)` });

/** A render's memo entry, from its bytes and the HTML they were read from. */
function renderedMemo(read: { bytes: Uint8Array; instances: { key: string; id: string }[]; preamble: string }, html: unknown, max: number): Memo {
  return { ok: true, bytes: read.bytes, instances: read.instances, preamble: read.preamble, htmlBytes: typeof html === 'string' ? utf8Size(html, max) : 0 };
}

/** The memo entry of a render that left slots empty: its HTML, filled where a request has the cached slots (`fillSlots`). */
function unfilledMemo(html: string, max: number): Memo {
  return { ok: true, bytes: EMPTY, instances: [], preamble: '', unfilled: { html, defaultHtml: null }, htmlBytes: utf8Size(html, max) };
}

function rememberFailure(memo: MemoHandle, key: string, reason: string): void {
  remember(memo, key, { ok: false, reason, htmlBytes: 0, uses: 0 });
}

function remember(memo: MemoHandle, key: string, value: Memo): void {
  const { store, instance, map } = memo;
  // What the entry holds: its bytes, the HTML kept for slots, and the key (the overrides' JSON).
  const size = (value.ok ? value.bytes.length + value.preamble.length + (value.unfilled?.html.length ?? 0) : value.reason.length) + key.length;
  if (size > MEMO_BYTES) return;
  forget(store, instance, map, key);
  if (map.size >= MEMO_PER_INSTANCE) forget(store, instance, map, map.keys().next().value as string);
  map.set(key, value);
  store.ages.set(`${instance} ${key}`, { map, key, size });
  store.bytes += size;
  // The oldest entries of the whole index go first, whichever instance they belong to.
  while (store.bytes > MEMO_BYTES) {
    const [id, oldest] = store.ages.entries().next().value as [string, { map: Map<string, Memo>; key: string; size: number }];
    store.ages.delete(id);
    oldest.map.delete(oldest.key);
    store.bytes -= oldest.size;
  }
}

function forget(store: MemoStore, instance: number, map: Map<string, Memo>, key: string): void {
  const id = `${instance} ${key}`;
  const entry = store.ages.get(id);
  if (entry !== undefined) { store.ages.delete(id); store.bytes -= entry.size; }
  map.delete(key);
}

const EMPTY = new Uint8Array(0);

/** The cached bytes of one slot of the instance (without a separator the scan wrote before them). */
export interface KeptSlot { n: number; bytes: Uint8Array }

function slotPattern(request: RenderRequest): RegExp {
  const esc = (v: string) => escapeHtml(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<${SLOT_TAG} ${MARKER_ATTRIBUTE}="${esc(request.key)} (\\d+) ${esc(request.id)}(?: #\\d+)?"></${SLOT_TAG}>`, 'g');
}

function hasEmptySlot(html: string, request: RenderRequest): boolean {
  return html.includes(`<${SLOT_TAG} `) && slotPattern(request).test(html);
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Puts the cached bytes of the instance's slots into the empty slots of its re-render (the k-th
 * empty slot n takes the k-th cached slot n), then reads the result as any re-render. A slot the
 * re-render has and the page has not (it renders elements the cached page never showed) refuses.
 */
export function fillSlots(outcome: Extract<RegionOutcome, { ok: true }>, request: RenderRequest, kept: readonly KeptSlot[], max: number): RegionOutcome {
  const unfilled = outcome.unfilled;
  if (unfilled === undefined) return outcome;
  const fill = (html: string): string | { reason: string } => {
    const used = new Map<number, number>();
    let missing: number | null = null;
    const out = html.replace(slotPattern(request), (tag, n: string) => {
      const k = used.get(Number(n)) ?? 0;
      used.set(Number(n), k + 1);
      const slot = kept.filter((s) => s.n === Number(n))[k];
      if (slot === undefined) { missing = Number(n); return tag; }
      const cut = tag.length - `</${SLOT_TAG}>`.length;
      return `${tag.slice(0, cut)}${strictDecoder.decode(slot.bytes)}${tag.slice(cut)}`;
    });
    return missing === null ? out : { reason: `its re-render shows elements it received (slot ${missing}) that the cached page does not hold` };
  };
  let main: string | { reason: string };
  let def: string | { reason: string } | null = null;
  try {
    main = fill(unfilled.html);
    if (unfilled.defaultHtml !== null) def = fill(unfilled.defaultHtml);
  } catch {
    return { ok: false, reason: 'the cached bytes of its slots are not UTF-8' };
  }
  if (typeof main !== 'string') return { ok: false, reason: main.reason };
  if (def !== null && typeof def !== 'string') return { ok: false, reason: def.reason };
  // The cached slots' bytes are in it now: held to the same cap as any render.
  if (utf8Over(main, max) || (def !== null && utf8Over(def, max))) return overCap(max);
  return outcomeOf(main, def, request, max);
}

/** The render's HTML (and the check render's, when there is one) read as base-page bytes. */
function outcomeOf(main: unknown, def: unknown, request: RenderRequest, max: number): RegionOutcome {
  // Callers have checked the strings already; this is the last word before they become bytes.
  if ((typeof main === 'string' && utf8Over(main, max)) || (typeof def === 'string' && utf8Over(def, max))) return overCap(max);
  const m = fragmentOf(main, request);
  if ('reason' in m) return { ok: false, reason: m.reason, failedRender: true, ...pendingOf(def, request, max) };
  let defaultRender: { bytes: Uint8Array; preamble: string } | null = null;
  if (def !== null) {
    const d = fragmentOf(def, request);
    if ('reason' in d) return { ok: false, reason: d.reason };
    defaultRender = { bytes: d.bytes, preamble: d.preamble };
  }
  return { ok: true, bytes: m.bytes, instances: m.instances, preamble: m.preamble, defaultRender };
}

/**
 * Finished re-renders, per renderer, page index object and instance, by their overrides: an
 * experiment sends the same few variants to every visitor, and a render is a pure function of
 * the recorded state and the overrides, so a repeat costs a lookup. Bounded per instance, and in
 * bytes per index (`MEMO_BYTES`); held only as long as the index object is.
 */
const memos = new WeakMap<object, WeakMap<readonly IndexedInstance[], MemoStore>>();
const MEMO_PER_INSTANCE = 8;
/**
 * Most bytes kept per renderer and page index object: one request re-rendering every card of a
 * page must not leave the isolate holding all of them for as long as the index lives (a Worker
 * has 128 MB). 8 MiB is one instance's 8 entries at the default `renderBytes`; past it the oldest
 * entries of the index go, whatever their instance.
 */
const MEMO_BYTES = 8 * 1024 * 1024;

/** The memo of one renderer and page index: entries per instance, and all of them by age with their sizes. */
interface MemoStore {
  byInstance: Map<number, Map<string, Memo>>;
  ages: Map<string, { map: Map<string, Memo>; key: string; size: number }>;
  bytes: number;
  /**
   * First check renders that came back too late to be compared (`keepLate`), by instance, until
   * a request takes one (`takeCheck`); within `MEMO_BYTES` in all (counted in UTF-16 code units).
   */
  checks: Map<number, string>;
  checkBytes: number;
}

function rememberCheck(memo: MemoHandle, html: string): void {
  const { store, instance } = memo;
  if (store.checks.has(instance) || store.checkBytes + html.length > MEMO_BYTES) return;
  store.checks.set(instance, html);
  store.checkBytes += html.length;
}

/** The kept check render of the instance, removed from the store. */
function takeCheck(store: MemoStore, instance: number): string | undefined {
  const html = store.checks.get(instance);
  if (html === undefined) return undefined;
  store.checks.delete(instance);
  store.checkBytes -= html.length;
  return html;
}

interface MemoHandle { store: MemoStore; instance: number; map: Map<string, Memo> }

function memoFor(renderer: object, instances: readonly IndexedInstance[], instance: number): MemoHandle {
  let byIndex = memos.get(renderer);
  if (byIndex === undefined) memos.set(renderer, (byIndex = new WeakMap()));
  let store = byIndex.get(instances);
  if (store === undefined) byIndex.set(instances, (store = { byInstance: new Map(), ages: new Map(), bytes: 0, checks: new Map(), checkBytes: 0 }));
  let map = store.byInstance.get(instance);
  if (map === undefined) store.byInstance.set(instance, (map = new Map()));
  return { store, instance, map };
}

const preambleDecoder = new TextDecoder();

function fragmentOf(
  html: unknown,
  request: RenderRequest,
): { bytes: Uint8Array; preamble: string; instances: { key: string; id: string }[] } | { reason: string } {
  if (typeof html !== 'string') return { reason: 're-render did not return HTML' };
  // The component returned null for these props: the full render has nothing there either.
  if (html === '') return { bytes: new Uint8Array(0), preamble: '', instances: [] };
  const scanner = new SourceScanner({ tagBytes: 64 * 1024, markerValueBytes: 64 * 1024 });
  const all = concat([...scanner.push(encoder.encode(html)), ...scanner.finish()]);
  const first = scanner.index.instances[0];
  if (scanner.broken || first === undefined || first.key !== request.key || first.end !== all.length) {
    return { reason: 're-rendered HTML is not one instance of the component' };
  }
  // The same id means the same tree position: every useId inside matches the full render's.
  if (first.id !== request.id) return { reason: `re-rendered instance has id ${first.id}, not ${request.id}` };
  return {
    bytes: all.subarray(first.start),
    preamble: first.start === 0 ? '' : preambleDecoder.decode(all.subarray(0, first.start)),
    instances: scanner.index.instances.map((i) => ({ key: i.key, id: i.id })),
  };
}

/**
 * Is the instance trusted? A first re-render is, only if its default render reproduces the cached
 * bytes (that verdict is what `recordVerdict` keeps); a later one by the verdict kept then.
 */
export function trustOf(outcome: Extract<RegionOutcome, { ok: true }>, original: Uint8Array, trusted: Trusted | undefined): Trusted | string {
  const first = outcome.defaultRender;
  if (first === null) return trusted ?? 'it was never checked against the cached page';
  return checkVerdict(first, original);
}

/** The verdict of a check render (the instance with no override) on the cached bytes. */
export function checkVerdict(first: { bytes: Uint8Array; preamble: string }, original: Uint8Array): Trusted | string {
  return bytesEqual(first.bytes, original)
    ? { preamble: first.preamble }
    : 'its re-render with the recorded props does not reproduce the cached page (it reads something the edge cannot know: a context of a child component, the clock, ...)';
}

/**
 * What React hoists out of an instance (an eager image's preload link, which a full render writes
 * into the head) cannot move with its bytes: a re-render must hoist exactly what the trusted
 * default render did. Why not, or undefined.
 */
export function preambleRefusal(outcome: Extract<RegionOutcome, { ok: true }>, trusted: Trusted): string | undefined {
  return outcome.preamble === trusted.preamble
    ? undefined
    : 'the override changes what React hoists into the head for it (an eager image\'s preload): not re-renderable in place';
}

export function overrideFor(key: string, id: string, props: Record<string, unknown>): Override {
  return { component: key, props: { ...props } as Override['props'], instance: id };
}

function messageOf(error: unknown): string {
  return safeMessage(error);
}
