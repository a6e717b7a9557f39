/**
 * SplicePlugin under rspack (webpack's API in Rust; docs/rspack.md): the same fixture app built
 * by webpack and by rspack gives the same manifest and component map, a bundle that renders the
 * same marked HTML, and an edge module; a second build of the same compiler (nothing changed,
 * nothing re-analyzed) keeps every component.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { execFileSync } from 'child_process';
import webpack from 'webpack';
import { SplicePlugin } from '@splice/webpack-plugin';
import { config } from './helpers';

jest.setTimeout(60_000);

// Inside the repository (not committed: .gitignore): the bundles' externals (react,
// @splice/client) resolve from its node_modules when the test renders them.
const out = path.join(__dirname, '.work', `rspack-${process.pid}`);
fs.mkdirSync(out, { recursive: true });
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

// One configuration for both: the fixture app, a CommonJS bundle for Node, a fresh plugin each.
const configFor = (dir: string) => ({ ...config({ mode: 'development', devtool: false, target: 'node', output: { path: dir, filename: 'bundle.js', library: { type: 'commonjs2' } }, plugins: [new SplicePlugin()] }) });

function run(compiler: { run(cb: (e: Error | null, s?: { hasErrors(): boolean; toString(o: unknown): string }) => void): void }): Promise<void> {
  return new Promise((resolve, reject) => compiler.run((error, stats) => {
    if (error) return reject(error);
    if (stats!.hasErrors()) return reject(new Error(stats!.toString({ preset: 'errors-only' })));
    resolve();
  }));
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const render = (dir: string) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Page } = require(path.join(dir, 'bundle.js')) as { Page(): null };
  return renderToString(createElement(Page));
};

describe('SplicePlugin under rspack', () => {
  const byWebpack = path.join(out, 'webpack');
  const byRspack = path.join(out, 'rspack');

  beforeAll(async () => {
    await run(webpack(configFor(byWebpack) as webpack.Configuration) as never);
    // The same configuration (rspack-build.cjs), with the built plugin; it builds twice with one
    // compiler: the second time nothing changed, rspack analyzes no module again.
    execFileSync(process.execPath, [path.join(__dirname, 'rspack-build.cjs'), byRspack], { stdio: ['ignore', 'pipe', 'pipe'] });
  });

  it('gives the manifest and component map webpack gives', () => {
    const manifest = JSON.parse(read(byRspack, 'splice-manifest.json'));
    expect(Object.keys(manifest.components).length).toBeGreaterThan(0);
    expect(manifest).toEqual(JSON.parse(read(byWebpack, 'splice-manifest.json')));
    expect(read(byRspack, 'splice-components.d.ts')).toBe(read(byWebpack, 'splice-components.d.ts'));
  });

  it('keeps every component on a build that analyzes nothing again', () => {
    expect(read(byRspack, 'splice-manifest.json')).toBe(read(byRspack, 'first-manifest.json'));
  });

  it('instruments the components as webpack does: the same marked HTML', () => {
    const html = render(byRspack);
    expect(html).toContain('data-splice');
    expect(html).toBe(render(byWebpack));
  });

  it('logs the summary line', () => {
    expect(read(byRspack, 'log.txt')).toMatch(/splice: \d+ components, \d+ value, \d+ structural, \d+ refused/);
  });

  it("refuses rspack's persistent cache, which would restore modules no loader analyzes (SPLICE051)", () => {
    const dir = path.join(out, 'persistent');
    let stderr = '';
    try {
      execFileSync(process.execPath, [path.join(__dirname, 'rspack-build.cjs'), dir, 'persistent'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (error) {
      stderr = String((error as { stderr?: string }).stderr);
    }
    expect(stderr).toContain("SPLICE051: SplicePlugin does not work with rspack's persistent cache");
  });

  it('logs the edge module\'s size on the second build too (not 0.0 KiB)', () => {
    const sizes = [read(byRspack, 'log.txt'), read(byRspack, 'second-log.txt')].map((log) => /edge module splice-edge\.mjs: \d+ re-renderable component\(s\), ([\d.]+) KiB/.exec(log)?.[1]);
    expect(sizes[0]).toBeDefined();
    expect(sizes[1]).toBe(sizes[0]);
  });

  it('keeps the analysis of a component imported with a query (`./Hero.jsx?v=1`)', () => {
    const dir = path.join(out, 'query');
    execFileSync(process.execPath, [path.join(__dirname, 'rspack-build.cjs'), dir, 'query'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const names = Object.values(JSON.parse(read(dir, 'first-manifest.json')).components as Record<string, { name: string }>).map((c) => c.name);
    expect(names).toEqual(['Hero']);
  });

  it('emits the edge module', () => {
    expect(fs.existsSync(path.join(byRspack, 'splice-edge.mjs'))).toBe(true);
    expect(read(byRspack, 'splice-edge.mjs')).toContain('registerSpliceComponent');
    // React's legacy server build alone, as under webpack (`legacyServerBuild`).
    expect(read(byRspack, 'splice-edge.mjs')).not.toContain('new ReadableStream');
  });
});
