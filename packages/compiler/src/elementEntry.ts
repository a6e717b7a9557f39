import * as t from '@babel/types';
import type { AttrEntry, ElementEntry, Expr, TextItem } from '@splice/manifest';
import { MARKER_ATTRIBUTE } from '@splice/manifest';
import { isNeverEmitted, reactAttributePosition } from './htmlNames';
import { attrName, hostTag, staticText } from './holes';

/** The holes found in one host element, as the IR computes them. */
export interface ElementHoles {
  /** Keyed by the child expression node. */
  text: Map<t.Node, Expr>;
  attrs: Map<t.JSXAttribute, Expr>;
}

/** The manifest's description of a marked element: its attributes in JSX order, and its text when it has text holes. */
export function buildElementEntry(element: t.JSXElement, holes: ElementHoles, constants: ReadonlyMap<t.Node, string> = new Map()): ElementEntry {
  const tag = hostTag(element) ?? '';
  // React writes some attributes of <input>, <button> and <form> after all the others: list them
  // where React writes them, since the edge uses this order to insert a missing attribute.
  const ranked: { rank: number; attr: AttrEntry }[] = [];
  for (const attr of element.openingElement.attributes) {
    if (!t.isJSXAttribute(attr)) continue;
    const name = attrName(attr);
    if (isNeverEmitted(name) || name === MARKER_ATTRIBUTE) continue;
    const position = reactAttributePosition(tag, name);
    // Outside <input>, React never writes these (textarea/select/option content is not an attribute).
    if (position.rank === 0 && (name === 'defaultValue' || name === 'defaultChecked' || name === 'innerHTML')) continue;
    if (ranked.some((r) => r.attr.name === position.name)) continue;
    const hole = holes.attrs.get(attr);
    ranked.push({ rank: position.rank, attr: hole ? { name: position.name, hole } : { name: position.name } });
  }
  const attrs = ranked.map((r, i) => ({ ...r, i })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((r) => r.attr);
  const entry: ElementEntry = { tag, attrs };
  // A spread (of the component's own rest props: any other leaves no hole here) writes attributes the build cannot know.
  if (element.openingElement.attributes.some((a) => t.isJSXSpreadAttribute(a))) entry.open = true;
  if (holes.text.size > 0) {
    entry.text = t.react.buildChildren(element).map((child): TextItem => {
      const hole = holes.text.get(child);
      if (hole) return { kind: 'hole', expr: hole };
      // Text-only children are checked before a text hole is accepted, so this is a literal or a constant.
      return { kind: 'static', value: staticText(child) ?? constants.get(child) ?? '' };
    });
  }
  return entry;
}
