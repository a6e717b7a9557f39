// The client runtime's size as an app ships it: `@splice/client` bundled by webpack for the
// browser in production mode (terser), React and React DOM external, then gzip. Part of
// `npm run bench` (and runnable alone after `npm run build`).
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const webpack = require('webpack');
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bytes of the runtime, minified and gzipped: what `import { SpliceProvider, useSpliceProps, useSpliceHook } from '@splice/client'` adds to a browser bundle. */
export async function clientRuntimeSize() {
  const dir = mkdtempSync(path.join(tmpdir(), 'splice-client-size-'));
  const entry = path.join(dir, 'entry.js');
  writeFileSync(entry, "export { SpliceProvider, useSpliceProps, useSpliceHook } from '@splice/client';\n");
  await new Promise((resolve, reject) => {
    webpack({
      mode: 'production',
      target: 'web',
      entry,
      context: root,
      resolve: { modules: [path.join(root, 'node_modules')] },
      externals: { react: 'React', 'react-dom': 'ReactDOM', 'react/jsx-runtime': 'ReactJSX' },
      output: { path: dir, filename: 'out.js', library: { type: 'module' } },
      experiments: { outputModule: true },
      infrastructureLogging: { level: 'error' },
      stats: 'errors-only',
    }, (error, stats) => (error ? reject(error) : stats.hasErrors() ? reject(new Error(stats.toString({ all: false, errors: true }))) : resolve()));
  });
  const code = readFileSync(path.join(dir, "out.js"));
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { min, gzip } = await clientRuntimeSize();
  console.log(`@splice/client for the browser (webpack production, React external): ${(min / 1024).toFixed(1)} KiB minified, ${(gzip / 1024).toFixed(2)} KiB gzip, ${gzip} bytes (target ≤ 1 KiB, 1024 bytes: ${gzip <= 1024 ? 'holds' : 'fails'})`);
}
