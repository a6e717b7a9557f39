import * as t from '@babel/types';
import type { ComponentEntry, PropEntry } from '@splice/manifest';
import { componentKey } from '@splice/manifest';
import { ownReturns, type NodePath } from './babel';
import type { FileContext } from './context';
import { report } from './context';
import type { FoundComponent, ComponentFunction } from './findComponents';
import { classifyReference, hostTag, ownRestSpreads, type ReferenceUse } from './holes';
import { findExpressionHoles, type ExpressionHole } from './expressionHoles';
import type { LoweringFailure } from './valueExpr';
import { collectPropReferences, type PropReference } from './propReferences';
import { buildElementEntry, type ElementHoles } from './elementEntry';
import { isHandlerOnly, readsOnlyAfterRender } from './handlers';
import { analyzeRenderability, hostResults, type ContextImport, type Renderability } from './renderability';
import { findSlots, type Slot } from './slots';
import { propKinds, type PropKinds } from './propTypes';
import type { DiagnosticCode, SourceLocation } from './diagnostics';

/** A marked element and what its marker carries. */
export interface Mark {
  element: t.JSXElement;
  index: number;
  /** The element's text hole expressions, in order: the marker's mask needs them when there are two or more. */
  textHoles: t.Expression[];
}

export interface ComponentAnalysis {
  component: FoundComponent;
  key: string;
  entry: ComponentEntry;
  marks: Mark[];
  /** Some prop binding is reassigned in the body, so the instrumented pattern must be `let`. */
  reassignsProps: boolean;
  /** False for a component nothing of which is patchable: it is in the manifest (to say why), its code is left alone. */
  instrumented: boolean;
  /** The declared TypeScript type of props JSON can hold (see `PropKinds.json`), for the component map. */
  propTypes: Record<string, string>;
  /** For a component the edge can re-render: what its ref tells the runtime. */
  render: {
    reads: string[] | null;
    contexts: t.Expression[];
    /** Where in `contexts` those start that only descendants read: their values are optional (see `ComponentRenderRef`). */
    descendantContexts: number;
    imports: ContextImport[];
    slots: Slot[];
  } | null;
  /** The host elements it returns: a re-renderable component's are wrapped in the root probe. */
  roots: t.JSXElement[];
}

/**
 * Gives every prop the component reads a tier (value, structural or none, with the reason) and
 * picks the host elements to mark. Returns `null` for a component without props.
 */
