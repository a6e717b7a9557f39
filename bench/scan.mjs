// The page scan (`preparePageSync`: the context-aware pass that finds markers, removes them and
// builds the page index), on the structural bench's ≈150 KB page and on one card's re-render (the
// scan every structural request runs over the renderer's HTML), against a plain byte loop over the
// same bytes measured in the same rounds (the floor: one comparison per byte, no tokenizer).
//   node bench/scan.mjs                      this checkout's @splice/edge
//   SCAN_BASE=/path/to/packages/edge/dist/index.js node bench/scan.mjs
//                                            also another build, alternated with this one
// Needs `node bench/build.mjs structural` (or a `npm run bench` before). Prints medians over
// rounds, in µs, and each scan ÷ the floor of the same round.
import { createRequire } from 'node:module';
import { structuralPage } from './structural.mjs';

const require = createRequire(import.meta.url);
const page = structuralPage();
const fragment = await page.renderer.render(page.request);
const builds = [['this checkout', require('@splice/edge')]];
if (process.env.SCAN_BASE) builds.unshift(['SCAN_BASE', require(process.env.SCAN_BASE)]);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);

/** The floor: every byte looked at once, a tag counted at each `<`. */
function byteLoop(bytes) {
  let tags = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x3c) tags++;
  return tags;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const inputs = [
  ['page', new TextDecoder().decode(page.source), 20],
  ['re-rendered card', fragment, 2000],
];
console.log(`| input | bytes | ${builds.map(([name]) => `${name}: µs | ÷ floor`).join(' | ')} | floor: µs |`);
console.log(`|---|---|${builds.map(() => '---|---').join('|')}|---|`);
for (const [name, html, n] of inputs) {
  const bytes = new TextEncoder().encode(html);
  const times = builds.map(() => []);
  const floors = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    let t0 = performance.now();
    for (let i = 0; i < n * 20; i++) byteLoop(bytes);
    const floor = (performance.now() - t0) / (n * 20);
    builds.forEach(([, edge], b) => {
      t0 = performance.now();
      for (let i = 0; i < n; i++) edge.preparePageSync(html);
      if (round >= 2) times[b].push((performance.now() - t0) / n);
    });
    if (round >= 2) floors.push(floor);
  }
  const cells = times.map((ts) => `${(median(ts) * 1000).toFixed(1)} | ${median(ts.map((t, i) => t / floors[i])).toFixed(1)}×`);
  console.log(`| ${name} | ${bytes.length.toLocaleString('en')} | ${cells.join(' | ')} | ${(median(floors) * 1000).toFixed(2)} |`);
}
