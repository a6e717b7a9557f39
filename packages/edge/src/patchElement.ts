import {
  attributeOf, escapeHtml, evaluateExpr, exprProps, textOf, TEXT_SEPARATOR, unsafeAttributeValue,
} from '@splice/manifest';
import type { ElementEntry, Expr, HostFunctions, JsonValue } from '@splice/manifest';
import { ascii, bytesEqual, decodeStrict, encoder, findByte, matchesAt, utf8 } from './bytes';


/** An element table entry, prepared once per stream for byte comparisons. */
export interface CompiledElement {
  tag: string;
  /** Attribute name → position in the manifest's emission order. */
  order: Map<string, number>;
  attrHoles: { name: string; order: number; expr: Expr; reads: Set<string> }[];
  /** Also writes attributes the manifest cannot list (see `ElementEntry.open`). */
  open: boolean;
  text?: CompiledText[];
  textHoles: number;
}

type CompiledText = { kind: 'static'; bytes: Uint8Array } | { kind: 'hole'; expr: Expr; reads: Set<string> };

export function compileElement(entry: ElementEntry): CompiledElement {
  const order = new Map<string, number>();
  const attrHoles: CompiledElement['attrHoles'] = [];
  // JSX may repeat an attribute (`className="a" className={x}`). The props object keeps the key at
  // its first position with its last value, so React writes it once, there: only the last entry
  // of a name can be a hole, and it sits at the first entry's position.
  const last = new Map<string, number>();
  entry.attrs.forEach((a, i) => {
    if (!order.has(a.name)) order.set(a.name, i);
    last.set(a.name, i);
  });
  entry.attrs.forEach((a, i) => {
    if (a.hole !== undefined && last.get(a.name) === i) {
      attrHoles.push({ name: a.name, order: order.get(a.name) as number, expr: a.hole, reads: exprProps(a.hole) });
    }
  });
  const compiled: CompiledElement = { tag: entry.tag, order, attrHoles, open: entry.open === true, textHoles: 0 };
  if (entry.text !== undefined) {
    const text: CompiledText[] = [];
    for (const item of entry.text) {
      if (item.kind === 'static') {
        // React writes nothing for an empty string, so an empty static occupies no run.
        if (item.value !== '') text.push({ kind: 'static', bytes: encoder.encode(escapeHtml(item.value)) });
      } else {
        text.push({ kind: 'hole', expr: item.expr, reads: exprProps(item.expr) });
        compiled.textHoles++;
      }
    }
    compiled.text = text;
  }
  return compiled;
}

function touches(reads: ReadonlySet<string>, names: ReadonlySet<string>): boolean {
  for (const r of reads) if (names.has(r)) return true;
  return false;
}

/** Which parts of the element the override props reach: decides how much must be buffered. */
export function affected(el: CompiledElement, names: ReadonlySet<string>): { attrs: boolean; text: boolean } {
  let attrs = false;
  let text = false;
  for (const h of el.attrHoles) if (touches(h.reads, names)) attrs = true;
  for (const t of el.text ?? []) if (t.kind === 'hole' && touches(t.reads, names)) text = true;
  return { attrs, text };
}

/**
 * Where things are inside the bytes of one marked element of the base page (no marker there):
 * `<tag␠a="…"…>CONTENT` — offsets into `buf`.
 */
export interface ElementLayout {
  /** Offset just after the tag name, where the attributes start. */
  attrsStart: number;
  /** Offset of the `>` that ends the start tag. */
  tagEnd: number;
  /** End of the text content (offset of the `<` of the closing tag); only when the text is patched. */
  contentEnd?: number;
}

export type PatchResult = { ok: true; pieces: Uint8Array[] } | { ok: false; reason: string };