export function analyzeComponent(ctx: FileContext, component: FoundComponent): ComponentAnalysis | null {
  const { fn, name } = component;
  const usage = collectPropReferences(fn);
  if (usage.names.length === 0) return null;
  const kinds = propKinds(component);

  // `children` and props typed as elements render elements: never count them as text.
  const holdsElements = (r: PropReference) => r.path.length === 1 && (r.top === 'children' || kinds.elements.has(r.top));
  const spreads = ownRestSpreads(usage.rests);
  const found = findExpressionHoles(fn, usage.references, holdsElements, { graph: ctx.modules, filename: ctx.filename, root: ctx.root }, spreads);
  const readNodes = new Set<t.Node>(usage.references.filter((r) => !holdsElements(r)).map((r) => r.expr.node));
  // Only reads outside the value holes get a use: why each is not a value hole.
  const uses = new Map<PropReference, ReferenceUse>();
  for (const ref of usage.references) {
    if (found.consumed.has(ref.expr.node)) continue;
    // Not in the HTML at all (a handler, an effect): no use to classify. Function props keep
    // their own rule (SPLICE036, decided from every read below).
    if (!kinds.functions.has(ref.top) && readsOnlyAfterRender(ref.expr, fn)) continue;
    let use = classifyReference(ref, fn, (node) => readNodes.has(node), spreads);
    if (use.kind === 'text' && holdsElements(ref)) {
      use = { kind: 'refused', code: 'SPLICE012', message: `\`${ref.top}\` is typed to hold React elements, not text: not a text hole` };
    } else if (use.kind === 'refused' && use.code === 'SPLICE010') {
      // Name what in the expression the edge cannot compute, so the developer knows what to change.
      const failure = failureAround(ref, found.failures);
      if (failure !== null) use = { ...use, message: `${use.message.replace(/: not a value hole$/, '')}, where the edge cannot compute ${failure.what}: not a value hole (what it can compute: "Value holes" in @splice/compiler's README)` };
    } else if (use.kind !== 'refused') {
      // In a hole position, but the hole as a whole was not accepted (the element's other children, a binding used elsewhere).
      use = { kind: 'refused', code: 'SPLICE010', message: `\`${ref.path.join('.')}\` is in an expression the edge cannot compute as a whole: not a value hole` };
    }
    uses.set(ref, use);
  }
  demoteMixedHoles(found.holes, usage, uses);

  const renderability = analyzeRenderability(component, { graph: ctx.modules, filename: ctx.filename, runtimeModule: ctx.runtimeModule, code: ctx.code, ...(ctx.inlinedEnv !== undefined ? { inlinedEnv: ctx.inlinedEnv } : {}) });
  const props = decideTiers(ctx, usage, uses, kinds, renderability, fn);
  const structural = Object.values(props).some((p) => p.tier === 'structural');
  const roots = rootElements(fn);

  const holes = new Map<t.JSXElement, ElementHoles>();
  const holesOf = (element: t.JSXElement): ElementHoles => {
    let h = holes.get(element);
    if (!h) holes.set(element, (h = { text: new Map(), attrs: new Map() }));
    return h;
  };
  let patchableHoles = 0;
  const patchableElements = new Set<t.JSXElement>();
  const topOf = new Map<t.Node, string>(usage.references.map((r) => [r.expr.node, r.top]));
  for (const hole of found.holes) {
    if (hole.attr === null) holesOf(hole.element).text.set(hole.node, hole.expr);
    else holesOf(hole.element).attrs.set(hole.attr, hole.expr);
    // Patchable when every prop it reads is a value prop (an override of them all reaches it).
    if ([...hole.lowered.reads].every((n) => props[topOf.get(n) ?? '']?.tier === 'value')) {
      patchableHoles++;
      patchableElements.add(hole.element);
    }
  }
  const instrumented = patchableHoles > 0 || structural;

  // The root comes first in document order, so each instance's first marker names its root.
  if (instrumented) for (const root of roots) patchableElements.add(root);
  const ordered = [...patchableElements].sort((a, b) => (a.start ?? 0) - (b.start ?? 0));

  const noHoles: ElementHoles = { text: new Map(), attrs: new Map() };
  const elements = ordered.map((element) => buildElementEntry(element, holes.get(element) ?? noHoles, found.constants));
  const marks = ordered.map((element, index) => ({
    element,
    index,
    textHoles: [...(holes.get(element) ?? noHoles).text.keys()]
      .sort((a, b) => (a.start ?? 0) - (b.start ?? 0)) as t.Expression[],
  }));
  // A hole that reads two props or more is computed at the edge only from an override that sets
  // them all; for one that sets some, the edge re-renders the instance instead, so such a
  // component is made re-renderable too (its markers carry the state that needs).
  const tops = (hole: (typeof found.holes)[number]) => new Set([...hole.lowered.reads].map((n) => topOf.get(n)));
  const multiInput = found.holes.some((h) => tops(h).size > 1);
  const render = (structural || multiInput) && renderability.ok
    ? {
      reads: readsAll(usage) ? null : usage.names.slice(),
      contexts: renderability.contexts,
      descendantContexts: renderability.descendants,
      imports: renderability.imports,
      slots: findSlots(usage.references, (name) => name === 'children' || kinds.elements.has(name)),
    }
    : null;
  const entry: ComponentEntry = { name, file: ctx.file, line: (component.statement.node.loc ?? fn.node.loc)?.start.line ?? 1, props, elements };
  if (render !== null) entry.render = { reads: render.reads, contexts: render.contexts.length };
  if (entry.render !== undefined && renderability.ok && renderability.replays.length > 0) entry.render.replays = renderability.replays.slice();
  // The slots change the instrumented code, so they are part of what the key covers.
  const key = componentKey(name, ctx.file, JSON.stringify({ props, elements, render: entry.render, slots: render?.slots.map((s) => s.prop) }));
  const reassignsProps = Object.values(fn.scope.bindings).some((b) => b.kind === 'param' && b.constantViolations.length > 0);
  return { component, key, entry, marks, reassignsProps, instrumented, render, roots, propTypes: Object.fromEntries(kinds.json) };
}

