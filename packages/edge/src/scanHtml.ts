import { safeMessage } from './util';
import { BOUNDARY_TAG, SLOT_TAG, TEXT_SEPARATOR, parseMarker } from '@splice/manifest';
import { concat, decodeStrict, encoder, findByte } from './bytes';
import { IndexBuilder } from './indexBuilder';
import type { IndexedSite, IndexedSlot } from './pageIndex';

/**
 * The context-aware pass over a source page: follows the HTML tokenizer's states closely
 * enough to know, at every byte, whether it is markup, and so finds the real markers and the
 * real `</body>`; removes the markers; and records where every marked element is (the page
 * index) in base-page offsets.
 *
 * Written by hand, as a byte state machine resumable at any chunk boundary, because it is the
 * product's core and no library fits: a DOM parser buffers the page, and the streaming
 * rewriters (HTMLRewriter, lol-html) report neither byte offsets nor their context. It runs once
 * per cache fill (or per build); requests then patch through the index without scanning.
 *
 * Where the browser's tokenizer depends on its tree builder, this one keeps the little of the
 * tree that decides it, because any disagreement shifts every context after it (a marker found
 * inside what the browser reads as script text would let an override write into script):
 * - foreign content: inside `<svg>` and `<math>`, `style`, `script`, `title`… are elements with
 *   markup in them, `/>` closes an element, and `<![CDATA[` runs to `]]>`; the HTML integration
 *   points (`foreignObject`, `desc`, `title` in SVG; `mi`, `mo`, `mn`, `ms`, `mtext` and
 *   `annotation-xml` with an HTML `encoding` in MathML) hold HTML again, and the HTML tags that
 *   break out of foreign content (`<p>`, `<div>`, `<font color>`, `</br>`…) end it;
 * - in HTML content `<![CDATA[` is a bogus comment ending at the first `>`, and `/>` on a
 *   raw-text element (`<script/>`) is ignored: it opens raw text all the same;
 * - a `</body>` inside `<template>` does not count (the browser ignores it there).
 * For that it keeps the stack of open elements by name (hashes), with the standard's end-tag
 * rules (an end tag closes the nearest open element of its name, but never past a "special"
 * element), so that an HTML end tag that closes an element around an `<svg>` ends the foreign
 * content as it does in the browser. Implied end tags are not modelled: an element left open by
 * one is closed with whatever encloses it.
 */

const LT = 0x3c, GT = 0x3e, SLASH = 0x2f, BANG = 0x21, QMARK = 0x3f, DASH = 0x2d, EQ = 0x3d;
const DQ = 0x22, SQ = 0x27, RBRACKET = 0x5d;

// Tokenizer states (a subset of the HTML standard's, named after them).
const DATA = 0, TAG_NAME = 1, BEFORE_ATTR_NAME = 2, ATTR_NAME = 3, AFTER_ATTR_NAME = 4, BEFORE_ATTR_VALUE = 5;
const ATTR_VALUE_DQ = 6, ATTR_VALUE_SQ = 7, ATTR_VALUE_UQ = 8, AFTER_ATTR_VALUE_QUOTED = 9, SELF_CLOSING = 10;
const COMMENT = 11, BOGUS_COMMENT = 12, CDATA = 13, RAWTEXT = 14, SCRIPT = 15, SCRIPT_ESCAPED = 16;
const SCRIPT_DOUBLE_ESCAPED = 17, PLAINTEXT = 18;

const MARKER_NAME = 'data-splice';
const RAW_TEXT = new Set(['style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen']);
const MAX_NAME = 64;
const SEPARATOR = encoder.encode(TEXT_SEPARATOR);

/**
 * Tag names are tracked as a hash while they are read, never as strings: building a string per
 * tag costs more than the rest of the scan. A hash that matches a name the scan cares about is
 * then checked against the bytes, so a collision can never make a tag special.
 */
function nameStep(hash: number, c: number): number {
  return (Math.imul(hash, 31) + c) | 0;
}
function nameKey(hash: number, length: number): number {
  return (hash >>> 0) * 128 + Math.min(length, 127);
}
function keyOf(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = nameStep(h, name.charCodeAt(i));
  return nameKey(h, name.length);
}

/** HTML start tags that end foreign content (the standard's "in foreign content" list; `font` only with color, face or size). */
const BREAKOUT = new Set(['b', 'big', 'blockquote', 'body', 'br', 'center', 'code', 'dd', 'div', 'dl', 'dt', 'em', 'embed',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'hr', 'i', 'img', 'li', 'listing', 'menu', 'meta', 'nobr', 'ol', 'p', 'pre',
  'ruby', 's', 'small', 'span', 'strong', 'strike', 'sub', 'sup', 'table', 'tt', 'u', 'ul', 'var']);
const SVG_HTML_POINTS = new Set(['foreignobject', 'desc', 'title']);
/** HTML's "special" elements: an end tag walking down the stack stops at one of them. */
const SPECIAL = new Set(['address', 'applet', 'area', 'article', 'aside', 'base', 'basefont', 'bgsound', 'blockquote',
  'body', 'br', 'button', 'caption', 'center', 'col', 'colgroup', 'dd', 'details', 'dir', 'div', 'dl', 'dt', 'embed',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frame', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head',
  'header', 'hgroup', 'hr', 'html', 'iframe', 'img', 'input', 'keygen', 'li', 'link', 'listing', 'main', 'marquee',
  'menu', 'meta', 'nav', 'noembed', 'noframes', 'noscript', 'object', 'ol', 'p', 'param', 'plaintext', 'pre', 'script',
  'search', 'section', 'select', 'source', 'style', 'summary', 'table', 'tbody', 'td', 'template', 'textarea', 'tfoot',
  'th', 'thead', 'title', 'tr', 'track', 'ul', 'wbr', 'xmp']);
/** Elements an "in scope" search for an end tag does not look past (HTML's; the foreign ones are integration points). */
const SCOPE = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template']);
/** Bound on the open-element stack: malformed pages with unclosed elements cannot grow it forever. */
const MAX_OPEN = 1024;
const MATH_TEXT_POINTS = new Set(['mi', 'mo', 'mn', 'ms', 'mtext']);
const KNOWN = new Map<number, string>();
for (const name of [...RAW_TEXT, ...VOID, ...BREAKOUT, ...SVG_HTML_POINTS, ...MATH_TEXT_POINTS, ...SPECIAL, 'script',
  ...SCOPE, 'plaintext', 'template', 'svg', 'math', 'font', 'annotation-xml', 'mglyph', 'malignmark', BOUNDARY_TAG, SLOT_TAG]) KNOWN.set(keyOf(name), name);

