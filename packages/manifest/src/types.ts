/**
 * The manifest: what the compiler learned about every instrumented component, and what the
 * edge needs to rewrite their HTML. Everything here is plain JSON.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A place in an instance's context values: the context's index, then object keys and array indices. */
export type ContextPath = [number, ...(string | number)[]];

/** Bumped whenever the shape below or the marker format changes incompatibly. */
export const MANIFEST_SCHEMA_VERSION = 4;

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
  /** Marked host elements; the index is the element number written in the marker. Empty for a component nothing of which is patchable. */
  elements: ElementEntry[];
  /**
   * Present when the edge can re-render instances of the component (it has `structural` props):
   * its root elements carry the instance's state in the source page (see `InstanceState`).
   */
  render?: RenderEntry;
}

export interface RenderEntry {
  /** The props whose values an instance's state records; `null` when all of them (the props object escapes). */
  reads: string[] | null;
  /** How many contexts the component reads: the length of every instance's `contexts`. */
  contexts: number;
  /**
   * The package hooks its render calls (`useTranslations (next-intl)`): the source page records
   * their results and a re-render replays them (see `InstanceState.hooks`). Absent: none.
   */
  replays?: string[];
}

/**
 * What the edge needs to re-render one instance, written by the server render into the source
 * page (after the root marker, see `marker.ts`) and kept in the page index, never sent to a
 * browser. Or why the instance cannot be re-rendered (its props hold elements or functions).
 */
export type InstanceState =
  | {
    /** The props the instance was rendered with: only those the component reads. */
    props: Record<string, JsonValue>;
    /** The values of the contexts it reads, in the order of its `ComponentRef.render.contexts`. */
    contexts: JsonValue[];
    /**
     * Where functions sit in the context values (`[context index, ...keys]`; JSON leaves them
     * out of `contexts`). The edge puts a function there that throws, so a render that calls one
     * fails and the region stays as cached, while one that only hands it to a handler renders as
     * the server did. Absent: none.
     */
    functions?: ContextPath[];
    /**
     * The `useId` of the instance's root probe, one tree level below the instance: with the
     * instance's own id, the exact tree position React derives every `useId` inside it from.
     */
    tree: string;
    /**
     * The package hooks it called during its render, in call order (absent: none). Packages are
     * not analysed and their providers (an i18n provider, the router) are not at the edge, so
     * the edge replays these results instead of calling the hooks (see `HookRecord`).
     */
    hooks?: HookRecord[];
  }
  | { refused: string };

/**
 * One call of a package hook during an instance's server render (the compiler wraps each such
 * call in `useSpliceHook` of @splice/client). The edge re-render gets this result back from a
 * call with the same arguments, at the same position in the instance's calls, and fails
 * otherwise: a package hook's result is taken to be a function of its arguments and of the
 * providers above the instance, which an override does not change.
 */
export interface HookRecord {
  /** The hook, as the compiler names it: `package#export` (`next-intl#useTranslations`). A replay must call the same one. */
  hook: string;
  /** The call's arguments as JSON, which a replay must match; null when they are not JSON (never replayed). */
  args: string | null;
  /** How many `useId`s the hook took: a replay takes as many, so that every later id is the full render's. */
  ids: number;
  /** With ids: the component's local `useId` index the first of them had. A replay must take them from the same one (the result may hold them). */
  at?: number;
  /**
   * What the render observed of the result, encoded by @splice/client: plain data as JSON, where
   * `{ "$splice": … }` stands for `undefined`, non-finite numbers and values JSON cannot hold
   * (`opaque`: reading them fails the re-render); anything else as the property reads and the
   * calls (by JSON arguments, results in order) the render made of it (`observed`).
   */
  value: JsonValue;
}

/**
 * How the edge can apply an override of a prop:
 * - `value`: every use is a value hole, rewritten in place from the expression IR;
 * - `structural`: the edge re-renders the component instance (its render is a pure function of
 *   its props and the contexts it reads), with the edge module the plugin emits;
 * - `none`: it cannot be done; `code` and `reason` say why.
 */