/** The failed lowering of the JSX expression around `ref`, if it sits in one. */
function failureAround(ref: PropReference, failures: Map<t.Node, LoweringFailure>): LoweringFailure | null {
  for (let p: NodePath | null = ref.expr; p !== null; p = p.parentPath) {
    const failure = failures.get(p.node);
    if (failure !== undefined) return failure;
    if (p.isJSXExpressionContainer() || p.isStatement()) return null;
  }
  return null;
}

/**
 * A hole is patchable only when every prop it reads is a value prop: one that also reads a prop
 * the edge cannot compute (`'$' + (price * (1 - discount / 100)).toFixed(2)` where `discount`
 * also drives a condition) makes the others structural too, or an override of `price` alone
 * would leave that hole stale. Repeated until no hole changes, since each demotion can reach
 * another hole.
 */
function demoteMixedHoles(holes: ExpressionHole[], usage: ReturnType<typeof collectPropReferences>, uses: Map<PropReference, ReferenceUse>): void {
  const refOf = new Map<t.Node, PropReference>(usage.references.map((r) => [r.expr.node, r]));
  const refusedTops = () => {
    const out = new Set<string>();
    for (const [ref, use] of uses) if (use.kind === 'refused') out.add(ref.top);
    for (const p of usage.problems) {
      if (p.top === null) for (const n of usage.names) out.add(n);
      else out.add(p.top);
    }
    return out;
  };
  for (let changed = true; changed;) {
    changed = false;
    const refused = refusedTops();
    for (const hole of holes) {
      const refs = [...hole.lowered.reads].map((n) => refOf.get(n)).filter((r): r is PropReference => r !== undefined);
      const blocker = refs.find((r) => refused.has(r.top));
      if (blocker === undefined) continue;
      for (const r of refs) {
        if (refused.has(r.top) || uses.has(r)) continue;
        const line = hole.node.loc?.start.line;
        uses.set(r, { kind: 'refused', code: 'SPLICE010', message: `\`${r.path.join('.')}\` is computed together with \`${blocker.top}\`${line === undefined ? '' : ` at line ${line}`}, which the edge cannot compute: not a value hole` });
        changed = true;
      }
    }
  }
}

/** The component may read any prop (the props object escapes, or a rest element collects them). */
function readsAll(usage: ReturnType<typeof collectPropReferences>): boolean {
  return usage.notes.length > 0 || usage.problems.some((p) => p.top === null);
}

interface Refusal { code: DiagnosticCode | string; reason: string; loc: SourceLocation | undefined }

/**
 * A prop is a value hole when every use of it is one. Otherwise it is structural when the
 * component can be re-rendered, unless no JSON value can stand for it (a function, elements).
 */
