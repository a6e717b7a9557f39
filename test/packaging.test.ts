/**
 * What `npm pack` ships for each package, checked on the built tree (npm test builds first):
 * the entry points and types its package.json names, source maps whose sources are in the
 * tarball too, no build bookkeeping, and a `prepack` build so that a pack from a fresh clone is
 * not empty (it used to ship README and package.json alone).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const packages = fs.readdirSync(path.join(root, 'packages')).filter((p) => fs.existsSync(path.join(root, 'packages', p, 'package.json')));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function packed(dir: string): Set<string> {
  // --ignore-scripts: list what the current build would ship, without rebuilding it.
  const json = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return new Set((JSON.parse(json) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
}

/** Every file path a package.json points at: main, types, bin, exports. */
function entryPoints(pkg: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(pkg.main);
  walk(pkg.types);
  walk(pkg.bin);
  walk(pkg.exports);
  return out.map((p) => path.posix.normalize(p)).filter((p) => p !== 'package.json');
}

describe.each(packages)('@splice/%s, packed', (name) => {
  const dir = path.join(root, 'packages', name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, any>;
  const files = packed(dir);

  it('builds before it packs', () => {
    expect(pkg.scripts?.prepack).toMatch(/^tsc -b --force/);
  });

  it('ships every entry point and type its package.json names, and no build bookkeeping', () => {
    for (const entry of entryPoints(pkg)) expect([entry, files.has(entry)]).toEqual([entry, true]);
    expect([...files].filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
    expect(files.has('README.md')).toBe(true);
  });

  it('ships the sources its source maps point to', () => {
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(fs.readFileSync(path.join(dir, map), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      sources.forEach((source, i) => {
        if (typeof sourcesContent?.[i] === 'string') return;
        const shipped = path.posix.normalize(path.posix.join(path.posix.dirname(map), source));
        expect([map, shipped, files.has(shipped)]).toEqual([map, shipped, true]);
      });
    }
  });
});

it('the packages that run in browsers and workers offer ES modules to bundlers and CommonJS to Node, with types', () => {
  for (const name of ['manifest', 'edge', 'client']) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'packages', name, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>>; sideEffects: unknown };
    const main = pkg.exports['.']!;
    expect([name, main.types]).toEqual([name, './dist/index.d.ts']);
    expect([name, main.node, main.require]).toEqual([name, './dist/index.js', './dist/index.js']);
    expect([name, Object.entries(main).some(([k, v]) => ['browser', 'worker', 'workerd'].includes(k) && v.startsWith('./dist/esm/'))]).toEqual([name, true]);
    expect([name, pkg.sideEffects]).toEqual([name, false]);
  }
});

it('no tracked file points outside the repository for its design or contracts (a clone has no ../shared)', () => {
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter((f) => /\.(md|ts|tsx|js|mjs|json)$/.test(f) && f !== 'test/packaging.test.ts');
  const outside = tracked.filter((f) => fs.existsSync(path.join(root, f)) && /\.\.\/shared\b|DESIGN\.md/.test(fs.readFileSync(path.join(root, f), 'utf8')));
  expect(outside).toEqual([]);
});

it('every package is importable from an ES module in Node, with all its named exports (the Node-side packages are CommonJS)', () => {
  for (const name of packages) {
    const file = path.join(root, 'packages', name, 'dist', 'index.js');
    const script = `import * as m from ${JSON.stringify(require('url').pathToFileURL(file).href)};
      import { createRequire } from 'node:module';
      const cjs = createRequire(import.meta.url)(${JSON.stringify(file)});
      console.log(JSON.stringify(Object.keys(cjs).filter((k) => !(k in m))));`;
    const missing = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
    expect([name, missing]).toEqual([name, '[]']);
  }
});

it("the client README states the browser runtime's size as measured now (it once said a few hundred bytes of a 4 KB runtime), and it stays within 1 KiB gzip", () => {
  const report = execFileSync(process.execPath, [path.join(root, 'bench', 'clientSize.mjs')], { encoding: 'utf8' });
  const [, kib, bytes] = /([\d.]+) KiB gzip, (\d+) bytes/.exec(report)!;
  const readme = fs.readFileSync(path.join(root, 'packages', 'client', 'README.md'), 'utf8');
  expect(/\*\*([\d.]+) KiB gzip\*\* \(([\d,]+) bytes/.exec(readme)?.slice(1)).toEqual([kib, Number(bytes).toLocaleString('en-US')]);
  // The A/B-test issue's budget, as an app ships the runtime (webpack production, React external).
  expect(Number(bytes)).toBeLessThanOrEqual(1024);
});

it('a worker bundle of @splice/edge and @splice/client holds one copy of @splice/manifest (the client requires it, the edge imports it)', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const webpack = require('webpack') as typeof import('webpack');
  const dir = fs.mkdtempSync(path.join(root, 'test', '.work-'));
  try {
    fs.writeFileSync(path.join(dir, 'entry.js'), "export { createEdgeHandler } from '@splice/edge';\nexport { SpliceProvider } from '@splice/client';\n");
    const stats = await new Promise<import('webpack').Stats>((resolve, reject) => {
      webpack({
        mode: 'development', devtool: false, target: 'webworker', entry: path.join(dir, 'entry.js'), context: root,
        output: { path: dir, filename: 'out.js' }, externals: { react: 'React', 'react-dom/server': 'ReactDOMServer', 'react/jsx-runtime': 'ReactJSX' },
        optimization: { concatenateModules: false }, infrastructureLogging: { level: 'error' },
      }, (error, result) => (error ? reject(error) : resolve(result!)));
    });
    expect(stats.hasErrors()).toBe(false);
    const manifestModules = [...stats.compilation.modules].map((m) => (m as { resource?: string }).resource ?? '').filter((n) => n.includes(`manifest${path.sep}dist`));
    expect(manifestModules.length).toBeGreaterThan(0);
    // Every one from the same build: the ES modules, which the worker conditions pick.
    expect(manifestModules.filter((n) => !n.includes('/dist/esm/'))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // A webpack build: about 2 s alone, past jest's 5 s default with two review builds beside it.
}, 60_000);
