/**
 * What React DOM does with host element attributes and children, as far as the compiler needs
 * to know: which attributes it writes under which name, and which tags or attributes it treats
 * specially (so their bytes are not a plain function of one prop).
 */

/** Props React never writes as attributes. */
export function isNeverEmitted(name: string): boolean {
  return (
    name === 'key' || name === 'ref' || name === 'children' || name === 'dangerouslySetInnerHTML' ||
    name === 'suppressHydrationWarning' || name === 'suppressContentEditableWarning' || /^on[A-Z]/.test(name)
  );
}

const RENAMED: Readonly<Record<string, string>> = {
  className: 'class',
  htmlFor: 'for',
  tabIndex: 'tabindex',
  httpEquiv: 'http-equiv',
  acceptCharset: 'accept-charset',
  crossOrigin: 'crossorigin',
};

/** The name React writes to HTML for a JSX attribute. */
export function emittedName(jsxName: string): string {
  return RENAMED[jsxName] ?? jsxName;
}

/** Controlled-form props: React writes them in its own order, or not as attributes at all. */
const FORM_STATE = new Set(['value', 'defaultValue', 'checked', 'defaultChecked', 'selected', 'multiple', 'muted']);

const BOOLEAN_ATTRIBUTES = new Set([
  'allowFullScreen', 'async', 'autoFocus', 'autoPlay', 'controls', 'default', 'defer', 'disabled', 'formNoValidate', 'hidden',
  'inert', 'loop', 'noModule', 'noValidate', 'open', 'playsInline', 'readOnly', 'required', 'reversed', 'scoped', 'seamless',
  'itemScope', 'capture', 'download',
]);

/** Tags React hoists, renders as resources, or whose attributes it rewrites. */
const NO_ATTRIBUTE_HOLES = new Set(['title', 'meta', 'link', 'script', 'style', 'base', 'textarea', 'select', 'option', 'html', 'head']);

/** Tags whose content is not plain escaped text children in React's server output. */
const NO_TEXT_HOLES = new Set(['title', 'textarea', 'option', 'select', 'script', 'style', 'noscript', 'template', 'html', 'head']);

export function tagRefusesText(tag: string): boolean {
  return NO_TEXT_HOLES.has(tag);
}

/** Why an attribute of this tag cannot be a value hole, or `null` when it can. */
export function attributeHoleRefusal(tag: string, jsxName: string): { code: 'SPLICE013' | 'SPLICE014'; why: string } | null {
  if (NO_ATTRIBUTE_HOLES.has(tag)) return { code: 'SPLICE014', why: `React treats the attributes of <${tag}> specially` };
  if (tag.includes('-')) return { code: 'SPLICE014', why: `<${tag}> is a custom element, whose props React may set as properties` };
  if (isNeverEmitted(jsxName)) return { code: 'SPLICE013', why: `\`${jsxName}\` is not written as an attribute` };
  if (jsxName === 'style') return { code: 'SPLICE013', why: '`style` is written from an object, not a string' };
  if (FORM_STATE.has(jsxName)) return { code: 'SPLICE013', why: `\`${jsxName}\` is form state React writes in its own way` };
  if (BOOLEAN_ATTRIBUTES.has(jsxName)) return { code: 'SPLICE013', why: `\`${jsxName}\` is a boolean attribute` };
  const name = emittedName(jsxName);
  if (name === 'class' || name === 'for') return null;
  if (/^(data|aria)-[A-Za-z0-9_.:-]*$/.test(name) || /^[a-z][a-z0-9]*$/.test(name)) return null;
  return { code: 'SPLICE013', why: `attribute \`${jsxName}\` is not supported as a hole yet` };
}
