// `npm run bench`: the edge patcher against a plain pass-through stream and against a full
// React render, on the storefront's real page and on a 60-card page built from it.
// Ratios against the pass-through of the same run are what to read: absolute times on shared
// machines are noise. Results and the command are recorded in BENCHMARKS.md.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { bench, group, run, summary, do_not_optimize } from 'mitata';

const require = createRequire(import.meta.url);
const { patchHtml } = require('@splice/edge');
const server = require('../examples/storefront/dist/server/server.js');
const manifest = JSON.parse(readFileSync(new URL('../examples/storefront/dist/server/splice-manifest.json', import.meta.url), 'utf8'));
const { variants } = server;

const encoder = new TextEncoder();

/** The real page, and a 60-card page: the grid's cards repeated with distinct instance ids. */
const realPage = server.renderPage([]);
function bigPage(cards) {
  const articles = [...realPage.matchAll(/<article[\s\S]*?<\/article>/g)].map((m) => m[0]);
  let out = '';
  for (let i = 0; i < cards; i++) out += articles[i % articles.length].replace(/ (_R_\w+_)"/g, ` _B${i}_"`);
  return realPage.replace(/<main class="grid">[\s\S]*<\/main>/, `<main class="grid">${out}</main>`);
}
const page60 = bigPage(60);

function chunksOf(html, size) {
  const bytes = encoder.encode(html);
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}
function streamOf(chunks) {
  let i = 0;
  return new ReadableStream({ pull(c) { if (i < chunks.length) c.enqueue(chunks[i++]); else c.close(); } });
}
async function drain(stream) {
  const reader = stream.getReader();
  let n = 0;
  for (;;) { const { done, value } = await reader.read(); if (done) return n; n += value.length; }
}

const tenPatches = [...variants.b, { component: 'ProductCard', instance: 5, props: { badge: 'Sale' } }, { component: 'ProductCard', instance: 9, props: { name: 'Ten' } }];
const everyCard = [{ component: 'ProductCard', props: { badge: 'Sale', price: '€1.00' } }];

for (const [label, html] of [[`storefront page (${(realPage.length / 1024).toFixed(1)} KB, 8 cards)`, realPage], [`60-card page (${(page60.length / 1024).toFixed(1)} KB)`, page60]]) {
  for (const size of [16384, 4096]) {
    const chunks = chunksOf(html, size);
    group(`${label}, ${size / 1024} KB chunks`, () => {
      summary(() => {
        bench('pass-through (identity TransformStream)', async () => do_not_optimize(await drain(streamOf(chunks).pipeThrough(new TransformStream()))));
        bench('patchHtml, no overrides (scan + bootstrap)', async () => do_not_optimize(await drain(patchHtml(streamOf(chunks), { manifest, overrides: [] }))));
        bench('patchHtml, variant B + 2 (≈10 patch points)', async () => do_not_optimize(await drain(patchHtml(streamOf(chunks), { manifest, overrides: tenPatches }))));
        bench('patchHtml, every card (2 holes per card)', async () => do_not_optimize(await drain(patchHtml(streamOf(chunks), { manifest, overrides: everyCard }))));
        if (html === realPage && size === 16384) bench('full renderToString of the page (what the edge avoids)', () => do_not_optimize(server.renderPage(variants.b)));
      });
    });
  }
}

await run({ colors: false });
