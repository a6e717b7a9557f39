// Where the time of one case goes in workerd: V8's sampling profiler over the DevTools protocol
// (miniflare's inspector port), around K-run batches of the case in the bench worker.
//   node bench/profile-workerd.mjs <case> <page> <chunkBytes> [seconds]
// <case>: as in bench/cases.mjs (pass, fastNone, fastTen, fastEvery, slowTen, …) or render;
// <page>: real | 150k | 1m | 10m, or `structural` with the structural cases (struct, structFirst,
// structMemo, value, valueFirst, renderOne, renderScan, pass: bench/structural.mjs). Writes bench/dist/prof/workerd-<case>-<page>-<chunk>.cpuprofile
// and prints the same summary as bench/profile.mjs (function names are the sources'; file:line
// are the bundle's). Uses Node's WebSocket when present (node --experimental-websocket), else
// the `ws` package that miniflare depends on.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, distDir } from './build.mjs';
import { summary } from './profile.mjs';
import { benchPages, manifest } from './setup.mjs';
import { startWorkerd } from './workerd.mjs';

const require = createRequire(import.meta.url);
const WS = globalThis.WebSocket ?? require('ws');
const [which = 'fastTen', pageName = 'real', chunkArg = '16384', secondsArg = '5'] = process.argv.slice(2);
const port = 9300 + Math.floor(Math.random() * 500);

const { worker } = await build(['worker']);
const { mf, call, upload } = await startWorkerd(worker, { inspectorPort: port });
try {
  if (pageName === 'structural') {
    const { structuralPage } = await import('./structural.mjs');
    const page = structuralPage();
    await call('/page?name=structural&part=base', { method: 'POST', body: page.base });
    await call('/page?name=structural&part=source', { method: 'POST', body: page.source });
    await call('/struct/meta?name=structural', { method: 'POST', body: JSON.stringify({ index: page.index, indexJson: page.indexJson, manifest: page.manifest, sets: page.sets, request: page.request }) });
    await call(`/struct/check?name=structural&chunk=${chunkArg}`);
  } else {
    await upload((await benchPages()).find((p) => p.name === pageName), manifest);
  }
  const q = `/run?name=${pageName}&chunk=${chunkArg}&case=${which}`;
  // Batches of ≈50 ms.
  let k = 1;
  for (let ms = 0; ms < 50; k *= 2) ms = (await call(`${q}&k=${k}`)).ms;

  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WS(targets[0].webSocketDebuggerUrl);
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(typeof ev.data === 'string' ? ev.data : ev.data.toString());
    if (msg.id !== undefined && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
  };
  const send = (method, params = {}) => new Promise((res) => { const n = ++id; pending.set(n, res); ws.send(JSON.stringify({ id: n, method, params })); });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 50 });
  await send('Profiler.start');
  let runs = 0;
  let inside = 0;
  const until = performance.now() + Number(secondsArg) * 1000;
  while (performance.now() < until) { inside += (await call(`${q}&k=${k}`)).ms; runs += k; }
  const { result } = await send('Profiler.stop');
  ws.close();
  const dir = path.join(distDir, 'prof');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `workerd-${which}-${pageName}-${chunkArg}.cpuprofile`);
  writeFileSync(file, JSON.stringify(result.profile));
  console.log(`workerd: ${which} on ${pageName} at ${chunkArg} B chunks: ${runs} runs, ${((inside / runs) * 1000).toFixed(1)} µs a run (worker clock); profile: ${path.relative(process.cwd(), file)}\n`);
  summary(file, runs, 40, /bench-worker/);
} finally {
  await mf.dispose();
}
