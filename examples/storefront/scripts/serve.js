// `npm start`: serves the built storefront through its worker on the local edge.
//   node scripts/serve.js              the worker in Node (attach a debugger with --inspect)
//   node scripts/serve.js --workerd    the same worker in workerd (miniflare)
const path = require('path');
const { serveNode, nodeAssets, serveWorkerd } = require('@splice/dev');

const dist = path.join(__dirname, '..', 'dist');
const port = Number(process.env.PORT ?? 8787);

async function main() {
  const assetsDir = path.join(dist, 'public');
  const workerPath = path.join(dist, 'worker', 'worker.mjs');
  const url = process.argv.includes('--workerd')
    ? await serveWorkerd({ scriptPath: workerPath, assetsDir, port })
    : await serveNode({ worker: (await import(workerPath)).default, env: { ASSETS: nodeAssets(assetsDir) }, port });
  console.log(`Splice storefront on the local edge: ${url}`);
  console.log(`  default page:  ${url}/`);
  console.log(`  variant B:     ${url}/?variant=b   (hero, header tagline, third card's name: value holes)`);
  console.log(`  variant C:     ${url}/?variant=c   (card layout: badge, features list, price from cents: cards re-rendered at the edge)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
