// Builds the storefront: client + server bundles (each with SplicePlugin), then the prerendered
// page, then the worker that serves and patches it. The prerender writes a source page (a server
// render, with Splice's markers); `preparePageSync` turns it into the base page that is served
// (no markers) and its page index, which the worker imports and patches through.
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');
const { client, server, worker, dist } = require('../webpack.config');

function run(config) {
  return new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      const info = stats.toJson({ all: false, errors: true, warnings: true });
      for (const w of info.warnings ?? []) console.warn(`[${config.name}] warning: ${w.message}`);
      if (stats.hasErrors()) return reject(new Error(`[${config.name}] build failed:\n${info.errors.map((e) => e.message).join('\n')}`));
      resolve(stats);
    });
  });
}

async function main() {
  fs.rmSync(dist, { recursive: true, force: true });
  await run([client, server]);
  fs.cpSync(path.join(__dirname, '..', 'public'), path.join(dist, 'public'), { recursive: true });

  const { renderPage } = require(path.join(dist, 'server', 'server.js'));
  const { preparePageSync } = require('@splice/edge');
  // Every page the worker serves, prerendered: the shop and the cart.
  const pages = {};
  for (const [route, file] of [['/', 'index.html'], ['/cart', 'cart/index.html']]) {
    const prepared = preparePageSync(renderPage([], route));
    for (const problem of prepared.problems) console.warn(`[prerender] ${file}: ${problem}`);
    fs.mkdirSync(path.dirname(path.join(dist, 'public', file)), { recursive: true });
    fs.writeFileSync(path.join(dist, 'public', file), prepared.html);
    pages[`/${file}`] = prepared.index;
  }
  // Keyed by the file the worker serves; bundled into the worker, never served as an asset.
  fs.writeFileSync(path.join(dist, 'server', 'splice-pages.json'), JSON.stringify(pages));

  await run(worker);
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'server', 'splice-manifest.json'), 'utf8'));
  const edge = fs.statSync(path.join(dist, 'server', 'splice-edge.mjs')).size;
  console.log(`storefront built: ${Object.keys(manifest.components).length} components in the manifest (build ${manifest.buildId}); edge module splice-edge.mjs ${(edge / 1024).toFixed(1)} KiB (development build, not minified)`);
}

main().catch((e) => {
  console.error(e.message ?? e);
  process.exit(1);
});
