// Page weight: what Splice adds to the HTML a browser downloads, gzip-compressed.
//   node bench/weight.mjs        (after `npm run build:storefront`; builds bench/dist/nosplice)
// Compares (a) the base page the edge serves (markers removed), (b) the source page with markers
// (what the marker-format-1 design sent to browsers) and (c) the same app built WITHOUT
// SplicePlugin, on the storefront page and on a 60-card page made from each; then alternative
// in-page marker designs, made by rewriting the markers of the source page.
// gzip: zlib at level 9 (the table) and at the default level 6 (the last column).
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { plainSource, splitStorefront } from './pages.mjs';

const require = createRequire(import.meta.url);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const gz = (s, level = 9) => gzipSync(typeof s === 'string' ? encoder.encode(s) : s, { level }).length;
const raw = (s) => (typeof s === 'string' ? encoder.encode(s).length : s.length);

/** Rewrites every marker of a source page: `fn(marker, isRoot)` returns the attribute value, or null to drop it. */
function remark(source, fn) {
  const seen = new Set();
  return source.replace(/ data-splice="([^"]*)"/g, (_, value) => {
    const [key, element, id] = value.split(' ');
    const identity = `${key} ${id}`;
    const isRoot = !seen.has(identity);
    seen.add(identity);
    const out = fn({ key, hash: key.slice(key.indexOf('.') + 1), element, id }, isRoot);
    return out === null ? '' : ` data-splice="${out}"`;
  });
}

/** React's useId without its `_R_…_` frame (`_R_c_` → `c`): what a client could restore. */
const shortId = (id) => id.replace(/^_R_|_$/g, '');

export const designs = [
  ['format 1: every marked element `Key.hash element id`, sent as is', (s) => s],
  ['root only, `data-splice="Key.hash id"`', (s) => remark(s, (m, root) => (root ? `${m.key} ${m.id}` : null))],
  ['root `data-splice="hash id"`, `data-splice="element"` on hole elements', (s) => remark(s, (m, root) => (root ? `${m.hash} ${m.id}` : m.element))],
  ['root `data-splice="hash shortid"`, `data-splice="element"` on hole elements', (s) => remark(s, (m, root) => (root ? `${m.hash} ${shortId(m.id)}` : m.element))],
  ['root only, `data-splice="id"`', (s) => remark(s, (m, root) => (root ? m.id : null))],
  ['root only, `data-splice="shortid"` (`c` for `_R_c_`)', (s) => remark(s, (m, root) => (root ? shortId(m.id) : null))],
  ['root only, `data-splice=""`', (s) => remark(s, (m, root) => (root ? '' : null))],
  ['none (format 2: the base page + a page index kept at the edge)', (s) => remark(s, () => null)],
];

const pct = (a, b) => `${a >= b ? '+' : ''}${((a / b - 1) * 100).toFixed(1)}%`;

/** The weight tables as markdown. `nosplice`: path of the server bundle built without SplicePlugin. */
export async function weightTables({ nosplice }) {
  const { preparePageSync } = require('@splice/edge');
  const storefront = require('../examples/storefront/dist/server/server.js');
  const plain = require(nosplice);

  const source = storefront.renderPage([]);
  const base = decoder.decode(preparePageSync(source).html);
  const none = plain.renderPage([]);
  const source60 = plainSource(splitStorefront(source), 60);
  const base60 = decoder.decode(preparePageSync(source60).html);
  const none60 = plainSource(splitStorefront(none), 60);

  const lines = ['### Page weight (gzip level 9; the last column at the default level 6)', ''];
  lines.push('| page | form | bytes | gzip | gzip over (c) | gzip (level 6) over (c) |', '|---|---|---|---|---|---|');
  for (const [label, a, b, c] of [['storefront', base, source, none], ['60 cards', base60, source60, none60]]) {
    for (const [form, s] of [['(a) base page, as the edge serves it', a], ['(b) source page with markers (format 1 sent this)', b], ['(c) the app built without SplicePlugin', c]]) {
      lines.push(`| ${label} | ${form} | ${raw(s)} | ${gz(s)} | ${pct(gz(s), gz(c))} | ${pct(gz(s, 6), gz(c, 6))} |`);
    }
  }
  lines.push('', `(a) is byte-identical to (c): storefront ${base === none ? 'yes' : '**no**'}, 60 cards ${base60 === none60 ? 'yes' : '**no**'}.`, '');

  lines.push('### In-page marker designs (markers of the source page rewritten; gzip level 9, % over no markers; level 6 in brackets)', '');
  lines.push('| design | storefront: bytes | gzip | over none | 60 cards: bytes | gzip | over none |', '|---|---|---|---|---|---|---|');
  const noneS = designs.at(-1)[1](source);
  const none60S = designs.at(-1)[1](source60);
  for (const [name, fn] of designs) {
    const s = fn(source);
    const s60 = fn(source60);
    lines.push(`| ${name} | ${raw(s)} | ${gz(s)} | ${pct(gz(s), gz(noneS))} (${pct(gz(s, 6), gz(noneS, 6))}) | ${raw(s60)} | ${gz(s60)} | ${pct(gz(s60), gz(none60S))} (${pct(gz(s60, 6), gz(none60S, 6))}) |`);
  }
  return lines.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { build } = await import('./build.mjs');
  const { nosplice } = await build(['nosplice']);
  console.log(await weightTables({ nosplice }));
}
