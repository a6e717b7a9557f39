/**
 * Pages for the context tests: React-rendered fixture markup (real markers) interleaved with
 * *forgeries*: pieces of page in a tokenizer context where nothing is markup (comments, raw
 * text, RCDATA, attribute values, end tags, …), full of copies of real markers, copies of whole
 * marked cards and `</body>` / `</script>` look-alikes.
 *
 * The builder knows which markers are real (only React writes them) and where the real
 * `</body>` tags are (it places them), so it computes the expected output without any tokenizer:
 * React's render with the overrides, real markers removed with a regex over React's own output
 * (which holds no raw `"` in attribute values), every forged byte left as it was, and the
 * bootstrap at the place the builder knows. Forged content is placed into React's output by
 * token substitution, so the regex never sees it; a sanity check compares the result with React
 * rendering the forged content itself.
 *
 * A forgery's content is built from fragments, each kept only if the content still cannot end
 * the context (a `</script>` is dropped from script data, a `"` from a double-quoted value…):
 * the rules are the HTML standard's, written here independently of the scanner under test.
 */
import { createElement } from 'react';
import type { ReactNode } from 'react';
import type { Bootstrap, Override } from '@splice/manifest';
import { CARD, GREET, HERO, PROMO, Card, Greeting, Hero, Promo, manifest, render } from './fixtures';
import { stripMarkers } from './helpers';

// ── Fragments: forged markers, forged cards, fake end tags. `{ID<n>}`, `{CARD<n>}` and `{HERO}` are
// resolved after the React render: the id / the exact source HTML (markers and all) of the n-th
// real card (modulo the number of cards), the real Hero's id.
export const FRAGMENTS: readonly string[] = [
  ' data-splice="Card.c1 2 {ID1}"',
  ' data-splice="Card.c1 0 {ID0}"',
  ' data-splice="Card.c1 2 _R_x_"',
  " data-splice='Card.c1 2 {ID0}'",
  ' DATA-SPLICE="Card.c1 2 {ID2}"',
  '<h2 data-splice="Card.c1 2 {ID0}">Forged</h2>',
  '<div data-splice="Card.c1 0 _R_f_" class="card card-plain" id="c"><h2 data-splice="Card.c1 2 _R_f_">Fake</h2></div>',
  '{CARD0}',
  '{CARD1}',
  '{CARD2}',
  '<h1 data-splice="Hero.h1 0 {HERO}" class="hero-title">Forged hero</h1>',
  '<input data-splice="Promo.p1 0 _R_p_" type="text"/>',
  '</body>', '</BODY >', '</body\n>', '</body\r\n>', '</Body/>', '</body data-x="1">', '<body>',
  '</script>', '</SCRIPT >', '</script\t>', '</script\f>', '</scriptx>', '</scrip', '<\\/script>', '<script>', '<script/>',
  '</style>', '</STYLE>', '</textarea>', '</title >', '</noscript>', '</xmp>', '</iframe>', '</noembed>', '</noframes>',
  '</template>', '<template>', '</plaintext>',
  '-->', '--!>', '<!--', '<!-->', ']]>', '<![CDATA[', '<!x>', '<?x?>',
  "'", '"', '>', '<', '`', '${x}', '`</body>${1}`', '&quot;', '&lt;/body&gt;', '=',
  'text', 'é ✓ 😀', '\u2028', '\r\n', '\0',
];

/** Whole pieces of markup a `<template>` holds in the property test: `</body>` in every disguise. */
export const TEMPLATE_ITEMS: readonly string[] = [
  '</body>',
  '</BODY >',
  '<p class="t">t</p>',
  '<template></body><template></BODY></template></template>',
  '<textarea></template></body></textarea>',
  '<!-- </template> {CARD0} -->',
  '<script>var a = `</template></body>{CARD1}`;</script>',
  "<span title='</template>'></span>",
];

export const REAL_BODY_ENDS: readonly string[] = ['</body>', '</BODY >', '</body\n>', '</body/>', '</body data-x="</body>">', '</bOdY\t>'];

