/**
 * Bundles every structural fixture twice with webpack and SplicePlugin, as an app would be:
 * a worker (one ES module for workerd: the fixtures, the edge module's renderer and the patcher)
 * and a browser bundle that hydrates a fixture page with React's development build. Components
 * get the same keys as in harness.ts (same compiler, same paths relative to this folder).
 */
import * as fs from 'fs';
import * as path from 'path';
import webpack from 'webpack';
import type { Configuration } from 'webpack';
import { SplicePlugin } from '@splice/webpack-plugin';
import { FAKE_PACKAGES, listStructuralFixtures } from './harness';

export const OUT = path.join(__dirname, '.build');

function entrySource(kind: 'worker' | 'client'): string {
  const names = listStructuralFixtures();
  const imports = names.map((n, i) => `import P${i} from './fixtures/${n}/page.tsx';`).join('\n');
  const pages = `const pages = { ${names.map((n, i) => `${JSON.stringify(n)}: P${i}`).join(', ')} };`;
  if (kind === 'client') {
    return `${imports}
import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { SpliceProvider } from '@splice/client';
${pages}
const App = pages[document.documentElement.dataset.fixture];
hydrateRoot(document.getElementById('root'), createElement(SpliceProvider, null, createElement(App)));
`;
  }
  return `${imports}
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { SpliceProvider } from '@splice/client';
import { createRenderer } from '@splice/client/render';
import { patchHtml, preparePageSync } from '@splice/edge';
import manifest from './.build/manifest.json';
${pages}
const renderer = createRenderer();
// One request: render the fixture's source page, prepare it, patch it in this runtime, cut
// into the given chunks. Everything but the oracle happens in workerd.
export default {
  async fetch(request) {
    const { fixture, overrides, cuts } = await request.json();
    const source = renderToString(createElement(SpliceProvider, { overrides: [] }, createElement(pages[fixture])));
    const prepared = preparePageSync(source);
    const points = [...new Set(cuts)].filter((c) => c > 0 && c < prepared.html.length).sort((a, b) => a - b);
    let last = 0;
    const pieces = [];
    for (const p of [...points, prepared.html.length]) { pieces.push(prepared.html.slice(last, p)); last = p; }
    const input = new ReadableStream({ pull(c) { if (pieces.length > 0) c.enqueue(pieces.shift()); else c.close(); } });
    let report;
    const out = await new Response(patchHtml(input, { manifest, overrides, index: prepared.index, renderer, onReport: (r) => { report = r; } })).text();
    return Response.json({ out, report });
  },
};
`;
}

const babel = {
  test: /\.[jt]sx?$/,
  exclude: /node_modules/,
  use: {
    loader: require.resolve('babel-loader'),
    options: {
      babelrc: false, configFile: false,
      presets: [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }], [require.resolve('@babel/preset-typescript'), {}]],
    },
  },
};

function run(config: Configuration): Promise<void> {
  return new Promise((resolve, reject) => {
    webpack(config, (error, stats) => {
      if (error) return reject(error);
      if (stats!.hasErrors()) return reject(new Error(stats!.toString({ all: false, errors: true })));
      resolve();
    });
  });
}

/** The fake packages are packages: the loader leaves them alone, as it leaves node_modules. */
const PACKAGES = /[\\/](node_modules|structural[\\/]packages)[\\/]/;

/** Builds both bundles into `.build/`; `manifest` is the fixtures' merged manifest (from harness.ts). */
export async function buildFixtures(manifest: unknown): Promise<{ worker: string; client: string }> {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(__dirname, '.worker-entry.js'), entrySource('worker'));
  fs.writeFileSync(path.join(__dirname, '.client-entry.js'), entrySource('client'));
  const common: Configuration = {
    context: __dirname,
    devtool: false,
    resolve: { extensions: ['.tsx', '.ts', '.jsx', '.js'], alias: FAKE_PACKAGES },
    module: { rules: [babel] },
    infrastructureLogging: { level: 'error' },
    stats: 'errors-only',
  };
  await Promise.all([
    run({
      ...common,
      name: 'worker',
      mode: 'production',
      target: 'webworker',
      entry: './.worker-entry.js',
      resolve: { ...common.resolve, conditionNames: ['workerd', 'worker', 'browser', 'import', 'module', 'default'] },
      experiments: { outputModule: true },
      optimization: { minimize: false },
      output: { path: OUT, filename: 'worker.mjs', library: { type: 'module' }, chunkFormat: 'module' },
      plugins: [new SplicePlugin({ manifestFilename: false, edgeModule: false, exclude: PACKAGES })],
    }),
    run({
      ...common,
      name: 'client',
      mode: 'development',
      target: 'web',
      entry: './.client-entry.js',
      output: { path: OUT, filename: 'client.js' },
      plugins: [new SplicePlugin({ manifestFilename: false, exclude: PACKAGES })],
    }),
  ]);
  return { worker: path.join(OUT, 'worker.mjs'), client: path.join(OUT, 'client.js') };
}
