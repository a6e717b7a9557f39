import * as t from '@babel/types';
import type { ComponentEntry, PropEntry } from '@splice/manifest';
import { componentKey } from '@splice/manifest';
import type { NodePath } from './babel';
import type { FileContext } from './context';
import { report } from './context';
import type { FoundComponent, ComponentFunction } from './findComponents';
import { classifyReference, hostTag, type ReferenceUse } from './holes';
import { collectPropReferences, type PropReference } from './propReferences';
import { buildElementEntry, type ElementHoles } from './elementEntry';

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
}

/**
 * Works out which props are value holes and which host elements to mark. Returns `null` when
 * there is nothing the edge could patch (the diagnostics say why).
 */
export function analyzeComponent(ctx: FileContext, component: FoundComponent): ComponentAnalysis | null {
  const { fn, name } = component;
  const usage = collectPropReferences(fn);
  for (const note of usage.notes) report(ctx, note.code, 'info', note.message, note.loc);

  // `children` usually renders elements: never count it as text next to a hole.
  const textReads = usage.references.filter((r) => !(r.path.length === 1 && r.top === 'children'));
  const readNodes = new Set<t.Node>(textReads.map((r) => r.expr.node));
  const uses = new Map<PropReference, ReferenceUse>();
  for (const ref of usage.references) uses.set(ref, classifyReference(ref, fn, (node) => readNodes.has(node)));

  const props = decidePatchability(ctx, usage.names, usage.problems, uses);

  const holes = new Map<t.JSXElement, ElementHoles>();
  const holesOf = (element: t.JSXElement): ElementHoles => {
    let h = holes.get(element);
    if (!h) holes.set(element, (h = { text: new Map(), attrs: new Map() }));
    return h;
  };
  let patchableHoles = 0;
  const patchableElements = new Set<t.JSXElement>();
  for (const [ref, use] of uses) {
    if (use.kind === 'refused') continue;
    if (use.kind === 'text') holesOf(use.element).text.set(ref.expr.node, ref);
    else holesOf(use.element).attrs.set(use.attr, ref);
    if (props[ref.top]?.patchable) {
      patchableHoles++;
      patchableElements.add(use.element);
    }
  }
  if (patchableHoles === 0) return null;

  // The root comes first in document order, so each instance's first marker names its root.
  for (const root of rootElements(fn)) patchableElements.add(root);
  const ordered = [...patchableElements].sort((a, b) => (a.start ?? 0) - (b.start ?? 0));

  const noHoles: ElementHoles = { text: new Map(), attrs: new Map() };
  const elements = ordered.map((element) => buildElementEntry(element, holes.get(element) ?? noHoles));
  const marks = ordered.map((element, index) => ({
    element,
    index,
    textHoles: [...(holes.get(element) ?? noHoles).text.values()]
      .sort((a, b) => (a.expr.node.start ?? 0) - (b.expr.node.start ?? 0))
      .map((r) => r.expr.node),
  }));
  const key = componentKey(name, ctx.file, JSON.stringify({ props, elements }));
  const line = (component.statement.node.loc ?? fn.node.loc)?.start.line ?? 1;
  const reassignsProps = Object.values(fn.scope.bindings).some((b) => b.kind === 'param' && b.constantViolations.length > 0);
  return { component, key, entry: { name, file: ctx.file, line, props, elements }, marks, reassignsProps };
}

function decidePatchability(
  ctx: FileContext,
  names: string[],
  problems: ReturnType<typeof collectPropReferences>['problems'],
  uses: Map<PropReference, ReferenceUse>,
): Record<string, PropEntry> {
  const props: Record<string, PropEntry> = {};
  for (const name of names) props[name] = { patchable: true };
  const refuse = (top: string, code: string, reason: string): boolean => {
    const entry = props[top];
    if (!entry?.patchable) return false;
    props[top] = { patchable: false, code, reason };
    return true;
  };
  let refusedAll = false;
  for (const problem of problems) {
    if (problem.top === null) {
      for (const name of names) refuse(name, problem.code, problem.message);
      // One report is enough: the first reason is the one to fix.
      if (!refusedAll) report(ctx, problem.code, 'info', problem.message, problem.loc);
      refusedAll = true;
    } else if (refuse(problem.top, problem.code, problem.message)) {
      report(ctx, problem.code, 'info', problem.message, problem.loc);
    }
  }
  for (const [ref, use] of uses) {
    if (use.kind === 'refused' && refuse(ref.top, use.code, use.message)) {
      report(ctx, use.code, 'info', use.message, ref.expr.node.loc?.start);
    }
  }
  return props;
}

/** The host elements the component returns directly (each `return`, or an arrow's body). */
function rootElements(fn: NodePath<ComponentFunction>): t.JSXElement[] {
  const roots: t.JSXElement[] = [];
  const body = fn.node.body;
  if (t.isJSXElement(body)) roots.push(body);
  fn.traverse({
    Function(p) {
      p.skip();
    },
    ReturnStatement(p) {
      const arg = p.node.argument;
      if (t.isJSXElement(arg)) roots.push(arg);
    },
  });
  return roots.filter((el) => hostTag(el) !== null);
}