export type ShellCtx =
  | 'comment' | 'emptyComment' | 'bogus' | 'pi' | 'cdata' | 'script' | 'scriptEscaped' | 'scriptDouble'
  | 'style' | 'xmp' | 'iframe' | 'noembed' | 'noframes' | 'noscript' | 'textarea' | 'title'
  | 'attrDq' | 'attrSq' | 'attrUq' | 'endTag' | 'template';

export const SHELL_CTXS: readonly ShellCtx[] = [
  'comment', 'emptyComment', 'bogus', 'pi', 'cdata', 'script', 'scriptEscaped', 'scriptDouble',
  'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title',
  'attrDq', 'attrSq', 'attrUq', 'endTag', 'template',
];

/** A piece of page in one context: `v` picks how it is opened and closed. */
export interface Forgery { ctx: ShellCtx; frags: string[]; v: number }

export type ShellPiece =
  | { k: 'forgery'; f: Forgery }
  /** A real `</body>` (markup context), `REAL_BODY_ENDS[v]`. */
  | { k: 'realBody'; v: number }
  /** Literal markup, placeholders resolved, nothing filtered: for hand-written examples. */
  | { k: 'lit'; s: string };

export type RawCtx = 'script' | 'scriptEscaped' | 'scriptDouble' | 'style' | 'noscript' | 'xmp';
export const RAW_CTXS: readonly RawCtx[] = ['script', 'scriptEscaped', 'scriptDouble', 'style', 'noscript', 'xmp'];

export type ReactItem =
  | { k: 'hero' }
  | { k: 'greeting' }
  | { k: 'promo' }
  | { k: 'card'; n: number }
  /** `<script|style|noscript|xmp dangerouslySetInnerHTML>`: raw text React writes as given. */
  | { k: 'raw'; ctx: RawCtx; frags: string[] }
  /** `<textarea defaultValue>`, `<title>`, or a `<div title data-x>`: content React escapes. */
  | { k: 'escaped'; tag: 'textarea' | 'title' | 'attr'; frags: string[] }
  /** `<div dangerouslySetInnerHTML>` holding a whole forgery (or literal piece). */
  | { k: 'html'; piece: ShellPiece };

export type EndCtx =
  | 'text' | 'comment' | 'bogus' | 'cdata' | 'script' | 'scriptEscaped' | 'scriptDouble'
  | 'style' | 'noscript' | 'textarea' | 'title' | 'attrDq' | 'attrSq' | 'attrUq' | 'tagName' | 'afterAttr'
  | 'endTagAttr' | 'plaintext';

export const END_CTXS: readonly EndCtx[] = [
  'text', 'comment', 'bogus', 'cdata', 'script', 'scriptEscaped', 'scriptDouble', 'style', 'noscript',
  'textarea', 'title', 'attrDq', 'attrSq', 'attrUq', 'tagName', 'afterAttr', 'endTagAttr', 'plaintext',
];

/** The page ends inside this context: no closer of its own. */
export interface Ending { ctx: EndCtx; frags: string[] }

export interface PageSpec {
  head: ShellPiece[];
  before: ShellPiece[];
  react: ReactItem[];
  after: ShellPiece[];
  /** The skeleton's own `</body>`: `REAL_BODY_ENDS[bodyEnd]`, or none (-1). */
  bodyEnd: number;
  /** After `</html>`. */
  trailer: ShellPiece[];
  ending: Ending | null;
}

export const CARD_PROPS = [
  { name: 'Tea', badge: null, alt: 'A cup of tea', label: null, tone: 'plain' },
  { name: 'Coffee', badge: 'new', alt: 'Coffee & more', label: 'Buy coffee', tone: 'dark' },
  { name: 'Cocoa', badge: null, alt: 'Cocoa', label: null, tone: 'plain' },
  { name: 'Mate', badge: 'hot', alt: "Mate 'yerba'", label: null, tone: 'green' },
] as const;

// ── The standard's rules for "this content cannot end the context".
const WS = '[\\t\\n\\f\\r ]';
/** An appropriate end tag: `</name` (any case) then whitespace, `/` or `>`. */
const endTag = (name: string) => new RegExp(`</${name}(?:${WS}|/|>)`, 'i');
const scriptTag = /<\/?script(?:[\t\n\f\r ]|\/|>)/i;