const NS_HTML = 0, NS_SVG = 1, NS_MATH = 2;
/**
 * An open element. `point` marks an integration point (HTML inside); `special` an element an
 * HTML end tag does not close past; `root` the `svg`/`math` that began a foreign island.
 */
interface Frame { key: number; ns: number; point: 0 | 1 | 2; special: boolean; template: boolean; root: string; xml: boolean; scope: boolean }
const POINT_HTML = 1, POINT_MATH_TEXT = 2;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
}
function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}
function isDelimiter(c: number): boolean {
  return isWs(c) || c === SLASH || c === GT;
}

export interface ScanLimits {
  /** Most bytes of one start tag held back (it may hold a marker to remove). Default 64 KiB. */
  tagBytes: number;
  /** Longest marker value read (a root's carries the instance's props). Default 64 KiB. */
  markerValueBytes: number;
}

/** An instance's root element (or boundary, `instance` -1 for a boundary with a bad marker) whose end tag is awaited. */
interface OpenRoot { instance: number; tag: number; depth: number; boundary: boolean; slot: IndexedSlot | null }

/** The problem a page ending inside a start tag reports. */
const ENDS_INSIDE_TAG = 'page ends inside a start tag';

export class SourceScanner {
  readonly index = new IndexBuilder();
  readonly problems: string[] = [];

  private state = DATA;
  /** Unprocessed bytes at the end of the last chunk: a decision that needs more lookahead. */
  private carry: Uint8Array | null = null;
  /** The last bytes before the current buffer, for `-->` and `]]>` split by a chunk boundary. */
  private tail = new Uint8Array(0);
  /** Source offset of the next buffer's first byte. */
  private srcEnd = 0;
  /** Source offset of the first byte not yet handed on (or held). */
  private emitFrom = 0;
  /** Marker bytes removed so far: base offset = source offset - stripped. */
  private stripped = 0;
  private out: Uint8Array[] = [];

  // The tag being read.
  private tagStart = 0;
  private isEnd = false;
  private nameHash = 0;
  private nameLen = 0;
  /** The tag name's first bytes, lower-cased: to check a hash match and to name a site. */
  private readonly nameBuf = new Uint8Array(MAX_NAME);
  /** The name when it is one the scan cares about (checked against the bytes), else ''. */
  private known = '';
  /** Attributes that decide foreign content: 1 = `font` there, 2 = `annotation-xml` in MathML. */
  private watch = 0;
  private readonly attrBuf = new Uint8Array(16);
  private fontBreaks = false;
  private htmlEncoding = false;
  private capturingEncoding = false;
  /** The browser keeps the first of repeated attributes: only the first `encoding` counts. */
  private encodingSeen = false;
  /** Its own buffer: the marker value's may be smaller than `application/xhtml+xml`. */
  private readonly encodingBuf = new Uint8Array(32);
  private holding = false;
  private held: Uint8Array[] = [];
  private overflowed = false;
  private wsStart = -1;
  private attrStart = 0;
  private attrLen = 0;
  private attrMatch = 0;
  private cuts: number[] = [];
  private capturing = false;
  private value: Uint8Array;
  private valueLen = 0;
  private markers = 0;
  private markerText: string | null = null;

  // Constructs that end far from where they start.
  private constructStart = 0;
  private rawName = '';
  private dashes = 0;
  /** Open elements, by name (see the top of the file). */
  private readonly open: Frame[] = [];
  private awaiting: IndexedSite | null = null;
  private readonly openRoots: OpenRoot[] = [];

  // Boundaries (see `BOUNDARY_TAG`): their tags are cut whole, which can bring two text nodes
  // together; React separates those with `<!-- -->`, and so must the base page.
  /** Is the byte before the tag being read text (React escapes `<` and `>` in text)? */
  private tagAfterText = false;
  /** Source offset just after the last boundary tag cut, and whether text preceded that run of cuts. */
  private lastCutEnd = -1;
  private lastCutAfterText = false;
  /** Source offset where a separator goes if text follows (text preceded the cuts just before it). */
  private joinAt = -1;

  constructor(private readonly limits: ScanLimits) {
    this.value = new Uint8Array(Math.min(512, limits.markerValueBytes));
  }

  problem(message: string): void {
    if (this.problems.length < 50) this.problems.push(message);
  }

  /** Set by an internal error: from then on bytes pass through as they come. */
  broken = false;

  /**
   * Did the scan hand on the page's bytes exactly as they came, and find nothing to act on?
   * Only then do its offsets describe the page as it is (a scan of a page that stopped matching
   * its index, `Splicer.mismatch`). A page ending inside a start tag is no exception: its
   * `closer` lets markup follow it.
   */
  get unchanged(): boolean {
    return !this.broken && this.stripped === 0 && this.index.sites.length === 0 && this.problems.every((p) => p === ENDS_INSIDE_TAG);
  }