function decideTiers(
  ctx: FileContext,
  usage: ReturnType<typeof collectPropReferences>,
  uses: Map<PropReference, ReferenceUse>,
  kinds: PropKinds,
  renderability: Renderability,
  fn: NodePath<ComponentFunction>,
): Record<string, PropEntry> {
  const notValue = new Map<string, Refusal>();
  const refuse = (top: string, code: string, reason: string, loc: SourceLocation | undefined) => {
    if (!notValue.has(top)) notValue.set(top, { code, reason, loc });
  };
  // A `...rest` element (the notes) does not refuse the named props: rest cannot hold them, so
  // their own reads are analyzed as any others (an element the rest is spread onto refuses its
  // attribute holes itself, SPLICE013). The props it collects are not named, so no override
  // can set them. The instance state records all props then (`readsAll`).
  for (const problem of usage.problems) {
    if (problem.top === null) for (const name of usage.names) refuse(name, problem.code, problem.message, problem.loc);
    else refuse(problem.top, problem.code, problem.message, problem.loc);
  }
  for (const [ref, use] of uses) if (use.kind === 'refused') refuse(ref.top, use.code, use.message, ref.expr.node.loc?.start);

  const functions = functionValued(usage, kinds);
  const props: Record<string, PropEntry> = {};
  let reportedRender = false;
  for (const name of usage.names) {
    const why = notValue.get(name);
    if (why === undefined) { props[name] = { tier: 'value' }; continue; }
    let none: Refusal | null = null;
    if (functions.has(name) && isHandlerOnly(usage.references.filter((r) => r.top === name).map((r) => r.expr), fn)) {
      // Not a rendered prop: nothing to personalize, and nothing for the developer to change.
      props[name] = { tier: 'none', code: 'SPLICE036', reason: `\`${name}\` is an event handler: it renders nothing into the HTML (and an override carries JSON, not functions)` };
      continue;
    } else if (functions.has(name)) {
      // Typed as a function (no location of its own): the frame shows where it is first read.
      const at = functions.get(name) ?? usage.references.find((r) => r.top === name)?.expr.node.loc?.start;
      none = { code: 'SPLICE031', reason: `\`${name}\` holds a function: an override carries JSON, which cannot stand for it`, loc: at };
    } else if ((name === 'children' || kinds.elements.has(name)) && !renderability.ok) {
      none = { code: 'SPLICE032', reason: `\`${name}\` holds React elements, which an override cannot carry and the edge does not re-create: pass data props instead`, loc: why.loc };
    } else if (name === 'children' || kinds.elements.has(name)) {
      // An override can carry text (or null) for it, and the edge re-renders the instance with it.
      // An instance whose own value is elements records no state (see @splice/client): refused then.
      props[name] = { tier: 'structural', code: 'SPLICE032', reason: `\`${name}\` holds React elements: an override can replace them with text or null (the instance is re-rendered); elements cannot be carried` };
      continue;
    } else if (!renderability.ok) {
      none = { code: renderability.code, reason: renderability.reason, loc: renderability.loc };
      if (!reportedRender) {
        // One report for the component: the reason is the same for each of its props.
        report(ctx, renderability.code, 'info', `${why.reason}; and the component cannot be re-rendered at the edge: ${renderability.reason}`, renderability.loc ?? why.loc);
        reportedRender = true;
      }
      props[name] = { tier: 'none', code: none.code, reason: none.reason };
      continue;
    }
    if (none !== null) {
      report(ctx, none.code as DiagnosticCode, 'info', none.reason, none.loc);
      props[name] = { tier: 'none', code: none.code, reason: none.reason };
    } else {
      props[name] = { tier: 'structural', code: why.code, reason: why.reason };
    }
  }
  return props;
}

/** Props that hold functions: typed so, called, or handed to an event handler attribute. */
function functionValued(usage: ReturnType<typeof collectPropReferences>, kinds: PropKinds): Map<string, SourceLocation | undefined> {
  const out = new Map<string, SourceLocation | undefined>();
  for (const name of kinds.functions) out.set(name, undefined);
  for (const ref of usage.references) {
    if (ref.path.length !== 1 || out.has(ref.top)) continue;
    const parent = ref.expr.parent;
    const called = (t.isCallExpression(parent) || t.isOptionalCallExpression(parent)) && parent.callee === ref.expr.node;
    const container = ref.expr.parentPath?.isJSXExpressionContainer() ? ref.expr.parentPath.parent : null;
    const handler = t.isJSXAttribute(container) && t.isJSXIdentifier(container.name) && /^on[A-Z]/.test(container.name.name);
    if (called || handler) out.set(ref.top, ref.expr.node.loc?.start);
  }
  return out;
}

/** The host elements the component returns (each `return`, or an arrow's body), through `?:` and `&&`. */
function rootElements(fn: NodePath<ComponentFunction>): t.JSXElement[] {
  const roots: t.JSXElement[] = [];
  const body = fn.node.body;
  if (!t.isBlockStatement(body)) hostResults(body, roots);
  for (const ret of ownReturns(fn.node)) hostResults(ret.argument, roots);
  return roots;
}
