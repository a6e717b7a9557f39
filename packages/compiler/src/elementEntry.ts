import * as t from '@babel/types';
import type { AttrEntry, ElementEntry, TextItem } from '@splice/manifest';
import { MARKER_ATTRIBUTE } from '@splice/manifest';
import { emittedName, isNeverEmitted } from './htmlNames';
import { hostTag, staticText } from './holes';
import type { PropReference } from './propReferences';

/** The holes found in one host element. */
export interface ElementHoles {
  /** Keyed by the child expression node. */
  text: Map<t.Node, PropReference>;
  attrs: Map<t.JSXAttribute, PropReference>;
}

/** The manifest's description of a marked element: its attributes in JSX order, and its text when it has text holes. */
export function buildElementEntry(element: t.JSXElement, holes: ElementHoles): ElementEntry {
  const attrs: AttrEntry[] = [];
  for (const attr of element.openingElement.attributes) {
    if (!t.isJSXAttribute(attr)) continue;
    const name = t.isJSXNamespacedName(attr.name) ? `${attr.name.namespace.name}:${attr.name.name.name}` : attr.name.name;
    if (isNeverEmitted(name) || name === MARKER_ATTRIBUTE) continue;
    const hole = holes.attrs.get(attr);
    attrs.push(hole ? { name: emittedName(name), hole: { kind: 'prop', path: hole.path } } : { name: emittedName(name) });
  }
  const entry: ElementEntry = { tag: hostTag(element) ?? '', attrs };
  if (holes.text.size > 0) {
    entry.text = t.react.buildChildren(element).map((child): TextItem => {
      const hole = holes.text.get(child);
      if (hole) return { kind: 'hole', expr: { kind: 'prop', path: hole.path } };
      // Text-only children are checked before a text hole is accepted, so this is a literal.
      return { kind: 'static', value: staticText(child) ?? '' };
    });
  }
  return entry;
}
