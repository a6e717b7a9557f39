import * as fs from 'fs';
import * as path from 'path';
import webpack from 'webpack';
import { SplicePlugin } from '@splice/webpack-plugin';
import { compile, fixtures, getCompiler, readAsset } from './helpers';

function tmpApp(prefix: string): string {
  fs.mkdirSync(path.join(__dirname, '.work'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(__dirname, '.work', prefix));
  for (const f of fs.readdirSync(path.join(fixtures, 'app'))) fs.copyFileSync(path.join(fixtures, 'app', f), path.join(dir, f));
  return dir;
}

function envApp(dir: string) {
  fs.writeFileSync(path.join(dir, 'env.js'), 'export function greeting() { return process.env.GREETING; }\n');
  fs.writeFileSync(path.join(dir, 'Banner.jsx'), "import { greeting } from './env';\nexport function Banner({ big }) { return big ? <strong>{greeting()}</strong> : <span>small</span>; }\n");
  fs.writeFileSync(path.join(dir, 'index.jsx'), "export { Banner } from './Banner';\n");
}

jest.setTimeout(120_000);

/** Changes between builds that the edge module's cache must see, as the app's build does (a review's checks, kept as regression tests). */
describe('SplicePlugin: the edge module\'s disk cache across changes between builds', () => {
  it('a DefinePlugin value changed between builds reaches the edge module', async () => {
    const dir = tmpApp('rv-define-');
    envApp(dir);
    const cacheDirectory = path.join(dir, '.cache');
    try {
      const build = async (value: string, cache: boolean) => {
        const compiler = getCompiler({ mode: 'development', target: 'node', context: dir, cache: cache ? { type: 'filesystem', cacheDirectory, buildDependencies: {} } : false, plugins: [new SplicePlugin(), new webpack.DefinePlugin({ 'process.env.GREETING': JSON.stringify(value) })] });
        const stats = await compile(compiler);
        expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
        return { bundle: readAsset(compiler, 'bundle.js'), edge: readAsset(compiler, 'splice-edge.mjs') };
      };
      const a = await build('Hallo', true);
      expect(a.edge).toContain('Hallo');
      const b = await build('Bonjour', true);
      expect(b.bundle).toContain('Bonjour');
      expect(b.edge).toContain('Bonjour');
      expect(b.edge).toBe((await build('Bonjour', false)).edge);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('identifierPrefix changed between builds', async () => {
    const dir = tmpApp('rv-prefix-');
    const cacheDirectory = path.join(dir, '.cache');
    try {
      const build = async (prefix: string, cache: boolean) => {
        const compiler = getCompiler({ mode: 'development', target: 'node', context: dir, cache: cache ? { type: 'filesystem', cacheDirectory, buildDependencies: {} } : false, plugins: [new SplicePlugin({ identifierPrefix: prefix })] });
        expect((await compile(compiler)).hasErrors()).toBe(false);
        return readAsset(compiler, 'splice-edge.mjs');
      };
      await build('a-', true);
      expect(await build('zz-', true)).toBe(await build('zz-', false));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a component becomes re-renderable, and stops being (fresh compilers)', async () => {
    const dir = tmpApp('rv-entry-');
    const cacheDirectory = path.join(dir, '.cache');
    try {
      const build = async (cache: boolean) => {
        const compiler = getCompiler({ mode: 'development', target: 'node', context: dir, cache: cache ? { type: 'filesystem', cacheDirectory, buildDependencies: {} } : false });
        expect((await compile(compiler)).hasErrors()).toBe(false);
        return readAsset(compiler, 'splice-edge.mjs');
      };
      const before = await build(true);
      fs.writeFileSync(path.join(dir, 'Extra.jsx'), 'export function Extra({ big }) { return big ? <b className="extra-big">x</b> : <i>y</i>; }\n');
      fs.appendFileSync(path.join(dir, 'index.jsx'), "export { Extra } from './Extra';\n");
      const withExtra = await build(true);
      expect(withExtra).toBe(await build(false));
      expect(withExtra).toContain('extra-big');
      fs.writeFileSync(path.join(dir, 'index.jsx'), fs.readFileSync(path.join(dir, 'index.jsx'), 'utf8').replace("export { Extra } from './Extra';\n", ''));
      const after = await build(true);
      expect(after).toBe(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['filesystem', 'memory'] as const)('watch mode with a %s cache: an edit, and an entry change', async (type) => {
    const dir = tmpApp('rv-watch-');
    const cacheDirectory = path.join(dir, '.cache');
    try {
      const compiler = getCompiler({ mode: 'development', target: 'node', context: dir, cache: type === 'filesystem' ? { type: 'filesystem', cacheDirectory, buildDependencies: {} } : { type: 'memory' } });
      const edges: string[] = [];
      let phase = 0;
      await new Promise<void>((resolve, reject) => {
        const watching = compiler.watch({ aggregateTimeout: 50, poll: 100 }, (e, stats) => {
          if (e) return reject(e);
          if (stats!.hasErrors()) return reject(new Error(stats!.toString('errors-only')));
          const bundle = readAsset(compiler, 'bundle.js');
          const edge = readAsset(compiler, 'splice-edge.mjs');
          if (phase === 0) {
            edges.push(edge); phase = 1;
            setTimeout(() => fs.writeFileSync(path.join(dir, 'Badge.jsx'), fs.readFileSync(path.join(dir, 'Badge.jsx'), 'utf8').replace('className="badge"', 'className="badge-edited"')), 1100);
          } else if (phase === 1 && bundle.includes('badge-edited')) {
            edges.push(edge); phase = 2;
            setTimeout(() => { fs.writeFileSync(path.join(dir, 'Extra.jsx'), 'export function Extra({ big }) { return big ? <b className="extra-big">x</b> : <i>y</i>; }\n'); fs.appendFileSync(path.join(dir, 'index.jsx'), "export { Extra } from './Extra';\n"); }, 1100);
          } else if (phase === 2 && bundle.includes('extra-big')) {
            edges.push(edge); phase = 3;
            watching!.close(() => compiler.close(() => resolve()));
          }
        });
      });
      expect(edges[0]).toContain('"badge"');
      expect(edges[1]).toContain('"badge-edited"');
      expect(edges[1]).not.toContain('"badge"');
      expect(edges[2]).toContain('extra-big');
      expect(edges[2]).toContain('"badge-edited"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
