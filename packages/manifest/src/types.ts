/**
 * The manifest: what the compiler learned about every instrumented component, and what the
 * edge needs to rewrite their HTML. Everything here is plain JSON.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Bumped whenever the shape below or the marker format changes incompatibly. */
export const MANIFEST_SCHEMA_VERSION = 2;

export interface SpliceManifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  /** Hash of every component key: equal manifests have equal build ids. */
  buildId: string;
  /** Keyed by component key (`Name.hash`, see `componentKey`). */
  components: Record<string, ComponentEntry>;
}

export interface ComponentEntry {
  /** The component's own name (`Hero`). */
  name: string;
  /** Source file, relative to the project root, `/`-separated. */
  file: string;
  line: number;
  /** Every prop the component reads, and whether an override of it can be applied at the edge. */
  props: Record<string, PropEntry>;
  /** Marked host elements; the index is the element number written in the marker. */
  elements: ElementEntry[];
}

export interface PropEntry {
  /** True when every use of the prop is a value hole the edge can rewrite. */
  patchable: boolean;
  /** Why not, when not: a diagnostic code and a one-line reason. */
  code?: string;
  reason?: string;
}

export interface ElementEntry {
  tag: string;
  /**
   * Every attribute the element can emit, in the order React emits them (JSX order), holes and
   * static ones alike: the static ones are the anchors that tell where an attribute missing from
   * the base HTML has to be inserted.
   */
  attrs: AttrEntry[];
  /**
   * Present when the element's content holds text holes. Then all of its children are text:
   * static runs and holes, in JSX order, and React writes them joined by `<!-- -->`, leaving
   * out those that render nothing.
   */
  text?: TextItem[];
}

export interface AttrEntry {
  /** The attribute name as React writes it to HTML (`class`, not `className`). */
  name: string;
  /** Absent for a static attribute. */
  hole?: Expr;
}

export type TextItem = { kind: 'static'; value: string } | { kind: 'hole'; expr: Expr };

/**
 * The expression IR: a value hole as a pure function of props. Small on purpose: the edge
 * evaluates it without React and without `eval`.
 */
export type Expr =
  | { kind: 'prop'; path: string[] }
  | { kind: 'literal'; value: JsonValue }
  | { kind: 'template'; quasis: string[]; exprs: Expr[] }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr };

/** Contract 3. */
export interface Override {
  /** `Name`, `path/from/root.tsx#Name`, or the component key. */
  component: string;
  props: Record<string, JsonValue>;
  /** The n-th instance in document order (0-based), or the instance's `useId` as the edge resolved it. */
  instance?: number | string;
}

/** Contract 2: what the edge writes into `<script type="application/json" id="__SPLICE__">`. */
export interface Bootstrap {
  buildId: string;
  assignments: Record<string, string>;
  overrides: Override[];
}

/** What the compiler hands the runtime for each instrumented component (hoisted to module scope). */
export interface ComponentRef {
  key: string;
  name: string;
  file: string;
}
