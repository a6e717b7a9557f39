import { BOOLEAN_HTML, unsafeAttributeName } from '@splice/manifest';
/**
 * What React DOM does with host element attributes and children, as far as the compiler needs
 * to know: which attributes it writes under which name, and which tags or attributes it treats
 * specially (so their bytes are not a plain function of one prop).
 */

/** Props React never writes as attributes. */
export function isNeverEmitted(name: string): boolean {
  return (
    name === 'key' || name === 'ref' || name === 'children' || name === 'dangerouslySetInnerHTML' ||
    name === 'suppressHydrationWarning' || name === 'suppressContentEditableWarning' ||
    // React drops every attribute whose name starts with `on` (any case) and is longer than two.
    (name.length > 2 && /^on/i.test(name))
  );
}

/**
 * React's renames (its `aliases` table and the `xlink*`/`xml*` cases of `pushAttribute` in
 * react-dom/server): the SVG presentation attributes are written in kebab case.
 */
const KEBAB_SVG = [
  'accentHeight', 'alignmentBaseline', 'arabicForm', 'baselineShift', 'capHeight', 'clipPath', 'clipRule', 'colorInterpolation',
  'colorInterpolationFilters', 'colorProfile', 'colorRendering', 'dominantBaseline', 'enableBackground', 'fillOpacity', 'fillRule',
  'floodColor', 'floodOpacity', 'fontFamily', 'fontSize', 'fontSizeAdjust', 'fontStretch', 'fontStyle', 'fontVariant', 'fontWeight',
  'glyphName', 'glyphOrientationHorizontal', 'glyphOrientationVertical', 'horizAdvX', 'horizOriginX', 'imageRendering', 'letterSpacing',
  'lightingColor', 'markerEnd', 'markerMid', 'markerStart', 'maskType', 'overlinePosition', 'overlineThickness', 'paintOrder',
  'pointerEvents', 'renderingIntent', 'shapeRendering', 'stopColor', 'stopOpacity', 'strikethroughPosition', 'strikethroughThickness',
  'strokeDasharray', 'strokeDashoffset', 'strokeLinecap', 'strokeLinejoin', 'strokeMiterlimit', 'strokeOpacity', 'strokeWidth',
  'textAnchor', 'textDecoration', 'textRendering', 'transformOrigin', 'underlinePosition', 'underlineThickness', 'unicodeBidi',
  'unicodeRange', 'unitsPerEm', 'vAlphabetic', 'vHanging', 'vIdeographic', 'vMathematical', 'vectorEffect', 'vertAdvY', 'vertOriginX',
  'vertOriginY', 'wordSpacing', 'writingMode', 'xHeight',
];
const NAMESPACED = ['xlinkActuate', 'xlinkArcrole', 'xlinkHref', 'xlinkRole', 'xlinkShow', 'xlinkTitle', 'xlinkType', 'xmlBase', 'xmlLang', 'xmlSpace', 'xmlnsXlink'];

const RENAMED: Readonly<Record<string, string>> = {
  className: 'class',
  htmlFor: 'for',
  tabIndex: 'tabindex',
  httpEquiv: 'http-equiv',
  acceptCharset: 'accept-charset',
  crossOrigin: 'crossorigin',
  ...Object.fromEntries(KEBAB_SVG.map((n) => [n, n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)])),
  ...Object.fromEntries(NAMESPACED.map((n) => [n, n.replace(/^(xmlns|xlink|xml)([A-Z])/, (_, ns: string, c: string) => `${ns}:${c.toLowerCase()}`)])),
};

/** The name React writes to HTML for a JSX attribute. */
export function emittedName(jsxName: string): string {
  return RENAMED[jsxName] ?? jsxName;
}

const ALIASES = new Map<string, string[]>();
for (const [from, to] of Object.entries(RENAMED)) {
  for (const [a, b] of [[from, to], [to, from]] as const) {
    const list = ALIASES.get(a) ?? [];
    list.push(b);
    ALIASES.set(a, list);
  }
}

/**
 * The other JSX names React writes under the same HTML name (`className` and `class`, `htmlFor`
 * and `for`, `strokeWidth` and `stroke-width`): two props, so two attributes of one name.
 */
export function aliasesOf(jsxName: string): readonly string[] {
  return ALIASES.get(jsxName) ?? [];
}

/** Controlled-form props: React writes them in its own order, or not as attributes at all. */
const FORM_STATE = new Set(['value', 'defaultValue', 'checked', 'defaultChecked', 'selected', 'multiple', 'muted']);

const BOOLEAN_ATTRIBUTES = new Set([
  'allowFullScreen', 'async', 'autoFocus', 'autoPlay', 'controls', 'default', 'defer', 'disabled', 'formNoValidate', 'hidden',
  'inert', 'loop', 'noModule', 'noValidate', 'open', 'playsInline', 'readOnly', 'required', 'reversed', 'scoped', 'seamless',
  'itemScope', 'capture', 'download', 'credentialless', 'disablePictureInPicture', 'disableRemotePlayback',
]);

/** Attributes React writes only when the value is a number (`start`) or a number ≥ 1 (the others). */
const NUMERIC_ATTRIBUTES = new Set(['cols', 'rows', 'size', 'span', 'start', 'rowSpan']);

