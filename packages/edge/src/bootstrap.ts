import { SITE_PATH, readSite } from '@splice/manifest';
import type { Override, SiteEntry } from '@splice/manifest';
import type { ClientFacts, ExperimentSpan, ResolvedOverride, SkippedOverride } from './types';
import { LONE_SURROGATE, defineOwn, nullRecord, safeMessage } from './util';

/**
 * The instances of each component key, in document order: as a map of `useId` lists, or asked
 * for one at a time (the hit path answers from its page survey without listing every instance).
 */
export type InstanceIds = ReadonlyMap<string, readonly string[]> | InstanceLookup;

export interface InstanceLookup {
  /** How many instances of `key` there are. */
  count(key: string): number;
  /** The `useId` of instance `ordinal` of `key`, if there is one. */
  id(key: string, ordinal: number): string | undefined;
  /** The ordinal of the instance of `key` with this `useId`, or -1. */
  ordinal(key: string, id: string): number;
}

export function lookupOf(ids: InstanceIds): InstanceLookup {
  if (!(ids instanceof Map)) return ids as InstanceLookup;
  const map = ids as ReadonlyMap<string, readonly string[]>;
  return {
    count: (key) => map.get(key)?.length ?? 0,
    id: (key, ordinal) => map.get(key)?.[ordinal],
    ordinal: (key, id) => map.get(key)?.indexOf(id) ?? -1,
  };
}

/**
 * The overrides as the client must see them (contracts 2 and 6). The client matches instances by
 * their `useId`, never by document order: order can differ under selective hydration, the id
 * cannot. So a numeric instance becomes the id the edge saw at that position. `component`
 * becomes the resolved key, so the client needs no name resolution.
 *
 * `wrote(override index, ordinal)` (did the override change bytes of that instance) makes the list say
 * exactly what was done: an override that wrote nothing (its instance never appeared, its
 * element was refused or over budget) is left out, and one that wrote only some of the
 * instances it names is narrowed to those, so DOM and bootstrap always agree. Without
 * `written`, every applied override is taken as written. `created(override index)` lists the ids
 * of instances a re-render created and applied it to: the page index has no ordinal for them.
 */
export function overridesForClient(
  applied: readonly ResolvedOverride[],
  instanceIds: InstanceIds,
  wrote?: (override: number, ordinal: number) => boolean,
  created: (override: number) => readonly string[] = () => [],
): Override[] {
  const out: Override[] = [];
  const ids = lookupOf(instanceIds);
  for (const a of applied) {
    const instance = a.override.instance;
    if (instance !== undefined) {
      const ordinal = typeof instance === 'number' ? instance : ids.ordinal(a.key, instance);
      const id = ordinal < 0 ? undefined : ids.id(a.key, ordinal);
      if (id === undefined) { if (wrote === undefined && typeof instance === 'string') out.push({ component: a.key, props: a.override.props, instance }); continue; }
      if (wrote !== undefined && !wrote(a.index, ordinal)) continue;
      out.push({ component: a.key, props: a.override.props, instance: id });
      continue;
    }
    const count = ids.count(a.key);
    // Instances a re-render created, which the cached page has no place for.
    const extra = created(a.index);
    let all = true;
    let some = extra.length > 0;
    for (let o = 0; o < count; o++) {
      if (wrote === undefined || wrote(a.index, o)) some = true;
      else all = false;
    }
    if (wrote === undefined || (all && some)) {
      out.push({ component: a.key, props: a.override.props });
      continue;
    }
    for (let o = 0; o < count; o++) if (wrote(a.index, o)) out.push({ component: a.key, props: a.override.props, instance: ids.id(a.key, o) as string });
    for (const id of extra) out.push({ component: a.key, props: a.override.props, instance: id });
  }
  return out;
}

/** At most this many assignments, each id and variant at most `MAX_ASSIGNMENT_CHARS` long. */
const MAX_ASSIGNMENTS = 64;
const MAX_ASSIGNMENT_CHARS = 256;

/**
 * The assignments the bootstrap can carry: a plain object of string to string, checked before a
 * byte is patched, so the bootstrap cannot fail to serialize at the end of a page whose elements
 * already changed (then DOM and bootstrap would disagree). Anything else is left out and named.
 */