const SPACE = 0x20, EQ = 0x3d, QUOTE = 0x22, SLASH = 0x2f, GT = 0x3e;
const SEPARATOR = ascii(TEXT_SEPARATOR);
const SEPARATOR_FIRST = SEPARATOR[0] as number;
const ATTR_NAME = /^[^\s"'>/=]+$/;

/**
 * Rewrites one marked element. Pure: it returns the new bytes, or why the base bytes do not
 * match the manifest (then the caller passes them through untouched). It never throws on
 * content; an exception here is a bug, and the stream fails open around it.
 */
export function patchElement(
  buf: Uint8Array,
  layout: ElementLayout,
  el: CompiledElement,
  props: Readonly<Record<string, JsonValue>>,
  names: ReadonlySet<string>,
  mask: string | undefined,
  hosts?: HostFunctions,
): PatchResult {
  // The mask says which text holes rendered in the base page; the patched page needs none,
  // since markers never reach the browser.
  const reach = affected(el, names);

  // ── The start tag's attributes, as React writes them: ` name="value"` each, then `>` or `/>`.
  // Kept as offsets into `buf` (`bytes` only for a rewritten one): a view per attribute cost more
  // than the rest of the patch, and unchanged neighbours leave as one piece (see the assembly).
  const attrs: Attr[] = [];
  let i = layout.attrsStart;
  let end = layout.tagEnd;
  let lastOrder = -1;
  while (i < layout.tagEnd) {
    if (buf[i] === SLASH && i + 1 === layout.tagEnd) { end = i; break; }
    if (buf[i] !== SPACE) return { ok: false, reason: 'start tag is not in React form' };
    const eq = findByte(buf, EQ, i + 1, layout.tagEnd);
    if (eq < 0 || buf[eq + 1] !== QUOTE) return { ok: false, reason: 'start tag is not in React form' };
    const close = findByte(buf, QUOTE, eq + 2, layout.tagEnd);
    if (close < 0) return { ok: false, reason: 'start tag is not in React form' };
    const name = asciiName(buf, i + 1, eq);
    const order = name === null ? undefined : el.order.get(name);
    const valid = name !== null && isAttrName(name);
    if (order === undefined && el.open && valid) {
      // An attribute of the rest props: kept where it is, never taken for a hole (no order of its own).
      attrs.push({ order: -1, start: i, end: close + 1, bytes: null });
      i = close + 1;
      continue;
    }
    // Contract: attrs lists every attribute the element can emit, in emission order. Anything
    // else means the HTML and the manifest disagree, and an insertion point could be wrong.
    if (!valid || order === undefined || order <= lastOrder) {
      return { ok: false, reason: `attribute ${JSON.stringify(name ?? '?')} does not match the manifest` };
    }
    lastOrder = order;
    attrs.push({ order, start: i, end: close + 1, bytes: null });
    i = close + 1;
  }

  if (reach.attrs) {
    for (const hole of el.attrHoles) {
      if (!touches(hole.reads, names)) continue;
      const value = attributeOf(evaluateExpr(hole.expr, props, hosts), hole.name);
      // planOverrides refused these already; checked again because a wrong byte here is an XSS.
      if (value === undefined) return { ok: false, reason: `attribute ${hole.name}: value refused` };
      if (typeof value === 'string' && unsafeAttributeValue(hole.name, value) !== undefined) {
        return { ok: false, reason: `attribute ${hole.name}: unsafe URL refused` };
      }
      const at = attrs.findIndex((a) => a.order >= hole.order);
      const present = at >= 0 && (attrs[at] as { order: number }).order === hole.order;
      // Among attributes the build cannot know, where React would write a missing one is unknown.
      if (!present && value !== null && el.open) return { ok: false, reason: `attribute ${hole.name}: absent from the base page, and the element has attributes the build cannot know` };
      const bytes = value === null ? null : utf8(` ${hole.name}="${escapeHtml(value)}"`);
      if (present) {
        if (bytes === null) attrs.splice(at, 1);
        else attrs[at] = { order: hole.order, start: -1, end: -1, bytes };
      } else if (bytes !== null) {
        // Absent in the base HTML: insert before the first later attribute present (a static
        // anchor or another hole), which is where React would have written it.
        if (at < 0) attrs.push({ order: hole.order, start: -1, end: -1, bytes });
        else attrs.splice(at, 0, { order: hole.order, start: -1, end: -1, bytes });
      }
    }
  }

  // ── Text content.
  let content: Uint8Array[] | null = null;
  if (reach.text) {
    const text = el.text;
    if (text === undefined || layout.contentEnd === undefined) return { ok: false, reason: 'element has no text entry' };
    const runs = splitRuns(buf.subarray(layout.tagEnd + 1, layout.contentEnd));
    if (runs === null) return { ok: false, reason: 'content is not plain text runs' };
    const statics = text.length - el.textHoles;
    // Which holes rendered something in the base: the mask says, or with one hole the run count.
    let bits: string;
    if (el.textHoles >= 2) {
      if (mask === undefined || mask.length !== el.textHoles) return { ok: false, reason: 'marker mask does not match the text holes' };
      bits = mask;
    } else {
      if (mask !== undefined) return { ok: false, reason: 'unexpected marker mask' };
      const extra = runs.length - statics;
      if (extra !== 0 && extra !== 1) return { ok: false, reason: 'text runs do not match the manifest' };
      bits = el.textHoles === 1 ? String(extra) : '';
    }
    const out: Uint8Array[] = [];
    let r = 0;
    let h = 0;
    for (const item of text) {
      if (item.kind === 'static') {
        const run = runs[r++];
        if (run === undefined || !bytesEqual(run, item.bytes)) return { ok: false, reason: 'static text does not match the manifest' };
        out.push(run);
        continue;
      }
      const rendered = bits[h++] === '1';
      const base = rendered ? runs[r++] : undefined;
      if (rendered && base === undefined) return { ok: false, reason: 'text runs do not match the manifest' };
      let run: Uint8Array | undefined = base;
      if (touches(item.reads, names)) {
        const value = textOf(evaluateExpr(item.expr, props, hosts));
        if (value === undefined) return { ok: false, reason: 'text value refused' };
        run = value === '' ? undefined : utf8(escapeHtml(value));
      }
      if (run !== undefined) out.push(run);
    }
    if (r !== runs.length) return { ok: false, reason: 'text runs do not match the manifest' };
    content = [];
    out.forEach((run, k) => { if (k > 0) content!.push(SEPARATOR); content!.push(run); });
  }

  // ── Assemble: `<tag`, attributes, tag end, content. Bytes of the base page that follow each
  // other there (the tag name, unchanged attributes, the tag end) go out as one view.
  const pieces: Uint8Array[] = [];
  let from = 0;
  let to = layout.attrsStart;
  for (const a of attrs) {
    if (a.bytes === null && a.start === to) { to = a.end; continue; }
    if (to > from) pieces.push(buf.subarray(from, to));
    if (a.bytes !== null) { pieces.push(a.bytes); from = to = -1; } else { from = a.start; to = a.end; }
  }
  if (to === end) pieces.push(buf.subarray(from, layout.tagEnd + 1));
  else {
    if (to > from) pieces.push(buf.subarray(from, to));
    pieces.push(buf.subarray(end, layout.tagEnd + 1));
  }
  if (content !== null) pieces.push(...content);
  else if (layout.contentEnd !== undefined) pieces.push(buf.subarray(layout.tagEnd + 1, layout.contentEnd));
  return { ok: true, pieces };
}

/** An attribute of the start tag: `buf[start, end)` as the page has it, or `bytes` written anew. */
interface Attr { order: number; start: number; end: number; bytes: Uint8Array | null }

/** `ATTR_NAME.test(name)` without the regular expression for the ASCII names React writes. */
function isAttrName(name: string): boolean {
  if (name.length === 0) return false;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c >= 0x80) return ATTR_NAME.test(name);
    // \s (ASCII part), `"`, `'`, `>`, `/`, `=`.
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x22 || c === 0x27 || c === 0x3e || c === 0x2f || c === 0x3d) return false;
  }
  return true;
}