const okComment = (c: string) => !/--!?>/.test(c) && !c.startsWith('>') && !c.startsWith('->');
/** Script data that stays script data: no end tag, and no `<!--` (escaping is built on purpose). */
const okScript = (c: string) => !endTag('script').test(c) && !c.includes('<!--');
/** Script data escaped by `<!--`: no `<script`/`</script` (they double-escape / end it), no `-->`. */
const okEscaped = (c: string) => !scriptTag.test(c) && !c.includes('-->');
/** Double-escaped script data: only `</script` + delimiter and `-->` leave it. */
const okDouble = (c: string) => !endTag('script').test(c) && !c.includes('-->');

function fill(frags: readonly string[], ok: (c: string) => boolean, sep = ' '): string {
  let c = sep;
  for (const f of frags) {
    const next = c + f + sep;
    if (ok(next)) c = next;
  }
  return c;
}

const pick = <T>(list: readonly T[], v: number): T => list[((v % list.length) + list.length) % list.length] as T;
const upper = (s: string) => s.toUpperCase();

function rawOpenClose(name: string, v: number): [string, string] {
  const opens = [`<${name}>`, `<${upper(name)}>`, `<${name} data-a="1/">`, `<${name}\n>`, `<${name} data-splice-x='1'>`];
  const closes = [`</${name}>`, `</${upper(name)} >`, `</${name}\t>`, `</${name}/>`, `</${name[0]!.toUpperCase()}${name.slice(1)} x="y">`];
  return [pick(opens, v), pick(closes, Math.floor(v / 5))];
}

/** The text between opener and closer of a raw-text / script context. */
export function rawContent(ctx: RawCtx | 'textarea' | 'title' | 'iframe' | 'noembed' | 'noframes', frags: readonly string[]): string {
  switch (ctx) {
    case 'script': return fill(frags, okScript);
    // `<!--` … `-->` then plain script data again, where a `</body>` is still script text.
    case 'scriptEscaped': return `<!--${fill(frags, okEscaped)}-->${fill([...frags].reverse(), okScript)}`;
    // `<!--<script>` … `</script>` (which only leaves double escaping) … `-->`.
    case 'scriptDouble': return `<!--<script>${fill(frags, okDouble)}</script>${fill([...frags].reverse(), okEscaped)}-->`;
    default: return fill(frags, (c) => !endTag(ctx).test(c));
  }
}

/**
 * A complete forgery: it opens its context, and closes it again. Fragments are resolved before
 * they are filtered (a card copy brings `"` and `>` with it); fixed text is resolved after.
 */
export function forgeryHtml(f: Forgery, resolve: (s: string) => string = (s) => s): string {
  return resolve(forgery(f.ctx, f.frags.map(resolve), f.v, f.frags));
}