  /** Scans one chunk; returns the base-page bytes that can be handed on (views, in order). */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.broken) return [chunk];
    let buf = chunk;
    let bufSrc = this.srcEnd;
    if (this.carry !== null) {
      buf = concat([this.carry, chunk]);
      bufSrc -= this.carry.length;
      this.carry = null;
    }
    this.srcEnd = bufSrc + buf.length;
    this.out = [];
    try {
      this.run(buf, bufSrc);
    } catch (error) {
      // A bug, not bad input (every byte sequence is valid input). Lose nothing: what was handed
      // on stays, and everything after it goes out as it came, markers and all.
      this.broken = true;
      this.problem(`internal error in the scan, passing the rest through: ${safeMessage(error)}`);
      // Not handed on yet: held pieces of a tag begun in an earlier chunk, and this chunk from
      // `emitFrom` (never past the start of a tag being read).
      const rest = this.held;
      this.held = [];
      this.holding = false;
      return [...this.out, ...rest, buf.subarray(Math.max(this.emitFrom - bufSrc, 0))];
    }
    return this.out;
  }

  /** The end of the page: hands on what is left and completes the index. */
  finish(): Uint8Array[] {
    if (this.broken) {
      this.index.finish(this.srcEnd - this.stripped, null);
      return [];
    }
    this.out = [];
    const closer = this.closer();
    if (this.carry !== null) {
      // Too short to be anything but text now.
      this.out.push(this.carry);
      this.emitFrom += this.carry.length;
      this.carry = null;
    }
    if (this.holding) {
      this.problem(ENDS_INSIDE_TAG);
      this.stripped += this.releaseHeld(new Uint8Array(0), 0, 0);
    }
    this.index.finish(this.srcEnd - this.stripped, closer);
    return this.out;
  }

  /**
   * What closes the context the page ends in, so that bytes appended after it are markup: the
   * tokenizer's state, then open foreign content, then open templates (whose content the
   * document's `getElementById` cannot see).
   */
  private closer(): string | null {
    const inner = this.tokenCloser();
    if (inner === null) return null;
    // A start tag cut short by the end of the page: once closed, its element is open too.
    let element = '';
    if (this.state >= TAG_NAME && this.state <= SELF_CLOSING && !this.isEnd) {
      if (this.state === TAG_NAME) this.nameDone();
      // A foreign element opens no raw text; an HTML one may (and `svg`/`math` an island).
      const name = this.known;
      if (this.htmlHere(name)) {
        if (name === 'plaintext') return null;
        if (name === 'script' || RAW_TEXT.has(name) || name === 'template' || name === 'svg' || name === 'math') element = `</${name}>`;
      }
    }
    // Leave a foreign island whose current node takes no HTML: close its `svg`/`math`.
    let foreign = '';
    const stack = this.open;
    for (let i = stack.length - 1; i >= 0; i--) {
      const f = stack[i] as Frame;
      if (f.ns === NS_HTML || f.point !== 0) break;
      if (f.root !== '') foreign = `</${f.root}>`;
    }
    let templates = 0;
    for (const f of stack) if (f.template) templates++;
    return inner + element + foreign + '</template>'.repeat(templates);
  }

  private tokenCloser(): string | null {
    const carry = this.carry;
    switch (this.state) {
      case DATA: return carry !== null && carry.length > 1 ? '>' : '';
      case ATTR_VALUE_DQ: return '">';
      case ATTR_VALUE_SQ: return "'>";
      case TAG_NAME: case BEFORE_ATTR_NAME: case ATTR_NAME: case AFTER_ATTR_NAME: case BEFORE_ATTR_VALUE:
      case ATTR_VALUE_UQ: case AFTER_ATTR_VALUE_QUOTED: case SELF_CLOSING: case BOGUS_COMMENT:
        return '>';
      case COMMENT: return '-->';
      case CDATA: return ']]>';
      case RAWTEXT: return `</${this.rawName}>`;
      case SCRIPT: case SCRIPT_ESCAPED: return '</script>';
      case SCRIPT_DOUBLE_ESCAPED: return '--></script>';
      default: return null; // plaintext: nothing ends it
    }
  }

  private base(src: number): number {
    return src - this.stripped;
  }

  private run(buf: Uint8Array, bufSrc: number): void {
    const n = buf.length;
    let p = 0;
    let stop = n;
    while (p < n) {
      const s = this.state;
      if (s === DATA) {
        if (this.joinAt === bufSrc + p) this.join(buf, p, bufSrc);
        const lt = findByte(buf, LT, p);
        if (lt === -1) { p = n; break; }
        const r = this.afterLt(buf, lt, bufSrc);
        if (r === -1) { stop = lt; break; }
        p = r;
      } else if (s <= SELF_CLOSING) {
        p = this.tag(buf, p, bufSrc);
      } else if (s === COMMENT || s === CDATA) {
        const gt = findByte(buf, GT, p);
        if (gt === -1) { p = n; break; }
        if (this.closes(buf, gt, bufSrc)) this.state = DATA;
        p = gt + 1;
      } else if (s === BOGUS_COMMENT) {
        const gt = findByte(buf, GT, p);
        if (gt === -1) { p = n; break; }
        this.state = DATA;
        p = gt + 1;
      } else if (s === RAWTEXT || s === SCRIPT) {
        const lt = findByte(buf, LT, p);
        if (lt === -1) { p = n; break; }
        const r = this.rawLt(buf, lt, bufSrc);
        if (r === -1) { stop = lt; break; }
        p = r;
      } else if (s === SCRIPT_ESCAPED || s === SCRIPT_DOUBLE_ESCAPED) {
        const r = this.escapedScript(buf, p, bufSrc);
        if (r < 0) { stop = -r - 1; break; }
        p = r;
      } else {
        p = n; // plaintext
      }
    }
    if (stop < n) {
      this.carry = buf.slice(stop);
    }
    if (this.holding) {
      // A tag runs over the chunk boundary: what precedes it leaves, the tag waits for its `>`.
      const tagAt = Math.max(this.tagStart - bufSrc, 0);
      if (this.emitFrom - bufSrc < tagAt) this.out.push(buf.subarray(this.emitFrom - bufSrc, tagAt));
      this.held.push(buf.subarray(tagAt, stop));
    } else if (this.emitFrom - bufSrc < stop) {
      this.out.push(buf.subarray(this.emitFrom - bufSrc, stop));
    }
    this.emitFrom = bufSrc + stop;
    // The last three bytes before `stop`, reaching into the previous tail for tiny chunks.
    const t = Math.min(stop, 3);
    const keep = Math.min(3 - t, this.tail.length);
    const tail = new Uint8Array(keep + t);
    tail.set(this.tail.subarray(this.tail.length - keep));
    tail.set(buf.subarray(stop - t, stop), keep);
    this.tail = tail;
    // A tag still being read may yet turn out to be a `</body>`: it starts at `tagStart`.
    this.index.reached(this.base(this.holding ? Math.min(this.tagStart, bufSrc + stop) : bufSrc + stop));
  }

  /** The byte at source offset `abs`, from the buffer or from the tail before it. */
  private byteAt(buf: Uint8Array, bufSrc: number, abs: number): number {
    if (abs >= bufSrc) return buf[abs - bufSrc] as number;
    const tail = this.tail;
    return tail[tail.length - (bufSrc - abs)] ?? -1;
  }

  /** Does the `>` at `gt` end the comment (`-->`, `--!>`, `<!-->`, `<!--->`) or CDATA (`]]>`)? */
  private closes(buf: Uint8Array, gt: number, bufSrc: number): boolean {
    const abs = bufSrc + gt;
    const into = abs - this.constructStart;
    const at = (k: number) => this.byteAt(buf, bufSrc, abs - k);
    if (this.state === CDATA) return into >= 2 && at(1) === RBRACKET && at(2) === RBRACKET;
    if (into === 0) return true;
    if (into === 1) return at(1) === DASH;
    if (at(1) === DASH && at(2) === DASH) return true;
    return into >= 3 && at(1) === BANG && at(2) === DASH && at(3) === DASH;
  }

  /** Data state met a `<` at `lt`. Returns where to go on, or -1 when more bytes are needed. */
  private afterLt(buf: Uint8Array, lt: number, bufSrc: number): number {
    const n = buf.length;
    if (lt + 1 >= n) return -1;
    const c = buf[lt + 1] as number;
    if (c === BANG) {
      if (lt + 3 >= n) return -1;
      if (buf[lt + 2] === DASH && buf[lt + 3] === DASH) {
        this.state = COMMENT;
        this.constructStart = bufSrc + lt + 4;
        return lt + 4;
      }
      this.contentEnds(bufSrc + lt, false);
      // CDATA sections exist only in foreign content; in HTML `<![CDATA[` is a bogus comment.
      if (buf[lt + 2] === 0x5b /* [ */ && this.inForeign()) {
        if (lt + 8 >= n) return -1;
        if (matchAscii(buf, lt + 2, '[CDATA[')) {
          this.state = CDATA;
          this.constructStart = bufSrc + lt + 9;
          return lt + 9;
        }
      }
      this.state = BOGUS_COMMENT;
      return lt + 2;
    }
    if (c === SLASH) {
      if (lt + 2 >= n) return -1;
      const d = buf[lt + 2] as number;
      this.contentEnds(bufSrc + lt, isAlpha(d));
      if (isAlpha(d)) { this.beginTag(bufSrc + lt, true, this.byteAt(buf, bufSrc, bufSrc + lt - 1)); return lt + 2; }
      if (d === GT) return lt + 3; // `</>` is ignored
      this.state = BOGUS_COMMENT;
      return lt + 2;
    }
    this.contentEnds(bufSrc + lt, false);
    if (isAlpha(c)) {
      this.beginTag(bufSrc + lt, false, this.byteAt(buf, bufSrc, bufSrc + lt - 1));
      return lt + 1;
    }
    if (c === QMARK) { this.state = BOGUS_COMMENT; return lt + 1; }
    return lt + 1; // a `<` that is text
  }

  /** Is the current node a foreign (SVG or MathML) element? */
  private inForeign(): boolean {
    const top = this.top();
    return top !== undefined && top.ns !== NS_HTML;
  }

  private top(): Frame | undefined {
    return this.open[this.open.length - 1];
  }

  /** Does a start tag of this name get HTML rules at the current node (the tree builder's dispatcher)? */
  private htmlHere(name: string): boolean {
    const top = this.top();
    return top === undefined || top.ns === NS_HTML || top.point === POINT_HTML
      || (top.point === POINT_MATH_TEXT && name !== 'mglyph' && name !== 'malignmark')
      || (top.xml && name === 'svg');
  }

  private pushOpen(frame: Frame): void {
    if (this.open.length >= MAX_OPEN) {
      // Forget the oldest element, but never a template: what is inside one must stay inside.
      const drop = this.open.findIndex((f) => !f.template);
      if (drop >= 0) this.open.splice(drop, 1);
    }
    this.open.push(frame);
  }

  /** Text content of the awaited marked element ends at `abs` (a `<` that opens no comment). */
  private contentEnds(abs: number, closed: boolean): void {
    const site = this.awaiting;
    if (site === null) return;
    site.contentEnd = this.base(abs);
    site.closed = closed;
    this.awaiting = null;
  }

  /**
   * The tag being read is complete up to `to` (relative to `buf`). A tag within one chunk with
   * nothing to cut is left where it is, to leave later as part of one long view; only a tag
   * with a cut, or begun in an earlier chunk, is handed on as pieces here.
   */
  private release(buf: Uint8Array, bufSrc: number, to: number): void {
    if (this.held.length === 0 && this.cuts.length === 0) {
      this.holding = false;
      return;
    }
    const tagAt = Math.max(this.tagStart - bufSrc, 0);
    const from = this.emitFrom - bufSrc;
    if (from < tagAt) this.out.push(buf.subarray(from, tagAt));
    this.stripped += this.releaseHeld(buf, tagAt, to);
    this.emitFrom = bufSrc + to;
  }

  private beginTag(abs: number, isEnd: boolean, before = GT): void {
    this.state = TAG_NAME;
    this.tagAfterText = abs === this.lastCutEnd ? this.lastCutAfterText : before !== -1 && before !== GT && abs > 0;
    this.tagStart = abs;
    this.isEnd = isEnd;
    this.nameHash = 0;
    this.nameLen = 0;
    this.known = '';
    this.watch = 0;
    this.fontBreaks = false;
    this.htmlEncoding = false;
    this.encodingSeen = false;
    this.overflowed = false;
    this.wsStart = -1;
    // Fresh arrays only when the last tag left something: most tags cut and hold nothing.
    if (this.cuts.length !== 0) this.cuts = [];
    this.cutCheck = false;
    this.prevAttrUq = false;
    this.markers = 0;
    this.markerText = null;
    this.capturing = false;
    // Held until its `>`: a start tag may carry a marker to cut out, and an end tag may be the
    // `</body>` the bootstrap goes before; either must be known before its bytes are handed on.
    this.holding = true;
    if (this.held.length !== 0) this.held = [];
  }

  /** Raw text, RCDATA or script data met a `<`: is it the element's end tag (or, in script, `<!--`)? */
  private rawLt(buf: Uint8Array, lt: number, bufSrc: number): number {
    const n = buf.length;
    const name = this.state === SCRIPT ? 'script' : this.rawName;
    const need = lt + 2 + name.length;
    if (this.state === SCRIPT && lt + 3 < n && buf[lt + 1] === BANG && buf[lt + 2] === DASH && buf[lt + 3] === DASH) {
      this.state = SCRIPT_ESCAPED;
      this.dashes = 2;
      return lt + 4;
    }
    if (need >= n) {
      // Not enough bytes to decide; unless what there is already rules it out.
      if (this.state === SCRIPT && lt + 1 < n && buf[lt + 1] === BANG && (lt + 2 >= n || buf[lt + 2] === DASH)) return -1;
      return prefixCouldMatch(buf, lt + 1, '/' + name) ? -1 : lt + 1;
    }
    if (buf[lt + 1] === SLASH && matchAsciiCi(buf, lt + 2, name) && isDelimiter(buf[need] as number)) {
      this.endRaw(buf, lt, bufSrc, name);
      return need;
    }
    return lt + 1;
  }

  private endRaw(buf: Uint8Array, lt: number, bufSrc: number, name: string): void {
    this.contentEnds(bufSrc + lt, true);
    this.beginTag(bufSrc + lt, true);
    this.nameHash = 0;
    for (let i = 0; i < name.length; i++) {
      this.nameHash = nameStep(this.nameHash, name.charCodeAt(i));
      this.nameBuf[i] = name.charCodeAt(i);
    }
    this.nameLen = name.length;
    this.nameDone();
  }

  /**
   * Script data after `<!--`: here `<script` nests and `</script>` may not end the element
   * (the standard's escaped and double-escaped states). Byte by byte, since it is rare.
   * Returns the next position, or `-(lt + 1)` when the `<` at `lt` needs more bytes.
   */
  private escapedScript(buf: Uint8Array, p: number, bufSrc: number): number {
    const n = buf.length;
    while (p < n) {
      const c = buf[p] as number;
      if (c === DASH) { this.dashes++; p++; continue; }
      if (c === GT && this.dashes >= 2) { this.state = SCRIPT; this.dashes = 0; return p + 1; }
      this.dashes = 0;
      if (c !== LT) { p++; continue; }
      if (p + 1 >= n) return -(p + 1);
      const double = this.state === SCRIPT_DOUBLE_ESCAPED;
      // `</script` + delimiter, or (escaped only) `<script` + delimiter.
      const close = p + 1 < n && buf[p + 1] === SLASH;
      const nameAt = close ? p + 2 : p + 1;
      if (!close && double) { p++; continue; }
      if (nameAt + 6 >= n) {
        if (prefixCouldMatch(buf, p + 1, close ? '/script' : 'script')) return -(p + 1);
        p++;
        continue;
      }
      if (matchAsciiCi(buf, nameAt, 'script') && isDelimiter(buf[nameAt + 6] as number)) {
        if (close && !double) { this.endRaw(buf, p, bufSrc, 'script'); return nameAt + 6; }
        // `<script` enters double escaping; `</script` inside it leaves it. The delimiter is consumed.
        this.state = double ? SCRIPT_ESCAPED : SCRIPT_DOUBLE_ESCAPED;
        p = nameAt + 7;
        continue;
      }
      p++;
    }
    return p;
  }

  /** The tag states: names read in tight loops, values skipped with `findByte`. */
  private tag(buf: Uint8Array, p: number, bufSrc: number): number {
    const n = buf.length;
    // While held, the tag must trip its limit at the same byte however the page is chunked: at
    // `limit` (relative to `buf`). Nothing in here starts holding again; an overflow stops it.
    let limit = this.holding ? this.tagStart + this.limits.tagBytes - bufSrc : Infinity;
    while (p < n) {
      if (p >= limit) {
        this.overflow(buf, p, bufSrc);
        limit = Infinity;
      }
      // Names are read in a tight loop up to the byte that ends them (or the limit): a tag is
      // mostly names, and one trip through the state switch per byte is what the scan cost.
      const end = limit < n ? limit : n;
      const state = this.state;
      if (state === TAG_NAME) {
        let hash = this.nameHash;
        let len = this.nameLen;
        const nameBuf = this.nameBuf;
        let c = 0;
        while (p < end) {
          c = buf[p] as number;
          if (c === GT || c === SLASH || isWs(c)) break;
          const l = lower(c);
          hash = nameStep(hash, l);
          if (len < MAX_NAME) nameBuf[len] = l;
          len++;
          p++;
        }
        this.nameHash = hash;
        this.nameLen = len;
        if (p === end) continue;
        this.nameDone();
        if (c === GT) return this.tagEnd(buf, p, bufSrc, false);
        if (c === SLASH) this.state = SELF_CLOSING;
        else { this.state = BEFORE_ATTR_NAME; this.wsStart = bufSrc + p; }
        p++;
        continue;
      }
      if (state === ATTR_NAME) {
        let c = 0;
        while (p < end) {
          c = buf[p] as number;
          if (c === GT || c === SLASH || c === EQ || isWs(c)) break;
          this.nameChar(c);
          p++;
        }
        if (p === end) continue;
      }
      const c = buf[p] as number;
      switch (state) {
        case BEFORE_ATTR_NAME:
          if (isWs(c)) { if (this.wsStart < 0) this.wsStart = bufSrc + p; p++; }
          else if (c === SLASH) { this.state = SELF_CLOSING; p++; }
          else if (c === GT) { return this.tagEnd(buf, p, bufSrc, false); }
          else { this.startAttr(bufSrc + p); this.nameChar(c); p++; }
          break;
        case ATTR_NAME:
          if (isWs(c)) { this.state = AFTER_ATTR_NAME; this.wsStart = bufSrc + p; this.attrNameEnd = bufSrc + p; p++; }
          else if (c === SLASH) { this.endAttr(bufSrc + p, 'none', c); this.state = SELF_CLOSING; p++; }
          else if (c === GT) { this.endAttr(bufSrc + p, 'none', c); return this.tagEnd(buf, p, bufSrc, false); }
          else if (c === EQ) { this.attrNameEnd = bufSrc + p; this.state = BEFORE_ATTR_VALUE; p++; }
          else { this.nameChar(c); p++; }
          break;
        case AFTER_ATTR_NAME:
          if (isWs(c)) { p++; }
          else if (c === SLASH) { this.endAttr(this.attrNameEnd, 'none', 0x20); this.state = SELF_CLOSING; p++; }
          else if (c === EQ) { this.state = BEFORE_ATTR_VALUE; p++; }
          else if (c === GT) { this.endAttr(this.attrNameEnd, 'none', 0x20); return this.tagEnd(buf, p, bufSrc, false); }
          else { this.endAttr(this.attrNameEnd, 'none', 0x20); this.startAttr(bufSrc + p); this.nameChar(c); p++; }
          break;
        case BEFORE_ATTR_VALUE:
          if (isWs(c)) { p++; }
          else if (c === DQ) { this.state = ATTR_VALUE_DQ; this.beginValue(); p++; }
          else if (c === SQ) { this.state = ATTR_VALUE_SQ; this.beginValue(); p++; }
          else if (c === GT) { this.endAttr(bufSrc + p, 'none', c); return this.tagEnd(buf, p, bufSrc, false); }
          else { this.state = ATTR_VALUE_UQ; this.beginValue(); }
          break;
        case ATTR_VALUE_DQ:
        case ATTR_VALUE_SQ: {
          // While held, never skip past the tag limit: it must trip at the same byte however
          // the page is chunked.
          const q = findByte(buf, state === ATTR_VALUE_DQ ? DQ : SQ, p, end);
          if (this.capturing) this.capture(buf, p, q === -1 ? end : q);
          if (q === -1) { p = end; break; }
          this.endAttr(bufSrc + q + 1, this.state === ATTR_VALUE_DQ ? 'dq' : 'sq');
          this.state = AFTER_ATTR_VALUE_QUOTED;
          p = q + 1;
          break;
        }
        case ATTR_VALUE_UQ:
          if (isWs(c)) { this.endAttr(bufSrc + p, 'uq', c); this.state = BEFORE_ATTR_NAME; this.wsStart = bufSrc + p; p++; }
          else if (c === GT) { this.endAttr(bufSrc + p, 'uq', c); return this.tagEnd(buf, p, bufSrc, false); }
          else { if (this.capturing) this.capture(buf, p, p + 1); p++; }
          break;
        case AFTER_ATTR_VALUE_QUOTED:
          // A marker just cut must not glue what follows to what precedes it: keep its leading
          // whitespace unless whitespace, `/` or `>` comes next.
          if (this.cutCheck) { this.cutCheck = false; if (!this.wsMayGo(c)) this.keepCutWs(); }
          if (isWs(c)) { this.state = BEFORE_ATTR_NAME; this.wsStart = bufSrc + p; p++; }
          else if (c === SLASH) { this.state = SELF_CLOSING; p++; }
          else if (c === GT) { return this.tagEnd(buf, p, bufSrc, false); }
          else { this.state = BEFORE_ATTR_NAME; this.wsStart = -1; }
          break;
        default: // SELF_CLOSING
          if (c === GT) return this.tagEnd(buf, p, bufSrc, true);
          this.state = BEFORE_ATTR_NAME;
          this.wsStart = -1;
      }
    }
    return p;
  }

  private attrNameEnd = 0;
  private attrHadWs = false;
  private attrNameStart = 0;
  /** A quoted marker value was just cut: the next byte decides whether its whitespace goes too. */
  private cutCheck = false;
  private cutNameStart = 0;
  private cutAfterUq = false;
  /** The last attribute (not a cut marker) had an unquoted value. */
  private prevAttrUq = false;

  private keepCutWs(): void {
    this.cuts[this.cuts.length - 2] = this.cutNameStart;
  }

  private startAttr(abs: number): void {
    this.state = ATTR_NAME;
    this.attrHadWs = this.wsStart >= 0;
    this.attrNameStart = abs;
    this.attrStart = this.wsStart >= 0 ? this.wsStart : abs;
    this.wsStart = -1;
    this.attrLen = 0;
    this.attrMatch = 0;
  }

  private nameChar(c: number): void {
    const l = lower(c);
    if (this.attrMatch === this.attrLen && this.attrLen < MARKER_NAME.length && l === MARKER_NAME.charCodeAt(this.attrLen)) this.attrMatch++;
    if (this.attrLen < 16) this.attrBuf[this.attrLen] = l;
    this.attrLen++;
  }

  private attrIs(name: string): boolean {
    if (this.attrLen !== name.length) return false;
    for (let i = 0; i < name.length; i++) if (this.attrBuf[i] !== name.charCodeAt(i)) return false;
    return true;
  }

  /** The tag name is complete: resolve it once, while its bytes are at hand. */
  private nameDone(): void {
    const name = KNOWN.get(nameKey(this.nameHash, this.nameLen));
    this.known = name !== undefined && this.nameIs(name) ? name : '';
    if (this.isEnd || !this.inForeign() || this.htmlHere(this.known)) return;
    const top = this.top() as Frame;
    if (this.known === 'font') this.watch = 1;
    else if (this.known === 'annotation-xml' && top.ns === NS_MATH) this.watch = 2;
  }

  private isMarkerAttr(): boolean {
    return !this.isEnd && this.attrLen === MARKER_NAME.length && this.attrMatch === MARKER_NAME.length;
  }

  private beginValue(): void {
    this.capturingEncoding = this.watch === 2 && !this.encodingSeen && this.attrIs('encoding');
    this.capturing = this.isMarkerAttr() || this.capturingEncoding;
    this.valueLen = 0;
  }

  private capture(buf: Uint8Array, from: number, to: number): void {
    let into = this.capturingEncoding ? this.encodingBuf : this.value;
    if (into === this.value && this.valueLen + (to - from) > into.length && into.length < this.limits.markerValueBytes) {
      // Grown on demand, up to the limit: most markers are short, a root's with its state is not.
      const grown = new Uint8Array(Math.min(this.limits.markerValueBytes, Math.max(into.length * 2, this.valueLen + (to - from))));
      grown.set(into.subarray(0, this.valueLen));
      this.value = into = grown;
    }
    const room = into.length - this.valueLen;
    const take = Math.min(room, to - from);
    if (take > 0) into.set(buf.subarray(from, from + take), this.valueLen);
    this.valueLen += to - from; // may exceed the buffer: then the value is too long
  }

  /** An attribute ended at `end` (exclusive). A `data-splice` attribute is cut out. */
  /**
   * May a cut marker's leading whitespace go, given the byte after it? Not when a name or value
   * follows directly (they would join what precedes), nor when `/` follows an unquoted value
   * (`a=x/` would take the slash into the value and the tag would no longer self-close).
   */
  private wsMayGo(next: number): boolean {
    return isWs(next) || next === GT || (next === SLASH && !this.cutAfterUq);
  }

  /** `next`: the byte after the attribute, when it is known already. */
  private endAttr(end: number, quoting: 'dq' | 'sq' | 'uq' | 'none', next = -1): void {
    const wasMarker = this.isMarkerAttr();
    const prevUq = this.prevAttrUq;
    if (!wasMarker) this.prevAttrUq = quoting === 'uq';
    if (this.watch === 1 && (this.attrIs('color') || this.attrIs('face') || this.attrIs('size'))) this.fontBreaks = true;
    if (this.watch === 2 && this.attrIs('encoding')) this.encodingSeen = true;
    if (this.capturingEncoding) {
      this.capturingEncoding = false;
      const v = this.valueLen <= this.encodingBuf.length ? decodeStrict(this.encodingBuf.subarray(0, this.valueLen)) : null;
      const encoding = v === null ? '' : v.toLowerCase();
      if (encoding === 'text/html' || encoding === 'application/xhtml+xml') this.htmlEncoding = true;
    }
    this.capturing = false;
    this.attrLen = 0;
    this.attrMatch = 0;
    if (!wasMarker) return;
    if (this.overflowed) {
      this.problem('a data-splice attribute in a start tag longer than the tag limit was left in place');
      return;
    }
    if (!this.attrHadWs) {
      // `<svg/data-splice…>` or `a="1"data-splice=…`: removing it could make `/>` or join two
      // names, changing how the browser reads the rest. Not React's form: left in place.
      this.problem('a data-splice attribute not preceded by whitespace was left in place, not patched');
      this.markers++;
      return;
    }
    this.cuts.push(this.attrStart, end);
    this.cutNameStart = this.attrNameStart;
    this.cutAfterUq = prevUq;
    if (next === -1) this.cutCheck = true;
    else if (!this.wsMayGo(next)) this.keepCutWs();
    // The browser keeps the first of repeated attributes: so does the index.
    if (this.markers++ > 0) return;
    if (quoting !== 'dq') { this.problem('a data-splice attribute not written as React writes it was removed, not patched'); return; }
    if (this.valueLen > this.limits.markerValueBytes || this.valueLen > this.value.length) { this.problem('marker value too long; removed, not patched'); return; }
    const text = decodeStrict(this.value.subarray(0, this.valueLen));
    if (text === null) { this.problem('marker value is not UTF-8; removed, not patched'); return; }
    this.markerText = text;
  }

  /** A start tag grew past the limit: hand on what is held, with the cuts already known. */
  private overflow(buf: Uint8Array, p: number, bufSrc: number): void {
    if (this.cutCheck) { this.cutCheck = false; this.keepCutWs(); }
    this.problem(`start tag longer than ${this.limits.tagBytes} bytes; its element is not patched`);
    this.release(buf, bufSrc, p);
    this.markerText = null;
    this.overflowed = true;
  }

  /** Hands on the held tag bytes plus `buf[from, to)`, minus the cuts. Returns bytes cut. */
  private releaseHeld(buf: Uint8Array, from: number, to: number): number {
    const pieces = this.held;
    if (to > from) pieces.push(buf.subarray(from, to));
    this.held = [];
    this.holding = false;
    const cuts = this.cuts;
    let removed = 0;
    if (cuts.length === 0) {
      for (const piece of pieces) if (piece.length > 0) this.out.push(piece);
    } else {
      let abs = this.tagStart;
      let k = 0;
      for (const piece of pieces) {
        let i = 0;
        while (i < piece.length) {
          const cutFrom = k < cuts.length ? (cuts[k] as number) : Infinity;
          const cutTo = k < cuts.length ? (cuts[k + 1] as number) : Infinity;
          const here = abs + i;
          if (here >= cutTo) { k += 2; continue; }
          if (here >= cutFrom) {
            const skip = Math.min(cutTo - here, piece.length - i);
            i += skip;
            removed += skip;
            continue;
          }
          const take = Math.min(cutFrom - here, piece.length - i);
          this.out.push(piece.subarray(i, i + take));
          i += take;
        }
        abs += piece.length;
      }
    }
    this.cuts = [];
    return removed;
  }

  /** The `>` at `gt` ends the tag being read. */
  private tagEnd(buf: Uint8Array, gt: number, bufSrc: number, selfClosing: boolean): number {
    const abs = bufSrc + gt;
    const key = nameKey(this.nameHash, this.nameLen);
    const name = this.known;
    this.state = DATA;
    if (this.isEnd) {
      if (name === 'body' && !this.open.some((f) => f.template) && this.holding) this.index.bodyEndTag(this.base(this.tagStart));
      this.endTag(key, name);
      const boundary = this.closeRoots(key, abs + 1);
      if (boundary && this.holding && !this.overflowed) this.cutBoundaryTag(abs + 1);
      if (this.holding) this.release(buf, bufSrc, gt + 1);
      return gt + 1;
    }
    const startBase = this.base(this.tagStart);
    const text = this.markerText;
    const wasHolding = this.holding;
    // The name as a string only for a marked element (the index records it).
    const tag = text !== null && wasHolding ? (name !== '' ? name : this.nameString()) : '';
    // A boundary with a marker goes whole, start and end tag; one without is the page's own element.
    const boundary = (name === BOUNDARY_TAG || name === SLOT_TAG) && this.markers > 0 && wasHolding && !this.overflowed && !selfClosing;
    if (boundary) this.cutBoundaryTag(abs + 1);
    if (wasHolding) this.release(buf, bufSrc, gt + 1);
    const html = this.foreignStartTag(key, name, selfClosing);
    // `/>` closes an element in foreign content only; in HTML it is ignored (but void elements
    // never have content, and `<script/>` still opens raw text).
    const empty = VOID.has(name) || (selfClosing && !html);
    let site: IndexedSite | null = null;
    let slot: IndexedSlot | null = null;
    this.index.openParent = this.innermostOpen();
    if (boundary && name === SLOT_TAG) slot = text === null ? null : this.registerSlot(text, startBase);
    else if (text !== null && wasHolding) site = this.register(text, startBase, tag, this.base(abs), !empty, boundary);
    if (!empty) {
      for (const r of this.openRoots) if (r.tag === key) r.depth++;
      if (boundary) {
        this.openRoots.push({ instance: site === null ? -1 : site.instance, tag: key, depth: 1, boundary: true, slot });
      } else if (site !== null && this.index.startedInstance) {
        this.openRoots.push({ instance: site.instance, tag: key, depth: 1, boundary: false, slot: null });
      }
      if (html) {
        if (name === 'script') this.state = SCRIPT;
        else if (name === 'plaintext') this.state = PLAINTEXT;
        else if (RAW_TEXT.has(name)) { this.state = RAWTEXT; this.rawName = name; }
      }
    }
    this.awaiting = site !== null && !empty && !boundary ? site : null;
    return gt + 1;
  }

  /** The boundary tag being read goes whole (it ends just before `end`). */
  private cutBoundaryTag(end: number): void {
    this.cuts = [this.tagStart, end];
    this.lastCutAfterText = this.tagAfterText;
    this.lastCutEnd = end;
    this.joinAt = this.tagAfterText ? end : -1;
  }

  /**
   * Text preceded the boundary tags cut just before `p`: if text follows too, React (rendering
   * without the boundary) separates the two with `<!-- -->`. A `<` means a tag or comment comes
   * next: nothing to separate (a boundary tag there carries the text state on, see `beginTag`).
   */
  private join(buf: Uint8Array, p: number, bufSrc: number): void {
    this.joinAt = -1;
    if (p >= buf.length || buf[p] === LT) return;
    const from = this.emitFrom - bufSrc;
    if (from < p) this.out.push(buf.subarray(from, p));
    this.emitFrom = bufSrc + p;
    this.out.push(SEPARATOR);
    // Base offsets move on by the inserted bytes. An instance starting here has the separator as
    // its first bytes; one ending here ends before it (the patcher decides it again, see Splicer).
    this.stripped -= SEPARATOR.length;
  }

  /**
   * Keeps the open-element stack for a start tag. Returns true when the tag is an HTML element
   * (tokenized by HTML rules: raw-text switches apply), false for a foreign one.
   */
  private foreignStartTag(key: number, name: string, selfClosing: boolean): boolean {
    const top = this.top();
    if (top !== undefined && !this.htmlHere(name)) {
      if (!(BREAKOUT.has(name) || (name === 'font' && this.fontBreaks))) {
        // A foreign element, in its parent's namespace (`<math>` inside SVG is an SVG element).
        const point = this.pointOf(top.ns, name);
        const xml = top.ns === NS_MATH && name === 'annotation-xml';
        if (!selfClosing) this.pushOpen({ key, ns: top.ns, point, special: point !== 0 || xml, template: false, root: '', xml, scope: point !== 0 || xml });
        return false;
      }
      // An HTML tag that ends foreign content: pop to HTML, then treat it as HTML.
      this.popToHtml();
    }
    if (name === 'svg' || name === 'math') {
      if (!selfClosing) this.pushOpen({ key, ns: name === 'svg' ? NS_SVG : NS_MATH, point: 0, special: false, template: false, root: name, xml: false, scope: false });
      return false;
    }
    if (!VOID.has(name)) this.pushOpen({ key, ns: NS_HTML, point: 0, special: SPECIAL.has(name), template: name === 'template', root: '', xml: false, scope: SCOPE.has(name) });
    return true;
  }

  private pointOf(ns: number, name: string): 0 | 1 | 2 {
    if (ns === NS_SVG && SVG_HTML_POINTS.has(name)) return POINT_HTML;
    if (ns === NS_MATH && MATH_TEXT_POINTS.has(name)) return POINT_MATH_TEXT;
    if (ns === NS_MATH && name === 'annotation-xml' && this.htmlEncoding) return POINT_HTML;
    return 0;
  }

  /** Pops foreign elements until the current node is HTML or an integration point. */
  private popToHtml(): void {
    const stack = this.open;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as Frame;
      if (top.ns === NS_HTML || top.point !== 0) break;
      stack.pop();
    }
  }

  /** An end tag: foreign content's rules while the current node is foreign, then HTML's. */
  private endTag(key: number, name: string): void {
    const stack = this.open;
    let i = stack.length - 1;
    if (i >= 0 && (stack[i] as Frame).ns !== NS_HTML) {
      if (name === 'br' || name === 'p') { this.popToHtml(); return; }
      // Foreign elements of this name close (with all above them); an HTML one hands over.
      for (; i >= 0; i--) {
        const f = stack[i] as Frame;
        if (f.ns === NS_HTML) break;
        if (f.key === key) { popTo(stack, i); return; }
      }
    }
    if (name === 'template') {
      for (let j = stack.length - 1; j >= 0; j--) if ((stack[j] as Frame).template) { popTo(stack, j); return; }
      return;
    }
    if (name === 'body' || name === 'html') return; // the insertion mode changes; nothing is popped
    // A special element's end tag closes it if it is "in scope" (implied end tags pop what is
    // above it); any other end tag closes the nearest of its name but never past a special one.
    // HTML's rules walk from the current node, also when foreign content handed the tag over:
    // a foreign integration point above (`foreignObject`, `mi`…) is special and bounds the scope,
    // so `</div>` inside `<svg><foreignObject>` closes nothing and the SVG stays open.
    const inScope = SPECIAL.has(name);
    for (i = stack.length - 1; i >= 0; i--) {
      const f = stack[i] as Frame;
      if (f.key === key && f.ns === NS_HTML) { popTo(stack, i); return; }
      if (inScope ? f.scope : f.special) return;
    }
  }

  private register(text: string, start: number, tag: string, tagEnd: number, hasContent: boolean, boundary: boolean): IndexedSite | null {
    const marker = parseMarker(text);
    if (marker === null) {
      this.problem(`malformed marker ${JSON.stringify(text)}; removed, not patched`);
      return null;
    }
    if (this.nameLen > MAX_NAME) {
      this.problem(`tag name longer than ${MAX_NAME} bytes; marker removed, not patched`);
      return null;
    }
    let state: unknown;
    if (marker.state !== undefined) {
      try {
        state = JSON.parse(unescapeAttribute(marker.state));
      } catch {
        state = { refused: 'its state in the source page is not JSON' };
      }
    }
    const id = unescapeAttribute(marker.instance);
    return boundary ? this.index.addBoundary(marker, id, start, state) : this.index.addSite(marker, id, start, tag, tagEnd, hasContent, state);
  }

  /** The innermost instance whose root or boundary is open (a slot's belongs to its instance), or -1. */
  private innermostOpen(): number {
    for (let i = this.openRoots.length - 1; i >= 0; i--) {
      const r = this.openRoots[i] as OpenRoot;
      if (r.instance >= 0) return r.instance;
    }
    return -1;
  }

  /** A slot's marker (`key n instance`): kept in the index for its instance, or reported. */
  private registerSlot(text: string, start: number): IndexedSlot | null {
    const marker = parseMarker(text);
    const slot = marker === null || marker.state !== undefined ? null : this.index.addSlot(marker.key, unescapeAttribute(marker.instance), marker.element, start);
    if (slot === null) this.problem(`slot marker ${JSON.stringify(text)} names no instance before it; removed, not kept`);
    return slot;
  }

  private nameIs(name: string): boolean {
    if (this.nameLen !== name.length) return false;
    for (let i = 0; i < name.length; i++) if (this.nameBuf[i] !== name.charCodeAt(i)) return false;
    return true;
  }

  private nameString(): string {
    let name = '';
    for (let i = 0; i < Math.min(this.nameLen, MAX_NAME); i++) name += String.fromCharCode(this.nameBuf[i] as number);
    return name;
  }

  /** An end tag: closes the roots it ends. True when it ends a boundary (then it is cut too). */
  private closeRoots(name: number, after: number): boolean {
    const roots = this.openRoots;
    let boundary = false;
    for (let i = roots.length - 1; i >= 0; i--) {
      const r = roots[i] as OpenRoot;
      if (r.tag !== name) continue;
      if (--r.depth === 0) {
        // A boundary's range is what it holds: it ends where its end tag starts.
        if (r.instance >= 0) this.index.instances[r.instance]!.end = this.base(r.boundary ? this.tagStart : after);
        if (r.slot !== null) r.slot.end = this.base(this.tagStart);
        boundary ||= r.boundary;
        roots.splice(i, 1);
      }
    }
    return boundary;
  }
}

/** Drops the open elements from `depth` up. Pops, not `length =`: V8 shrinks an array through the runtime, and an end tag usually closes one element. */
function popTo(stack: Frame[], depth: number): void {
  while (stack.length > depth) stack.pop();
}

/** Marker values are attribute values, escaped by React; ids are compared unescaped. */
function unescapeAttribute(value: string): string {
  if (!value.includes('&')) return value;
  // One native pass per entity instead of a callback per match (a root's state is mostly
  // `&quot;`). `&amp;` goes last: no other replacement can make an entity, so this reads
  // `&amp;quot;` as `&quot;`, as the single pass did.
  return value.replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function matchAscii(buf: Uint8Array, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (buf[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

function matchAsciiCi(buf: Uint8Array, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (lower(buf[at + i] ?? -1) !== s.charCodeAt(i)) return false;
  return true;
}

/** Are the bytes from `at` to the end of `buf` a (case-insensitive) prefix of `s`? */
function prefixCouldMatch(buf: Uint8Array, at: number, s: string): boolean {
  for (let i = 0; at + i < buf.length; i++) {
    if (i >= s.length) return true;
    if (lower(buf[at + i] as number) !== s.charCodeAt(i)) return false;
  }
  return true;
}

