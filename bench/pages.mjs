// The pages the bench runs on, built from the storefront's real source page (a server render
// with Splice's markers). Every page exists in both forms: the source page (markers) and the
// base page + page index that `preparePageSync` makes from it (what the edge serves on a hit).
//
// Big pages repeat the storefront's product cards with DISTINCT instance ids (each card is its
// own component instance, as in a real listing) and distinct product names, and wrap each card
// in unmarked markup of the kind real listings carry (a description with inline markup, an SVG
// icon and a rating, a tag list, a spec list, colour swatches), so that the page has about one
// `<` per 15 bytes and ≈60 cards in 150 KB.

const encoder = new TextEncoder();

/** Parts of the real source page: before the cards, the cards, after them. */
export function splitStorefront(source) {
  // ProductGrid is re-renderable: in a source page its <main> carries a root marker (and state).
  const open = /<main\b[^>]*\bclass="grid"[^>]*>/.exec(source);
  const at = open === null ? -1 : open.index + open[0].length;
  const close = at < 0 ? -1 : source.indexOf('</main>', at);
  if (at < 0 || close < 0) throw new Error('bench: the storefront page has no <main class="grid">…</main>');
  const cards = [...source.slice(at, close).matchAll(/<article[\s\S]*?<\/article>/g)].map((m) => m[0]);
  if (cards.length === 0) throw new Error('bench: no <article class="card"> in the storefront page');
  return { head: source.slice(0, at), cards, tail: source.slice(close) };
}

const CARD_NAME = /alt="([^"]*)"/;

/**
 * Card `i`: the storefront's card `i % n` with instance id `_R_b{i in base 32}_` (React-like) (the useId field of every
 * marker in it) and the product name made distinct. Works on cards with or without markers.
 */
