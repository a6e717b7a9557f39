// `npm start`: serves the built storefront through its worker on the local edge.
//   node scripts/serve.js              the worker in Node (attach a debugger with --inspect)
//   node scripts/serve.js --workerd    the same worker in workerd (miniflare)
const path = require('path');
const { serveNode, nodeAssets, serveWorkerd } = require('@splice/dev');
const { createPreviewToken } = require('@splice/edge');
const { DEV_SECRET } = require('./dev-secret');

const dist = path.join(__dirname, '..', 'dist');
const port = Number(process.env.PORT ?? 8787);

async function main() {
  const assetsDir = path.join(dist, 'public');
  const workerPath = path.join(dist, 'worker', 'worker.mjs');
  const url = process.argv.includes('--workerd')
    ? await serveWorkerd({ scriptPath: workerPath, assetsDir, port, bindings: { SPLICE_SECRET: DEV_SECRET } })
    : await serveNode({ worker: (await import(workerPath)).default, env: { ASSETS: nodeAssets(assetsDir), SPLICE_SECRET: DEV_SECRET }, port });
  // Preview links force variants (signed with the development secret; valid for a day).
  const preview = async (variants) => `${url}/?splice-preview=${encodeURIComponent(await createPreviewToken(variants, DEV_SECRET, new Date(Date.now() + 86_400_000)))}`;
  console.log(`Splice storefront on the local edge: ${url}`);
  console.log(`  your own assignment (a cookie keeps it):  ${url}/`);
  console.log(`  variant A (default):  ${await preview({ home: 'a', 'cart-label': 'control' })}`);
  console.log(`  variant B:            ${await preview({ home: 'b', 'cart-label': 'control' })}   (hero, header tagline, third card's name: value holes)`);
  console.log(`  variant C:            ${await preview({ home: 'c', 'cart-label': 'control' })}   (card layout: badge, features list, price from cents: cards re-rendered at the edge)`);
  console.log(`  a German visitor: send the header cf-ipcountry: DE (the tagline rule)`);
}

main().catch((e) => {
  // A busy port and the like come with what to do: the message, not a stack.
  console.error(`npm start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
