import type { JsonValue } from './types';

/**
 * How React renders a value as a text child: strings and numbers as text, `null`, `undefined`
 * and booleans as nothing. Anything else (objects, arrays) is not a text value: `undefined`
 * here means "refuse", `''` means "renders nothing".
 */
export function textOf(value: JsonValue | undefined): string | undefined {
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return '' + value;
  return undefined;
}

/**
 * How many text runs React writes for a child value (text nodes, which it separates by
 * `<!-- -->`): a non-empty string, a number or a bigint is one, `''`, `null`, `undefined` and
 * booleans none, an array the sum of its items'. `undefined` for anything else (an element, an
 * object, a function): not text.
 */
export function textRuns(value: unknown): number | undefined {
  if (value === null || value === undefined || typeof value === 'boolean') return 0;
  if (typeof value === 'string') return value === '' ? 0 : 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 1;
  if (Array.isArray(value)) {
    let runs = 0;
    for (const item of value as unknown[]) {
      const n = textRuns(item);
      if (n === undefined) return undefined;
      runs += n;
    }
    return runs;
  }
  return undefined;
}

/**
 * The marker mask of an element's text holes, from their values in the render: `1` where a
 * hole wrote a run, `0` where it wrote none. The edge reads the base page's runs by it, so a
 * hole that wrote two runs or more (an array of strings) or something other than text has no
 * bit that says so: no mask then, and the edge refuses to patch the element rather than take
 * one of that hole's runs for the next hole's.
 */
export function textMask(values: readonly unknown[]): string | undefined {
  let mask = '';
  for (const value of values) {
    const runs = textRuns(value);
    if (runs === undefined || runs > 1) return undefined;
    mask += String(runs);
  }
  return mask;
}

/**
 * How React renders a value as attribute `name` (the name it writes, as in the manifest):
 * strings and numbers written, `null` and `undefined` leave the attribute out (`null` result).
 * A boolean is written as `"true"`/`"false"` for `data-*`, `aria-*` and React's "booleanish
 * string" attributes, and left out for every other attribute a hole can be (React's boolean and
 * numeric attributes are never holes). Without a name, and for objects and arrays, `undefined`:
 * refused.
 */
export function attributeOf(value: JsonValue | undefined, name?: string): string | null | undefined {
  // A boolean attribute: present (empty) for any truthy value, as react-dom/server writes it
  // (JavaScript's truthiness: NaN, which the IR computes from `Number('x')`, is falsy too).
  if (name !== undefined && BOOLEAN_HTML.has(name)) return value !== undefined && value !== null && value !== false && value !== '' && value !== 0 && !Number.isNaN(value) ? '' : null;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return '' + value;
  // `<object data>` writes a boolean as text, other tags leave `data` out: the name alone cannot tell.
  if (typeof value === 'boolean' && name !== undefined && name !== 'data') {
    const prefix = name.slice(0, 5).toLowerCase();
    return prefix === 'data-' || prefix === 'aria-' || BOOLEANISH.has(name) ? String(value) : null;
  }
  return undefined;
}

/**
 * React's boolean attributes whose prop name is their HTML name (lower case), so the edge writes
 * exactly React's bytes: `disabled=""` for a truthy value, nothing otherwise (test/values.test.ts
 * holds this to react-dom/server). Those spelled in camelCase (`readOnly`, `autoPlay`) are written
 * by React as spelled and stay out, as do the overloaded ones (`download`, `capture`).
 */
export const BOOLEAN_HTML: ReadonlySet<string> = new Set(['async', 'controls', 'default', 'defer', 'disabled', 'hidden', 'inert', 'loop', 'open', 'required', 'reversed', 'scoped', 'seamless', 'credentialless']);

/** react-dom/server's "booleanish string" attributes, by the exact prop name it matches: a boolean is written as its text. */
const BOOLEANISH: ReadonlySet<string> = new Set(['contentEditable', 'draggable', 'spellCheck', 'value', 'autoReverse', 'externalResourcesRequired', 'focusable', 'preserveAlpha']);

/** React's own test for a `javascript:` URL (leading C0 controls/space, tabs and newlines inside). */
const JAVASCRIPT_URL =
  /^[\u0000-\u001F ]*j[\r\n\t]*a[\r\n\t]*v[\r\n\t]*a[\r\n\t]*s[\r\n\t]*c[\r\n\t]*r[\r\n\t]*i[\r\n\t]*p[\r\n\t]*t[\r\n\t]*:/i;

export function isJavaScriptUrl(value: string): boolean {
  return JAVASCRIPT_URL.test(value);
}

/** Attributes React treats as URLs (it rewrites `javascript:` ones and drops empty ones). */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href', 'src', 'action', 'formaction', 'formAction', 'xlink:href', 'poster', 'cite', 'data', 'codebase', 'background', 'srcset',
]);

/**
 * Why an attribute value must not reach the page, or `undefined` when it may. Refused in any
 * attribute: a `javascript:` URL (React rewrites those in URL attributes; elsewhere nobody should
 * need one from an override). Refused in URL attributes: the empty string, which React 19 drops.
 */
export function unsafeAttributeValue(name: string, value: string): 'is a javascript: URL' | 'is an empty URL' | undefined {
  if (isJavaScriptUrl(value)) return 'is a javascript: URL';
  if (value === '' && URL_ATTRIBUTES.has(name)) return 'is an empty URL';
  return undefined;
}

/**
 * Why an attribute name must not be a hole the edge writes, or `undefined` when it may: the
 * manifest is read at the edge, and a forged one could otherwise name an event handler
 * (`onmouseover`), inline CSS or an HTML document (`srcdoc`) and let an override fill it. The
 * compiler never makes such a hole.
 */
export function unsafeAttributeName(name: string): string | undefined {
  if (!/^[A-Za-z_:][A-Za-z0-9_.:-]*$/.test(name)) return 'is not an attribute name';
  if (/^on/i.test(name)) return 'is an event handler';
  const lower = name.toLowerCase();
  if (lower === 'style' || lower === 'srcdoc' || lower === 'is') return `is \`${lower}\`, which React never writes from a plain string`;
  return undefined;
}