export type PropTier = 'value' | 'structural' | 'none';

export interface PropEntry {
  tier: PropTier;
  /** Why not a value hole (for `structural`) or why not at all (for `none`): a diagnostic code and a one-line reason. */
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
   * The element also writes attributes the build cannot know: a spread of the component's own
   * `...rest` props, which cannot hold its holes' attributes. The edge keeps the unknown ones as
   * they are, and rewrites or removes a hole's attribute only where it is present (it cannot
   * tell where to insert one).
   */
  open?: true;
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
 * The expression IR: a value hole as a pure function of props. The edge evaluates it without
 * React and without `eval` (see `evaluateExpr`), with JavaScript's own semantics on JSON values;
 * where those depend on something JSON cannot show (object identity, a prototype's method), the
 * evaluation throws and the edge refuses the override.
 */
export type Expr =
  /** `defaults`: levels of `path` whose object reads as `{}` when undefined (a `= {}` pattern default). */
  | { kind: 'prop'; path: string[]; defaults?: number[] }
  | { kind: 'literal'; value: JsonValue }
  /** `undefined`, which JSON cannot hold (`aria-disabled={disabled || undefined}`). */
  | { kind: 'undefined' }
  | { kind: 'template'; quasis: string[]; exprs: Expr[] }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr }
  | { kind: 'unary'; op: UnaryOp; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'logical'; op: '&&' | '||' | '??'; left: Expr; right: Expr }
  /** `object[key]` on a computed value: a lookup into a module constant, `s.length`, `list[0]`. */
  | { kind: 'member'; object: Expr; key: Expr }
  /** A known function; a method's receiver is `args[0]` (`s.trim()` is `{ fn: 'trim', args: [s] }`). */
  | { kind: 'call'; fn: CallName; args: Expr[] }
  /** `clsx(…)` and `classnames(…)`: their documented joining of strings, numbers, arrays and objects. */
  | { kind: 'classes'; args: Expr[] }
  /**
   * A function of a package, called with the evaluated arguments: `tailwind-merge`'s `twMerge`
   * (`cn(…)` / `cx(…)` are `twMerge(clsx(…))`). Its merging is the package's own, so the edge
   * module bundles the app's copy and hands it over (`SpliceRenderer.hosts`); where the edge has
   * none, the hole cannot be computed and the instance is re-rendered instead.
   */
  | { kind: 'host'; fn: HostName; args: Expr[] }
  /** A `style={{ … }}` object literal, written as React writes one (`styleOf`): the value of a `style` attribute hole. */
  | { kind: 'style'; entries: [string, Expr][] }
  /** An object or array literal (a `clsx` argument, mostly): built fresh, so never equal by identity to anything. */
  | { kind: 'object'; entries: [string, Expr][] }
  | { kind: 'array'; items: Expr[] };

export type UnaryOp = '!' | '-' | '+';
export type BinaryOp = '===' | '!==' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';
/**
 * The functions a `host` expression may call, by the name the edge module hands them over:
 * `twMerge` (tailwind-merge's, default configuration), or a class-merging helper of the app over
 * a merger it configured or a variant function of the app (class-variance-authority's `cva`),
 * `path/from/root.ts#exportName`.
 */