export function readAssignments(value: unknown): { assignments: Record<string, string>; problem: string | null } {
  const assignments: Record<string, string> = {};
  if (value === undefined) return { assignments, problem: null };
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || ![Object.prototype, null].includes(Object.getPrototypeOf(value))) {
      return { assignments, problem: 'assignments must be a plain object of strings; left out of the bootstrap' };
    }
    const dropped: string[] = [];
    for (const key of Object.keys(value)) {
      const v: unknown = (value as Record<string, unknown>)[key];
      const ok = typeof v === 'string' && key.length <= MAX_ASSIGNMENT_CHARS && v.length <= MAX_ASSIGNMENT_CHARS && Object.keys(assignments).length < MAX_ASSIGNMENTS
        && !LONE_SURROGATE.test(key) && !LONE_SURROGATE.test(v);
      if (ok) defineOwn(assignments, key, v as string);
      else dropped.push(key);
    }
    return { assignments, problem: dropped.length === 0 ? null : `assignments ${dropped.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}${dropped.length > 5 ? ` and ${dropped.length - 5} more` : ''} left out of the bootstrap (each a string of at most ${MAX_ASSIGNMENT_CHARS} characters, at most ${MAX_ASSIGNMENTS})` };
  } catch (error) {
    return { assignments: {}, problem: `assignments cannot be read (${safeMessage(error)}); left out of the bootstrap` };
  }
}

/** The client facts as the bootstrap will carry them: plain JSON, checked before a byte is patched (like the assignments). */
export interface ReadFacts { site: SiteEntry[]; experiments: Record<string, ExperimentSpan>; beacon: string | null }

const MAX_SITE_CHARS = 64 * 1024;


export function readClientFacts(value: ClientFacts | undefined): { facts: ReadFacts; problem: string | null } {
  const facts: ReadFacts = { site: [], experiments: nullRecord<ExperimentSpan>(), beacon: null };
  if (value === undefined) return { facts, problem: null };
  const problems: string[] = [];
  try {
    if (value.site !== undefined) {
      // A copy through JSON: what is serialized at the end of the page is what was checked here.
      const json = JSON.stringify(value.site);
      if (typeof json !== 'string' || json.length > MAX_SITE_CHARS || LONE_SURROGATE.test(json)) problems.push(`site decisions over ${MAX_SITE_CHARS} characters or not JSON; left out of the bootstrap`);
      // Shaped as `readSite` keeps it: a production browser build takes the bootstrap as written
      // (no check of its own), and `client.site` may come from elsewhere than createEdgeHandler
      // (a custom worker's `decide`, which plans nothing; any caller of handleSpliceRequest).
      else facts.site = readSite(JSON.parse(json));
    }
    for (const [id, span] of Object.entries(value.experiments ?? {})) {
      if (Number.isInteger(span?.from) && Number.isInteger(span?.to) && span.from <= span.to && Array.isArray(span.touches)) defineOwn(facts.experiments, id, { from: span.from, to: span.to, touches: span.touches.filter((t) => typeof t === 'string') });
    }
    if (typeof value.beacon === 'string' && SITE_PATH.test(value.beacon)) facts.beacon = value.beacon;
    // `touches` tells the client which exposures to report: only with a beacon to report them to,
    // and only for an experiment's entry the edge did not find partly refused (never shown whole).
    // (`readSite` already keeps them on an experiment's entry that is not partial only.)
    if (facts.beacon === null) for (const entry of facts.site) delete entry.touches;
  } catch (error) {
    problems.push(`client facts cannot be read (${safeMessage(error)}); left out of the bootstrap`);
  }
  return { facts, problem: problems.length === 0 ? null : problems.join('; ') };
}

/**
 * Per experiment: was its variant shown whole on this page? Every override of its span that
 * names an instance of the page must have written every instance it names; one refused when
 * planned counts as not shown. An override whose component the page does not have changes
 * nothing here, and is no reason either way.
 */
export function shownOf(
  experiments: Record<string, ExperimentSpan>,
  applied: readonly ResolvedOverride[],
  skipped: readonly SkippedOverride[],
  instanceIds: InstanceIds,
  wrote: (override: number, ordinal: number) => boolean,
): Record<string, boolean> {
  const ids = lookupOf(instanceIds);
  const byIndex = new Map(applied.map((a) => [a.index, a]));
  const refused = new Set(skipped.map((s) => s.index));
  const out: Record<string, boolean> = {};
  for (const [id, span] of Object.entries(experiments)) {
    let whole = true;
    for (let i = span.from; i < span.to && whole; i++) {
      if (refused.has(i)) { whole = false; break; }
      const a = byIndex.get(i);
      if (a === undefined) continue;
      const instance = a.override.instance;
      if (instance !== undefined) {
        const ordinal = typeof instance === 'number' ? instance : ids.ordinal(a.key, instance);
        if (ordinal >= 0 && ids.id(a.key, ordinal) !== undefined && !wrote(i, ordinal)) whole = false;
        continue;
      }
      for (let o = 0, n = ids.count(a.key); o < n; o++) if (!wrote(i, o)) { whole = false; break; }
    }
    defineOwn(out, id, whole);
  }
  return out;
}
