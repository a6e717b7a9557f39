import type { JsonValue, Override, SpliceManifest, SpliceRenderer, SiteEntry } from '@splice/manifest';
import type { PageIndex } from './pageIndex';

export type { RenderRequest, SpliceRenderer } from '@splice/manifest';

/** An override that survived planning, bound to a component key. */
export interface PlannedOverride {
  /** Position in the overrides array the caller passed (later ones win). */
  index: number;
  key: string;
  /**
   * A null-prototype copy of the override's props: the evaluator indexes it with prop names
   * taken from the manifest, so `constructor` or `__proto__` can never reach Object.prototype.
   */
  props: Readonly<Record<string, JsonValue>>;
  names: ReadonlySet<string>;
  /** Sets a structural prop: the instances it reaches are re-rendered. */
  structural: boolean;
  instance?: number | string;
}

/** What `planOverrides` decided, keyed by component key; the stream reads only this. */
export interface OverridePlan {
  byKey: ReadonlyMap<string, readonly PlannedOverride[]>;
}

export interface ResolvedOverride {
  index: number;
  /** The component key the override's `component` resolved to. */
  key: string;
  /** The override as validated (its `component` as the caller spelled it). */
  override: Override;
}

export interface SkippedOverride {
  /** Position in the overrides array; -1 when the overrides value itself was unusable. */
  index: number;
  override: unknown;
  reason: string;
}

export interface PlanResult {
  plan: OverridePlan;
  applied: ResolvedOverride[];
  skipped: SkippedOverride[];
}

/** Delivered once, when the stream ends (or fails open). */
export interface PatchReport {
  /** The first marker of the page named a component this manifest does not know: another build. */
  stale: boolean;
  /** Marked elements looked at (on a hit, the indexed ones up to the last that mattered). */
  markers: number;
  /** Elements whose bytes were rewritten. */
  patchedElements: number;
  /** Instances re-rendered and spliced in. */
  rerendered: number;
  skipped: SkippedOverride[];
  problems: string[];
  /**
   * When the input was a source page: the index of the base page it became (the input without
   * its markers). Store it with that base page; later requests pass it as `options.index`.
   */
  index?: PageIndex;
}

export interface PatchLimits {
  /** Longest marker value read before giving up on it (bytes; a root marker carries the instance's state). Default 64 KiB. */
  markerValueBytes?: number;
  /** Most bytes buffered for one element to rewrite (start tag and text content). Default 256 KiB. */
  elementBytes?: number;
  /** Most bytes of one start tag the source scan holds back to remove its marker. Default 64 KiB. */
  tagBytes?: number;
  /**
   * Most bytes of one re-rendered instance held back (the cached bytes it replaces). On a source
   * page, also how far past its start the page is held while the index cannot yet tell whether
   * its re-render moves an instance an override names by its place: an instance that would tell,
   * starting further on, is not waited for, and the region stays default. Default 1 MiB.
   */
  regionBytes?: number;
  /**
   * Most bytes of HTML one re-render may return (UTF-8, markers and hoisted resources included;
   * the check render of an instance's first re-render too, and the render with the cached bytes
   * of its slots put in): the edge holds it until the stream reaches the region. Over it the
   * region stays as cached, its overrides are left out of the bootstrap and the report says so.
   * Default: `regionBytes` (so 1 MiB unless that is set).
   */
  renderBytes?: number;
  /**
   * Most bytes of a page patched through its index kept from its first byte, for as long as it
   * could still stop matching that index (bytes edited or cut between origin and edge) before the
   * bootstrap is placed: a scan of them then finds where the bootstrap goes in the page as it is,
   * so that what was already written is still told (contract 6). Past them nothing more is kept,
   * and a mismatch further on places no bootstrap (reported). `Infinity` keeps every page whole.
   * Default 512 KiB.
   */
  rescanBytes?: number;
}

export interface PatchOptions {
  /** Untrusted: validated with `validateManifest`; an invalid one makes the stream a pass-through. */
  manifest: SpliceManifest | unknown;
  /** Untrusted: planned with `planOverrides`. */
  overrides: unknown;
  /** Experiment assignments, copied into the bootstrap for the client. */
  assignments?: Record<string, string>;
  /** What else the bootstrap tells the client: see `ClientFacts`. */
  client?: ClientFacts;
  /**
   * The edge module's renderer (`import { renderer } from './splice-edge.mjs'`): it re-renders
   * instances whose structural props an override sets. Without it such overrides are skipped.
   */
  renderer?: SpliceRenderer;
  /** Most milliseconds the stream waits for one re-render (counted from its call, in its own time) before its region stays default. Default 50. */
  renderBudgetMs?: number;
  /**
   * The index of the base page being streamed (from `preparePage`, or a report's `index`).
   * Untrusted: validated, and checked against the bytes it points to. Without it the input is
   * taken to be a source page and scanned.
   */
  index?: PageIndex | unknown;
  onReport?: (report: PatchReport) => void;
  limits?: PatchLimits;
}

/**
 * What the bootstrap tells the client besides the overrides (contract 2): the visitor's
 * decisions for client-side navigation (`site`), which of the overrides are which experiment's
 * (so the bootstrap can say whether each experiment's variant was shown whole), and where
 * exposures go. `createEdgeHandler` fills it from its decision.
 */
export interface ClientFacts {
  site?: SiteEntry[];
  /** False when `site` is the same for every visitor (rules on paths alone): the page may then stay shareable. Default true. */
  personal?: boolean;
  /** Experiment id → the span of `overrides` that is its variant's. */
  experiments?: Record<string, ExperimentSpan>;
  /** The exposure endpoint's path. */
  beacon?: string;
}

/** The overrides `from` (inclusive) to `to` (exclusive) are this experiment's variant's; `touches`: the components any of its variants changes. */
export interface ExperimentSpan { from: number; to: number; touches: string[] }