export type HostName = 'twMerge' | `${string}#${string}`;
/** Whether a string names a host function (see `HostName`). */
export function isHostName(name: unknown): name is HostName {
  return name === 'twMerge' || (typeof name === 'string' && name.length <= 512 && /^[^#\s]+#[A-Za-z_$][\w$]*$/.test(name));
}
/** The functions the edge module bundles (see `Expr` kind `host`). */
export type HostFunctions = Partial<Record<HostName, (...args: unknown[]) => unknown>>;

export type CallName =
  | 'String' | 'Number' | 'toUpperCase' | 'toLowerCase' | 'trim' | 'slice' | 'join' | 'toFixed'
  | 'Math.round' | 'Math.floor' | 'Math.ceil' | 'Math.min' | 'Math.max' | 'Math.abs';

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
  /** Exactly what was applied to this page (contract 6): hydration renders with these. */
  overrides: Override[];
  /**
   * The visitor's decisions for the pages a client-side navigation reaches: every experiment the
   * visitor is in and every rule that holds for them, with the paths where each applies. Absent
   * when there are none.
   */
  site?: SiteEntry[];
  /**
   * Per experiment running on this page: whether the page shows the visitor's variant whole
   * (every override of it that names an instance of this page was applied). Exposure is
   * reported only for those.
   */
  shown?: Record<string, boolean>;
  /** Where the client sends exposures (`navigator.sendBeacon`); absent: none are sent. */
  beacon?: string;
}

/**
 * One decision for client-side navigation. `paths`: regular expressions' sources, each a list of
 * the config's path patterns compiled by `pathPattern`; the entry applies on a path when every
 * one matches its `normalizePath` form. Absent: everywhere. (Compiled at the edge so that the
 * browser runs `new RegExp` rather than a pattern matcher of its own.)
 */
export interface SiteEntry {
  paths?: string[];
  /** The experiment this is the visitor's variant of, and the variant. */
  experiment?: string;
  variant?: string;
  /**
   * The components any variant of that experiment changes: rendering one exposes the visitor.
   * Present only when the exposure is to be reported: the page has a `beacon`, and the entry is an
   * experiment's and not `partial` (the edge strips it otherwise, so a browser checks none of that).
   */
  touches?: string[];
  /** The edge refused some of the variant's overrides (left out of `overrides`): never shown whole, so never reported as exposed. */
  partial?: true;
  /** The overrides; in a view after a navigation, `instance: n` is the n-th instance of the component mounted in that view. */
  overrides: Override[];
}

/** What the compiler hands the runtime for each instrumented component (hoisted to module scope). */
export interface ComponentRef {
  key: string;
  name: string;
  file: string;
  /** Present for components the edge can re-render. */
  render?: ComponentRenderRef;
}

export interface ComponentRenderRef {
  /** The props an instance's state records (`null`: all). */
  reads: string[] | null;
  /** The contexts the component reads (a function: they may be declared after the component). */
  contexts(): unknown[];
  /**
   * Where in `contexts()` those start that only the components it renders read, not the
   * component itself (absent: none). Recorded as the component's own are (a value JSON cannot
   * hold, functions aside, refuses the instance); the index only says which in messages.
   */
  descendantContexts?: number;
  /** The component itself, as its module binds it. */
  component(): unknown;
  /**
   * Props holding elements that the component renders in place (`{children}` in a host element
   * or fragment): an instance records a `SLOT_PLACEHOLDER` for them, and the edge keeps their
   * cached bytes around a re-render (see `SLOT_TAG`).
   */
  slots?: readonly string[];
}

/** One instance for the edge module to re-render (see `@splice/client/render`, which implements it). */
export interface RenderRequest {
  /** Component key. */
  key: string;
  /** The props the instance was rendered with (its state in the page index). */
  props: Record<string, JsonValue>;
  /** The values of the contexts it reads, in its ref's order. */
  contexts: JsonValue[];
  /** Where the contexts held functions (`InstanceState.functions`). Absent: none. */
  functions?: ContextPath[];
  /** The instance's `useId` and its root probe's: its tree position. */
  id: string;
  tree: string;
  /** Overrides to render with, each naming its instance by id (or none: every instance). */
  overrides: Override[];
  /**
   * The package-hook calls the instance made in the cached page (`InstanceState.hooks`), which
   * the re-render replays. Only the instance's own: an instance inside it may sit under a provider
   * the override changes. Absent: none recorded.
   */
  hooks?: HookRecord[];
}

/** What `patchHtml` and the handler take as `renderer`: the edge module's export. */
export interface SpliceRenderer {
  /** The HTML a server render writes for the instance (markers included), or a rejection saying why not. */
  render(request: RenderRequest): Promise<string>;
  /** Package functions value holes call (`host` expressions), bundled with the edge module. */
  hosts?: HostFunctions;
}
