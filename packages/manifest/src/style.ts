/**
 * A `style` object written as react-dom/server writes it (the `style` kind of the expression
 * IR): each own key in order, a value that is null, undefined, a boolean or '' left out, the
 * others as `name:value` joined by `;`, and no attribute at all when none is left. A custom
 * property (`--x`) keeps its name and its trimmed value; any other name is hyphenated
 * (`fontSize` is `font-size`, `WebkitLineClamp` is `-webkit-line-clamp`, `msFlex` is
 * `-ms-flex`); a number gets `px` unless it is 0 or the property takes plain numbers; a string
 * is trimmed.
 *
 * Which properties take plain numbers is React's own list, which this does not copy: it knows
 * the common ones of each kind (`test/style.test.ts` holds both lists to react-dom/server), and
 * a number for any other property throws, so the edge refuses the override rather than guess a
 * unit. A string value never gets a unit, whatever the property.
 */

/** Properties React writes a number to as it is (a sample of its list, checked against it). */
export const UNITLESS_STYLES: ReadonlySet<string> = new Set([
  'animationIterationCount', 'aspectRatio', 'columnCount', 'columns', 'flex', 'flexGrow', 'flexShrink',
  'fontWeight', 'gridArea', 'gridColumn', 'gridColumnEnd', 'gridColumnStart', 'gridRow', 'gridRowEnd',
  'gridRowStart', 'lineClamp', 'lineHeight', 'opacity', 'order', 'orphans', 'scale', 'tabSize', 'widows',
  'zIndex', 'zoom', 'fillOpacity', 'floodOpacity', 'stopOpacity', 'strokeDasharray', 'strokeDashoffset',
  'strokeMiterlimit', 'strokeOpacity', 'strokeWidth', 'WebkitLineClamp',
]);

/** Properties React writes a number to with `px` (the common lengths, checked against it). */
export const PX_STYLES: ReadonlySet<string> = new Set([
  'width', 'height', 'minWidth', 'minHeight', 'maxWidth', 'maxHeight', 'blockSize', 'inlineSize',
  'top', 'right', 'bottom', 'left', 'inset', 'insetBlock', 'insetInline',
  'margin', 'marginTop', 'marginRight', 'marginBottom', 'marginLeft', 'marginBlock', 'marginInline',
  'padding', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'paddingBlock', 'paddingInline',
  'gap', 'rowGap', 'columnGap', 'flexBasis', 'fontSize', 'letterSpacing', 'wordSpacing', 'textIndent',
  'borderWidth', 'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth',
  'borderRadius', 'borderTopLeftRadius', 'borderTopRightRadius', 'borderBottomLeftRadius', 'borderBottomRightRadius',
  'outlineWidth', 'outlineOffset', 'backgroundSize', 'backgroundPositionX', 'backgroundPositionY',
]);

/** A key a `style` expression may hold: a custom property or a camelCase name (vendor prefix included). */
export function isStyleName(name: string): boolean {
  return /^--[A-Za-z0-9_-]+$/.test(name) || /^[A-Za-z][A-Za-z0-9]*$/.test(name);
}

/** The CSS name React writes for a style key. */
export function styleName(name: string): string {
  if (name.startsWith('--')) return name;
  return name.replace(/([A-Z])/g, '-$1').toLowerCase().replace(/^ms-/, '-ms-');
}

/**
 * The style attribute's value for the evaluated entries, or null when React writes none.
 * `text` is how the IR turns a value into a string (JavaScript's `'' + value`, refusing what
 * JSON cannot tell). Throws for a number where the unit is not known (see above).
 */
export function styleOf(entries: readonly [string, unknown][], text: (value: unknown) => string): string | null {
  const out: string[] = [];
  for (const [name, value] of entries) {
    if (value === null || value === undefined || typeof value === 'boolean' || value === '') continue;
    let written: string;
    if (name.startsWith('--')) written = text(value).trim();
    else if (typeof value === 'number') {
      if (value === 0 || UNITLESS_STYLES.has(name)) written = '' + value;
      else if (PX_STYLES.has(name)) written = `${value}px`;
      else throw new TypeError(`a number for style property ${name}, whose unit is not known here`);
    } else written = text(value).trim();
    out.push(`${styleName(name)}:${written}`);
  }
  return out.length === 0 ? null : out.join(';');
}