function forgery(ctx: ShellCtx, frags: readonly string[], v: number, unresolved: readonly string[]): string {
  switch (ctx) {
    case 'comment': return `<!--${fill(frags, okComment)}${pick(['-->', '--!>'], v)}`;
    // `<!-->` and `<!--->` are whole (empty) comments: what follows is text, not a tag.
    case 'emptyComment': return `${pick(['<!-->', '<!--->'], v)} data-splice="Card.c1 2 {ID0}" `;
    case 'bogus': return `${pick(['<!x', '<!DOCTYPE html', '</ ', '<!-x'], v)}${fill(frags, (c) => !c.includes('>'))}>`;
    case 'pi': return `<?xml${fill(frags, (c) => !c.includes('>'))}?>`;
    case 'cdata':
      // A CDATA section exists only in foreign content, where it runs to `]]>`; in HTML content
      // `<![CDATA[` opens a bogus comment that the first `>` ends.
      return v % 2 === 0
        ? `<![CDATA[${fill(frags, (c) => !c.includes('>'))}]]>`
        : `<svg><![CDATA[${fill(frags, (c) => !c.includes(']]>'))}]]></svg>`;
    case 'script': case 'scriptEscaped': case 'scriptDouble': {
      const [open, close] = rawOpenClose('script', v);
      return open + rawContent(ctx, frags) + close;
    }
    case 'style': case 'xmp': case 'iframe': case 'noembed': case 'noframes': case 'noscript': case 'textarea': case 'title': {
      const [open, close] = rawOpenClose(ctx, v);
      return open + rawContent(ctx, frags) + close;
    }
    case 'attrDq': {
      const c = fill(frags, (s) => !s.includes('"'));
      return pick([`<span title="${c}" class="s">x</span>`, `<img alt="${c}" src="/p.png"/>`, `<INPUT value="${c}">`], v);
    }
    case 'attrSq': {
      const c = fill(frags, (s) => !s.includes("'"));
      return pick([`<span title='${c}' class="s">x</span>`, `<img alt='${c}' src="/p.png"/>`, `<INPUT value='${c}'>`], v);
    }
    case 'attrUq': {
      const c = fill(frags.map((s) => s.replace(/[\t\n\f\r >]/g, '')), (s) => !/[\t\n\f\r >]/.test(s), '');
      return pick([`<span title=u${c}>x</span>`, `<img alt=u${c} src=/p.png>`, `<span title=u${c}/>`], v);
    }
    case 'endTag': {
      const c = fill(frags, (s) => !s.includes("'"));
      return `${pick(['</span', '</SPAN', '</em'], v)} data-splice="Card.c1 2 {ID1}" title='${c}'>`;
    }
    case 'template': {
      const items = unresolved.map((s) => pick(TEMPLATE_ITEMS, FRAGMENTS.indexOf(s) + v));
      return `<template>${items.join('')}</template>`;
    }
  }
}

export function pieceHtml(p: ShellPiece, resolve: (s: string) => string = (s) => s): string {
  switch (p.k) {
    case 'forgery': return forgeryHtml(p.f, resolve);
    case 'realBody': return pick(REAL_BODY_ENDS, p.v);
    case 'lit': return resolve(p.s);
  }
}

/** The unterminated piece a page ends with, and the bytes that must close it before a bootstrap. */
export function endingHtml(e: Ending): { html: string; closer: string | null } {
  const { ctx, frags } = e;
  switch (ctx) {
    case 'text': return { html: fill(frags, (c) => !c.includes('<') && !c.includes('&')), closer: '' };
    case 'comment': return { html: `<!--${fill(frags, okComment)}`, closer: '-->' };
    case 'bogus': return { html: `<!x${fill(frags, (c) => !c.includes('>'))}`, closer: '>' };
    // Inside <svg>, where CDATA is a section: `]]>` ends it, then `</svg>` leaves foreign content.
    case 'cdata': return { html: `<svg><![CDATA[${fill(frags, (c) => !c.includes(']]>'))}`, closer: ']]></svg>' };
    case 'script': return { html: `<script>${rawContent('script', frags)}`, closer: '</script>' };
    case 'scriptEscaped': return { html: `<script><!--${fill(frags, okEscaped)}`, closer: '</script>' };
    case 'scriptDouble': return { html: `<script><!--<script>${fill(frags, okDouble)}`, closer: '--></script>' };
    case 'style': case 'noscript': case 'textarea': case 'title':
      return { html: `<${ctx}>${rawContent(ctx, frags)}`, closer: `</${ctx}>` };
    case 'attrDq': return { html: `<span title="${fill(frags, (c) => !c.includes('"'))}`, closer: '">' };
    case 'attrSq': return { html: `<span title='${fill(frags, (c) => !c.includes("'"))}`, closer: "'>" };
    case 'attrUq': {
      const c = fill(frags.map((s) => s.replace(/[\t\n\f\r >]/g, '')), (s) => !/[\t\n\f\r >]/.test(s), '');
      return { html: `<span title=u${c}`, closer: '>' };
    }
    case 'tagName': return { html: '<span', closer: '>' };
    case 'afterAttr': return { html: '<span class="x"', closer: '>' };
    case 'endTagAttr': return { html: `</span title='${fill(frags, (c) => !c.includes("'"))}`, closer: "'>" };
    // Nothing ends plaintext: whatever follows, even `</plaintext>`, is text.
    case 'plaintext': return { html: `<plaintext>${frags.join(' ')}`, closer: null };
  }
}

