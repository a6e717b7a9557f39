// The bench worker (bench/worker.mjs, bundled by bench/build.mjs) in workerd through miniflare,
// started the way packages/dev/src/workerd.ts starts the storefront's worker.
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);

export async function startWorkerd(scriptPath, extra = {}) {
  const { Miniflare } = require('miniflare');
  const mf = new Miniflare({ modules: true, scriptPath, modulesRoot: path.dirname(scriptPath), compatibilityDate: '2025-01-01', ...extra });
  await mf.ready;
  const call = async (pathAndQuery, init) => {
    const res = await mf.dispatchFetch(`http://bench${pathAndQuery}`, init);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`workerd ${pathAndQuery}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  const upload = async (p, manifest) => {
    await call(`/page?name=${p.name}&part=base`, { method: 'POST', body: p.base });
    await call(`/page?name=${p.name}&part=source`, { method: 'POST', body: p.source });
    await call(`/meta?name=${p.name}`, { method: 'POST', body: JSON.stringify({ index: p.index, indexJson: p.indexJson, layout: p.layout, cards: p.cards, sets: p.sets, edits: p.edits, manifest }) });
  };
  return { mf, call, upload, version: require('miniflare/package.json').version };
}
