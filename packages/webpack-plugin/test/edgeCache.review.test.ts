import * as fs from 'fs';
import * as path from 'path';
import webpack from 'webpack';
import { SplicePlugin } from '@splice/webpack-plugin';
import { buildApp, diskCache, getCompiler, readAsset, workDir, writeEnvApp } from './helpers';

jest.setTimeout(120_000);

/** Changes between builds that the edge module's cache must see, as the app's build does (a review's checks, kept as regression tests). */
describe('SplicePlugin: the edge module\'s disk cache across changes between builds', () => {
  it('a DefinePlugin value changed between builds reaches the edge module', async () => {
    const dir = workDir('rv-define-');
    writeEnvApp(dir);
    const cacheDirectory = path.join(dir, '.cache');
    try {
      const build = (value: string, cache: boolean) => buildApp(dir, cache && cacheDirectory, { plugins: [new SplicePlugin(), new webpack.DefinePlugin({ 'process.env.GREETING': JSON.stringify(value) })] });
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
    const dir = workDir('rv-prefix-', true);
    const cacheDirectory = path.join(dir, '.cache');
    try {
      const build = async (prefix: string, cache: boolean) => (await buildApp(dir, cache && cacheDirectory, { plugins: [new SplicePlugin({ identifierPrefix: prefix })] })).edge;
      await build('a-', true);
      expect(await build('zz-', true)).toBe(await build('zz-', false));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a component becomes re-renderable, and stops being (fresh compilers)', async () => {
    const dir = workDir('rv-entry-', true);
    const cacheDirectory = path.join(dir, '.cache');
    try {
      const build = async (cache: boolean) => (await buildApp(dir, cache && cacheDirectory)).edge;
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
    const dir = workDir('rv-watch-', true);
    const cacheDirectory = path.join(dir, '.cache');
    try {
      const compiler = getCompiler({ mode: 'development', target: 'node', context: dir, cache: type === 'filesystem' ? diskCache(cacheDirectory) : { type: 'memory' } });
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