export function nthCard(cards, i) {
  let card = cards[i % cards.length];
  const name = CARD_NAME.exec(card)?.[1];
  // The useId is the third field of a marker: `Key.hash element id[ mask][|state]` (a root
  // marker carries the instance's state after `|`; it is kept as it is: the value-only cases
  // never re-render, and the copy's state would not be its own anyway).
  card = card.replace(/(data-splice="[^" ]+ \d+ )[^" |]+/g, `$1_R_b${i.toString(32)}_`);
  if (name !== undefined) card = card.split(`alt="${name}"`).join(`alt="${name} ${i}"`).split(`>${name}</h2>`).join(`>${name} ${i}</h2>`);
  return card;
}

const TAGS = ['wool', 'outdoor', 'winter', 'waterproof', 'recycled', 'travel', 'hiking', 'unisex', 'limited', 'bestseller', 'light', 'warm'];
const COLOURS = ['#1d3557', '#457b9d', '#a8dadc', '#e63946', '#2a9d8f', '#e9c46a'];
const SPECS = [['Weight', (i) => `${300 + (i % 200)} g`], ['Fabric', () => 'Merino'], ['Fit', () => 'Regular'], ['Origin', () => 'Portugal'], ['Care', () => 'Hand wash'], ['Size', (i) => 'SML'[i % 3]]];

/** Unmarked markup around card `i` (≈2.2 KB, about one `<` per 13 bytes). */
function tileExtras(i) {
  const tags = TAGS.map((_, k) => TAGS[(i + k * 5) % TAGS.length]);
  return '<div class="tile-body">'
    + `<p class="desc">A <em>warm</em>, <strong>light</strong> layer for <a href="/c/outdoor?ref=${i}">outdoor</a> days and <a href="/c/city?ref=${i}">city</a> evenings. `
    + `Item <span class="sku">SKU-${100000 + i}</span> ships in <b>${1 + (i % 5)}</b> days; <a href="/returns">free returns</a>. Cut from a soft, breathable knit that keeps its shape wash after wash.</p>`
    + '<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><g fill="none" stroke="currentColor"><path d="M3 12h18"/><path d="M12 3v18"/><circle cx="12" cy="12" r="9"/></g></svg>'
    + `<div class="rating" title="${3 + (i % 3)} of 5">${'<i class="star"></i>'.repeat(5)}<span>(${(i * 37) % 500})</span></div>`
    + `<ul class="tags">${tags.map((t) => `<li><a href="/t/${t}">${t}</a></li>`).join('')}</ul>`
    + `<dl class="specs">${SPECS.map(([k, v]) => `<dt>${k}</dt><dd>${v(i)}</dd>`).join('')}</dl>`
    + `<div class="swatches">${COLOURS.map((c) => `<button class="swatch" title="${c}"><i style="background:${c}"></i></button>`).join('')}</div>`
    + `<ol class="crumbs"><li><a href="/">Home</a></li><li><a href="/c/outdoor">Outdoor</a></li><li><a href="/p/${i}">Item ${i}</a></li></ol>`
    + '</div>';
}

/** Unmarked chrome of a real listing page: navigation before the grid, a footer after it. */
function chrome() {
  const links = (prefix, n) => Array.from({ length: n }, (_, k) => `<li><a href="/${prefix}/${k}">${prefix} ${k}</a></li>`).join('');
  return {
    nav: `<nav class="categories"><ul>${links('category', 24)}</ul></nav>`,
    footer: `<footer class="footer"><ul>${links('help', 30)}</ul><p class="legal">© 2026 Splice Outfitters. All prices include VAT.</p></footer>`,
  };
}

/** A listing of `count` decorated cards (source form, with markers when `cards` have them). */
export function listingSource(parts, count) {
  const { nav, footer } = chrome();
  let grid = '';
  for (let i = 0; i < count; i++) grid += `<div class="tile">${nthCard(parts.cards, i)}${tileExtras(i)}</div>`;
  return parts.head.replace(/<main\b[^>]*>$/, (m) => `${nav}${m}`) + grid + parts.tail.replace('</main>', `</main>${footer}`);
}

/** `count` bare storefront cards (the storefront's own markup, repeated), nothing else added. */
export function plainSource(parts, count, after = '') {
  let grid = '';
  for (let i = 0; i < count; i++) grid += nthCard(parts.cards, i) + after;
  return parts.head + grid + parts.tail;
}

/** Cards needed for a decorated listing of about `bytes` (base page). */
export function cardsFor(parts, bytes, prepare) {
  const one = prepare(listingSource(parts, 1)).html.length;
  const two = prepare(listingSource(parts, 101)).html.length;
  const per = (two - one) / 100;
  return Math.max(1, Math.round((bytes - (one - per)) / per));
}

export function prepared(name, label, source, cards, preparePageSync) {
  const sourceBytes = encoder.encode(source);
  const { html, index, problems } = preparePageSync(sourceBytes);
  if (problems.length > 0) throw new Error(`bench: page ${name}: ${problems.join('; ')}`);
  return { name, label, cards, source: sourceBytes, base: html, index };
}

export const KB = 1024;
export const MB = 1024 * 1024;

/**
 * The bench's pages: the real storefront page, decorated listings of ≈150 KB, ≈1 MB and ≈10 MB,
 * and the "burst" page: 20,000 bare cards with a short unmarked paragraph each (≈7 MB), where
 * overriding the name of every card rewrites 2 elements per card: 40,000.
 */
export function buildPages(realSource, preparePageSync) {
  const parts = splitStorefront(realSource);
  const pages = [prepared('real', 'storefront', realSource, parts.cards.length, preparePageSync)];
  for (const [name, target] of [['150k', 150 * KB], ['1m', MB], ['10m', 10 * MB]]) {
    const n = cardsFor(parts, target, preparePageSync);
    pages.push(prepared(name, '', listingSource(parts, n), n, preparePageSync));
  }
  const burst = 20000;
  pages.push(prepared('burst', '', plainSource(parts, burst, '<p class="desc">Warm, light and made to last: a layer for outdoor days and city evenings alike.</p>'), burst, preparePageSync));
  for (const p of pages) p.label ||= `${fmtBytes(p.base.length)}, ${p.cards} cards`;
  pages[0].label = `storefront (${fmtBytes(pages[0].base.length)}, ${pages[0].cards} cards)`;
  return pages;
}

export function fmtBytes(n) {
  if (n >= MB) return `${(n / MB).toFixed(n >= 10 * MB ? 0 : 1)} MB`;
  if (n >= KB) return `${(n / KB).toFixed(n >= 100 * KB ? 0 : 1)} KB`;
  return `${n} B`;
}

/** `<` per byte of a page, as "1 per N bytes". */
export function tagDensity(bytes) {
  let lt = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x3c) lt++;
  return bytes.length / Math.max(1, lt);
}
