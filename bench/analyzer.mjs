// Analyzer throughput: `splice analyze` (the compiler's whole analysis and instrumentation, as
// the CLI runs it) over a corpus of real source trees, warm (one full pass first, for the JIT),
// then the median of the timed passes, in components per second. The corpus is not in the
// repository: pass its folders as arguments or in SPLICE_CORPUS (separated by `:`); BENCHMARKS.md
// says which repositories and folders were measured. Runnable alone after `npm run build`, and
// part of `npm run bench` (BENCH_ONLY part `analyzer`, skipped without a corpus).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export function analyzerThroughput(dirs, passes = 5) {
  const { analyzePaths } = require('../packages/cli/dist/index.js');
  const first = analyzePaths(dirs);
  const times = [];
  let components = 0;
  for (let i = 0; i < passes; i++) {
    const start = performance.now();
    const report = analyzePaths(dirs);
    times.push(performance.now() - start);
    components = report.components.length;
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  return { files: first.summary.files, components, ms, perSecond: (components / ms) * 1000 };
}

export function corpusDirs(argv = process.argv.slice(2)) {
  if (argv.length > 0) return argv;
  return (process.env.SPLICE_CORPUS ?? '').split(':').filter((d) => d !== '');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = corpusDirs();
  if (dirs.length === 0) {
    console.error('analyzer throughput: give the corpus folders as arguments or in SPLICE_CORPUS (see BENCHMARKS.md)');
    process.exit(2);
  }
  const r = analyzerThroughput(dirs);
  console.log(`analyzer: ${r.components} components in ${r.files} files, ${r.ms.toFixed(0)} ms per warm pass (median of 5): ${r.perSecond.toFixed(0)} components/s (target ≥ 2,000: ${r.perSecond >= 2000 ? 'holds' : 'fails'})`);
}