// ── React side.

const token = (i: number) => `XQSLOT${i}QX`;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

function item(it: ReactItem, i: number, content: string): ReactNode {
  switch (it.k) {
    case 'hero': return createElement(Hero, { key: i, title: 'Big sale', subtitle: 'friend', href: '/sale' });
    case 'greeting': return createElement(Greeting, { key: i, first: 'Ada', last: '', count: 3 });
    case 'promo': return createElement(Promo, { key: i, note: null });
    case 'card': return createElement(Card, { key: i, ...pick(CARD_PROPS, it.n) });
    case 'raw': {
      const tag = it.ctx.startsWith('script') ? 'script' : it.ctx;
      return createElement(tag, { key: i, dangerouslySetInnerHTML: { __html: content } });
    }
    case 'escaped':
      if (it.tag === 'textarea') return createElement('textarea', { key: i, defaultValue: content, readOnly: true });
      if (it.tag === 'title') return createElement('title', { key: i }, content);
      return createElement('div', { key: i, title: content, 'data-x': content });
    case 'html': return createElement('div', { key: i, className: 'html', dangerouslySetInnerHTML: { __html: content } });
  }
}

function tree(items: readonly ReactItem[], content: (i: number) => string): ReactNode {
  return createElement('main', { className: 'shop' }, items.map((it, i) => item(it, i, content(i))));
}

