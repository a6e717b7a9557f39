// What every Node-side bench script shares: @splice/edge, the storefront (its server bundle and
// manifest), the pages with their override sets and HTMLRewriter edits, html-rewriter-wasm as a
// stream transform. Requires `npm run build:storefront` first.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEdits, collect, overrideSets, rewriterEdits, streamOf } from './cases.mjs';
import { buildPages } from './pages.mjs';

const require = createRequire(import.meta.url);
export const benchDir = path.dirname(fileURLToPath(import.meta.url));

export const edge = require('@splice/edge');
export const storefront = require('../examples/storefront/dist/server/server.js');
export const manifest = JSON.parse(readFileSync(path.join(benchDir, '..', 'examples', 'storefront', 'dist', 'server', 'splice-manifest.json'), 'utf8'));
const { HTMLRewriter: WasmRewriter } = require('html-rewriter-wasm');

/** html-rewriter-wasm as a stream transform (its sink hands out views of wasm memory: copied). */
export function wasmRewrite(stream, edits, counter) {
  let rewriter;
  return stream.pipeThrough(new TransformStream({
    start(controller) {
      rewriter = applyEdits(new WasmRewriter((c) => { if (c.length > 0) controller.enqueue(c.slice()); }), edits, counter);
    },
    async transform(chunk) { await rewriter.write(chunk); },
    async flush() {
      try { await rewriter.end(); } finally { rewriter.free(); }
    },
  }));
}

/**
 * The bench's pages (bench/pages.mjs), each with its override sets (`sets`), the equivalent
 * HTMLRewriter edits (`edits`, with the very bootstrap bytes the patcher writes for that page),
 * its layout and its index as stored JSON (`indexJson`).
 */
export async function benchPages() {
  const pages = buildPages(storefront.renderPage([]), edge.preparePageSync);
  for (const p of pages) {
    p.layout = p.name === 'real' || p.name === 'burst' ? 'grid' : 'tiles';
    p.sets = overrideSets(storefront.variants.b, p.cards);
    p.indexJson = JSON.stringify(p.index);
    if (p.name === 'burst') { p.edits = {}; continue; }
    p.edits = {};
    for (const kind of ['ten', 'every']) {
      const patched = new TextDecoder().decode(await collect(edge.patchHtml(streamOf([p.base]), { manifest, overrides: p.sets[kind], index: p.index })));
      const bootstrap = /<script type="application\/json" id="__SPLICE__">[\s\S]*?<\/script>/.exec(patched)?.[0];
      if (bootstrap === undefined) throw new Error(`bench: no bootstrap in the patched ${p.name} page`);
      p.edits[kind] = rewriterEdits(kind, p, p.sets[kind], bootstrap);
    }
  }
  return pages;
}