/** Tags React hoists, renders as resources, or whose attributes it rewrites. */
const NO_ATTRIBUTE_HOLES = new Set(['title', 'meta', 'link', 'script', 'style', 'base', 'textarea', 'select', 'option', 'html', 'head']);

/**
 * Tags whose content is not plain escaped text children in React's server output. (`pre` and
 * `listing` get an extra newline before a lone string child that starts with one: see
 * `leadingNewlineTag`.)
 */
const NO_TEXT_HOLES = new Set(['title', 'textarea', 'option', 'select', 'script', 'style', 'noscript', 'template', 'html', 'head']);

/** React writes an extra `\n` after the start tag when the only child is a string starting with `\n`. */
export function leadingNewlineTag(tag: string): boolean {
  return tag === 'pre' || tag === 'listing';
}

/**
 * Attributes React writes after all the others, in this order, whatever their JSX position
 * (`pushInput`, `pushStartButton`, `pushStartForm` in react-dom/server), with the name it writes.
 * `checked`/`value` of `<input>` come from `checked`/`defaultChecked` and `value`/`defaultValue`.
 */
const MOVED_ATTRIBUTES: Readonly<Record<string, readonly (readonly [jsx: readonly string[], html: string])[]>> = {
  input: [
    [['name'], 'name'], [['formAction'], 'formAction'], [['formEncType'], 'formEncType'], [['formMethod'], 'formMethod'],
    [['formTarget'], 'formTarget'], [['checked', 'defaultChecked'], 'checked'], [['value', 'defaultValue'], 'value'],
  ],
  button: [[['name'], 'name'], [['formAction'], 'formAction'], [['formEncType'], 'formEncType'], [['formMethod'], 'formMethod'], [['formTarget'], 'formTarget']],
  form: [[['action'], 'action'], [['encType'], 'encType'], [['method'], 'method'], [['target'], 'target']],
};

/**
 * Where React writes a JSX attribute of `tag`: `rank` 0 for attributes written in JSX order,
 * a higher rank for those React moves to the end (in rank order), with the HTML name it uses.
 */
export function reactAttributePosition(tag: string, jsxName: string): { rank: number; name: string } {
  const moved = MOVED_ATTRIBUTES[tag];
  if (moved) {
    const i = moved.findIndex(([names]) => names.includes(jsxName));
    if (i >= 0) return { rank: i + 1, name: moved[i]![1] };
  }
  return { rank: 0, name: emittedName(jsxName) };
}

/** Tags whose form-action attributes, when not plain strings, make React rewrite other attributes. */
export function hasFormActionAttributes(tag: string): boolean {
  return tag === 'input' || tag === 'button' || tag === 'form';
}

/** `<img>` props React copies into the `<link rel="preload">` it writes into the head for an eager image. */
export const IMAGE_PRELOAD_PROPS: ReadonlySet<string> = new Set([
  'src', 'srcSet', 'sizes', 'loading', 'crossOrigin', 'integrity', 'nonce', 'type', 'fetchPriority', 'referrerPolicy',
]);

export function tagRefusesText(tag: string): boolean {
  return NO_TEXT_HOLES.has(tag);
}

/** Why an attribute of this tag cannot be a value hole, or `null` when it can. */
export function attributeHoleRefusal(tag: string, jsxName: string): { code: 'SPLICE013' | 'SPLICE014'; why: string } | null {
  if (NO_ATTRIBUTE_HOLES.has(tag)) return { code: 'SPLICE014', why: `React treats the attributes of <${tag}> specially` };
  if (tag.includes('-')) return { code: 'SPLICE014', why: `<${tag}> is a custom element, whose props React may set as properties` };
  if (isNeverEmitted(jsxName)) return { code: 'SPLICE013', why: `\`${jsxName}\` is not written as an attribute` };
  if (jsxName === 'style') return { code: 'SPLICE013', why: '`style` is written from an object, not a string' };
  // The edge refuses a manifest with a hole in `is` or `srcdoc` (validate.ts): every override of the page would be skipped.
  const unsafe = unsafeAttributeName(emittedName(jsxName));
  if (unsafe !== undefined) return { code: 'SPLICE013', why: `\`${jsxName}\` ${unsafe.replace(/^is `\w+`, /, '')}, which the edge never writes` };
  if (FORM_STATE.has(jsxName)) return { code: 'SPLICE013', why: `\`${jsxName}\` is form state React writes in its own way` };
  // The lower-case ones are value holes (the manifest's attributeOf writes them as React does).
  if (BOOLEAN_ATTRIBUTES.has(jsxName) && !BOOLEAN_HTML.has(jsxName)) return { code: 'SPLICE013', why: `\`${jsxName}\` is a boolean attribute React writes as spelled` };
  if (NUMERIC_ATTRIBUTES.has(jsxName)) return { code: 'SPLICE013', why: `React writes \`${jsxName}\` only for numeric values` };
  const name = emittedName(jsxName);
  if (name === 'class' || name === 'for') return null;
  // SVG presentation attributes: plain strings, under their kebab-case names.
  if (KEBAB_SVG.includes(jsxName)) return null;
  if (/^(data|aria)-[A-Za-z0-9_.:-]*$/.test(name) || /^[a-z][a-z0-9]*$/.test(name)) return null;
  return { code: 'SPLICE013', why: `attribute \`${jsxName}\` is not supported as a hole yet` };
}