const MARKER_RE = /<([a-z0-9]+) data-splice="([^ "]+) (\d+) ([^ "]+)(?: [01]+)?"/g;

/** Instance ids per component key, in document order, from React's own (forgery-free) output. */
function idsOf(html: string): Map<string, string[]> {
  const ids = new Map<string, string[]>();
  for (const m of html.matchAll(MARKER_RE)) {
    const key = m[2] as string;
    const id = m[4] as string;
    let list = ids.get(key);
    if (list === undefined) ids.set(key, (list = []));
    if (!list.includes(id)) list.push(id);
  }
  return ids;
}

const KEYS: Record<string, string> = {};
for (const ref of [HERO, GREET, CARD, PROMO]) {
  KEYS[ref.name] = ref.key;
  KEYS[ref.key] = ref.key;
  KEYS[`${ref.file}#${ref.name}`] = ref.key;
}

export interface BuiltPage {
  /** The page as the origin serves it: real markers, forgeries. */
  source: string;
  /** The source without its real markers (what `preparePageSync` must give). */
  base: string;
  /** What the browser must get for the overrides, bootstrap aside. */
  expected: string;
  /** Offset in `expected` where the bootstrap goes, or -1 when it goes nowhere. */
  insertAt: number;
  /** Bytes between `expected.slice(0, insertAt)` and the bootstrap (closing the final context). */
  closer: string;
  /** The bootstrap's JSON, or null when none may be written. */
  bootstrap: Bootstrap | null;
  /** The real instances' ids, by component key, in document order. */
  ids: Map<string, string[]>;
  cardIds: string[];
}

/**
 * The page for a spec, and everything expected of patching it with `overrides`: computed from
 * React's renders and the spec alone, never with a tokenizer.
 */
export function buildPage(spec: PageSpec, overrides: Override[], assignments: Record<string, string> = {}): BuiltPage {
  // 1. React with a token where forged content goes: real markers are the only markers there.
  const items = spec.react;
  const tmplSrc = render(tree(items, token), []);
  const tmplExp = stripMarkers(render(tree(items, token), overrides));
  const tmplBase = stripMarkers(tmplSrc);
  const ids = idsOf(tmplSrc);
  const cardIds = ids.get(CARD.key) ?? [];
  if (cardIds.length === 0) throw new Error('a page needs at least one card');
  const cards = cardIds.map((id) => {
    const m = new RegExp(`<div data-splice="Card\\.c1 0 ${id}"[^>]*>[\\s\\S]*?</div>`).exec(tmplSrc);
    if (m === null) throw new Error(`card ${id} not found`);
    return m[0];
  });
  const heroId = ids.get(HERO.key)?.[0] ?? '_R_h_';
  const resolve = (s: string) =>
    s.replace(/\{(ID|CARD)(\d)\}|\{HERO\}/g, (_, kind: string | undefined, n: string | undefined) =>
      kind === undefined ? heroId : pick(kind === 'ID' ? cardIds : cards, Number(n)));
  const resolveAll = (frags: readonly string[]) => frags.map(resolve);

  // 2. The forged content of each React slot, as React writes it.
  const contents = items.map((it): string => {
    switch (it.k) {
      case 'raw': return rawContent(it.ctx, resolveAll(it.frags));
      case 'escaped': return ` ${resolveAll(it.frags).join(' ')} `;
      case 'html': return pieceHtml(it.piece, resolve);
      default: return '';
    }
  });
  const written = items.map((it, i) => (it.k === 'escaped' ? escapeHtml(contents[i] as string) : (contents[i] as string)));
  const subst = (html: string) => html.replace(/XQSLOT(\d+)QX/g, (_, n: string) => written[Number(n)] as string);
  const reactSrc = subst(tmplSrc);
  // Sanity of the oracle itself: React writing the forged content gives the same bytes.
  const direct = render(tree(items, (i) => contents[i] as string), []);
  if (direct !== reactSrc) throw new Error(`token substitution disagrees with React:\n${direct}\n${reactSrc}`);

  // 3. The document around it.
  let source = '';
  let base = '';
  let expected = '';
  const realBodies: number[] = [];
  let reactAt = -1;
  const shell = (s: string, realBody = false) => {
    if (realBody) realBodies.push(expected.length);
    source += s;
    base += s;
    expected += s;
  };
  const pieces = (list: readonly ShellPiece[]) => {
    for (const p of list) shell(pieceHtml(p, resolve), p.k === 'realBody');
  };
  shell('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>');
  pieces(spec.head);
  shell('</head><body>');
  pieces(spec.before);
  shell('<div id="root">');
  reactAt = expected.length;
  source += reactSrc;
  base += subst(tmplBase);
  expected += subst(tmplExp);
  shell('</div>');
  pieces(spec.after);
  if (spec.bodyEnd >= 0) shell(pick(REAL_BODY_ENDS, spec.bodyEnd), true);
  shell('</html>');
  pieces(spec.trailer);
  let closer: string | null = '';
  if (spec.ending !== null) {
    const e = endingHtml({ ctx: spec.ending.ctx, frags: resolveAll(spec.ending.frags) });
    shell(e.html);
    closer = e.closer;
  }

  // 4. Where the bootstrap goes: before the last real `</body>`; else at the end, behind the closer.
  let insertAt = -1;
  let close = '';
  if (realBodies.length > 0) insertAt = realBodies[realBodies.length - 1] as number;
  else if (closer !== null) { insertAt = expected.length; close = closer; }

  // 5. What it says: each override as the client needs it (resolved key, instance as its id),
  // omitted when it names an instance that does not exist.
  const told: Override[] = [];
  for (const o of overrides) {
    const key = KEYS[o.component] as string;
    if (o.instance === undefined) { told.push({ component: key, props: o.props }); continue; }
    const id = typeof o.instance === 'number' ? ids.get(key)?.[o.instance] : o.instance;
    if (id !== undefined) told.push({ component: key, props: o.props, instance: id });
  }
  // Written only after a marker of a known component, and only when there is something to say.
  const markerBefore = insertAt > reactAt;
  const bootstrap = insertAt >= 0 && markerBefore && (told.length > 0 || Object.keys(assignments).length > 0)
    ? { buildId: manifest.buildId, assignments, overrides: told }
    : null;
  // The bootstrap's place comes before every real marker: the client is told nothing, so nothing
  // after it may be written (contract 6), and the page is the default one.
  if (insertAt >= 0 && !markerBefore) expected = base;
  return { source, base, expected, insertAt: bootstrap === null ? -1 : insertAt, closer: close, bootstrap, ids, cardIds };
}