/**
 * Splits text content on React's `<!-- -->` separators. Escaped text never holds a raw `<`, so
 * any other `<`, or an empty run (React never writes one), means this is not a text-only element.
 */
function splitRuns(content: Uint8Array): Uint8Array[] | null {
  const runs: Uint8Array[] = [];
  if (content.length === 0) return runs;
  let start = 0;
  let i = findByte(content, SEPARATOR_FIRST, 0);
  while (i !== -1) {
    if (!matchesAt(content, i, SEPARATOR) || i === start) return null;
    runs.push(content.subarray(start, i));
    start = i + SEPARATOR.length;
    i = findByte(content, SEPARATOR_FIRST, start);
  }
  if (start === content.length) return null;
  runs.push(content.subarray(start));
  return runs;
}

/**
 * An attribute name as a string. Names React writes are short ASCII: build the string directly
 * (a `TextDecoder` call costs more than the rest of the element's patching); anything else goes
 * through the strict decoder.
 */
function asciiName(buf: Uint8Array, from: number, to: number): string | null {
  if (to - from > 64) return decodeStrict(buf.subarray(from, to));
  let name = '';
  for (let k = from; k < to; k++) {
    const c = buf[k] as number;
    if (c >= 0x80) return decodeStrict(buf.subarray(from, to));
    name += String.fromCharCode(c);
  }
  return name;
}
