import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { pathToFileURL } from 'url';
import { validateManifest } from '@splice/manifest';
import { SplicePlugin } from '@splice/webpack-plugin';
import { definedEnv } from '../src/SplicePlugin';
import webpack from 'webpack';
import type { Compiler, Stats } from 'webpack';
import { buildApp, compile, config, fixtures, getCompiler, readAsset, userRules, workDir, writeEnvApp } from './helpers';

jest.setTimeout(60_000);

// Tests whose subject is not the production build build in development mode: in production the
// edge module minifies React's server build, seconds of every build. `nodeBuild` and the tests
// of the mode itself, of `sideEffects` and of `NODE_ENV` stay in production.

/**
 * The fixture app's Node build with the helpers' defaults (`getCompiler({ target: 'node' })`), made
 * once for the tests that only read it: its edge module (React's server build, minified) makes it
 * seconds long. Whichever test asks first builds it; no test changes it.
 */
let defaultNodeBuild: Promise<{ compiler: Compiler; stats: Stats }> | undefined;
function nodeBuild(): Promise<{ compiler: Compiler; stats: Stats }> {
  defaultNodeBuild ??= (async () => {
    const compiler = getCompiler({ target: 'node' });
    return { compiler, stats: await compile(compiler) };
  })();
  return defaultNodeBuild;
}

describe('SplicePlugin', () => {
  it('emits a valid splice-manifest.json for the app, with the components and their holes', async () => {
    // A browser build, asked for its manifest (by default it writes none: see below).
    const compiler = getCompiler({ plugins: [new SplicePlugin({ manifestFilename: 'splice-manifest.json' })] });
    const stats = await compile(compiler);
    expect(stats.hasErrors()).toBe(false);
    const manifest = validateManifest(JSON.parse(readAsset(compiler, 'splice-manifest.json')));
    const entries = Object.entries(manifest.components);
    expect(entries.map(([, c]) => c.name).sort()).toEqual(['Badge', 'Hero', 'Price']);
    const [key, hero] = entries.find(([, c]) => c.name === 'Hero')!;
    expect(key).toMatch(/^Hero\.\w+$/);
    expect(hero.file).toBe('Hero.jsx');
    expect(hero.props.title).toMatchObject({ tier: 'value' });
    expect(hero.props.href).toMatchObject({ tier: 'value' });
    expect(hero.elements.some((e) => e.tag === 'h1' && e.text?.[0]?.kind === 'hole')).toBe(true);
    expect(manifest.buildId).toMatch(/^\w+$/);
    // `label ? <span>… : null`: a condition, so a re-render; the component qualifies.
    const badge = entries.find(([, c]) => c.name === 'Badge')![1];
    expect(badge.props.label).toMatchObject({ tier: 'structural', code: 'SPLICE010' });
    expect(badge.render).toEqual({ reads: ['label'], contexts: 0 });
    // A browser build gets no edge module.
    expect(() => readAsset(compiler, 'splice-edge.mjs')).toThrow();
    // The instrumented code went through the user's babel-loader and into the bundle.
    expect(readAsset(compiler, 'bundle.js')).toContain('data-splice');
  });

  it('writes no manifest into a browser build\'s output by default: that folder is public, and the manifest names files and props', async () => {
    const web = getCompiler();
    expect((await compile(web)).hasErrors()).toBe(false);
    expect(() => readAsset(web, 'splice-manifest.json')).toThrow();
    const { compiler: node } = await nodeBuild();
    expect(() => readAsset(node, 'splice-manifest.json')).not.toThrow();
  });

  it('leaves the user module.rules untouched', async () => {
    const compiler = getCompiler();
    const before = JSON.stringify(compiler.options.module.rules, (_, v) => (v instanceof RegExp ? String(v) : v));
    await compile(compiler);
    expect(JSON.stringify(compiler.options.module.rules, (_, v) => (v instanceof RegExp ? String(v) : v))).toBe(before);
    expect(compiler.options.module.rules).toHaveLength(userRules().length);
  });

  it('gives the same manifest from a warm persistent cache', async () => {
    const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-cache-'));
    try {
      const cache = { type: 'filesystem' as const, cacheDirectory, buildDependencies: {} };
      const cold = getCompiler({ mode: 'development', devtool: false, cache, target: 'node' });
      await compile(cold);
      const warm = getCompiler({ mode: 'development', devtool: false, cache, target: 'node' });
      const stats = await compile(warm);
      const built = stats.toJson({ all: false, modules: true }).modules?.filter((m: any) => m.built) ?? [];
      expect(built).toHaveLength(0); // really served from the cache
      expect(readAsset(warm, 'splice-manifest.json')).toBe(readAsset(cold, 'splice-manifest.json'));
    } finally {
      fs.rmSync(cacheDirectory, { recursive: true, force: true });
    }
  });

  it('reports a syntax error as a webpack error with a code and a code frame', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-bad-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.jsx'), 'export function Broken({ a }) {\n  return <div>{a}</span>;\n}\n');
      const compiler = getCompiler({ context: dir });
      const stats = await compile(compiler);
      const errors = stats.toJson({ all: false, errors: true }).errors ?? [];
      expect(errors.length).toBeGreaterThan(0);
      const text = errors.map((e: any) => e.message).join('\n');
      expect(text).toMatch(/SPLICE001/);
      expect(text).toMatch(/index\.jsx:2/);
      expect(text).toContain('> 2 |');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds TypeScript with decorators and auto-accessors (valid TypeScript 5 that esbuild compiles), analyzing the components next to them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-decorators-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.tsx'), [
        'function logged(value: any, _context: ClassMethodDecoratorContext) { return value; }',
        'class Store {',
        '  @logged total() { return 1; }',
        '  accessor count = 0;',
        '}',
        'export const store = new Store();',
        '',
        'export function Card({ title }: { title: string }) {',
        '  return <h2>{title}</h2>;',
        '}',
        '',
      ].join('\n'));
      const compiler = getCompiler({
        context: dir,
        entry: './index.tsx',
        target: 'node',
        resolve: { extensions: ['.tsx', '.ts', '.js'] },
        module: { rules: [{ test: /\.tsx?$/, loader: require.resolve('esbuild-loader'), options: { loader: 'tsx', jsx: 'automatic', target: 'es2022' } }] },
        plugins: [new SplicePlugin({ edgeModule: false })],
      });
      const stats = await compile(compiler);
      expect(stats.toJson({ all: false, errors: true }).errors?.map((e: any) => e.message)).toEqual([]);
      const manifest = JSON.parse(readAsset(compiler, 'splice-manifest.json'));
      expect(Object.values(manifest.components).map((c: any) => [c.file, c.name])).toEqual([['index.tsx', 'Card']]);
      // Instrumented, and the decorators still there for esbuild to compile.
      expect(readAsset(compiler, 'bundle.js')).toContain('useSpliceProps');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a CommonJS component module CommonJS: the bundle it builds still runs (module.exports stays assignable)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-cjs-'));
    try {
      // A component in a CommonJS module, as an older app writes it (classic JSX runtime, require).
      fs.writeFileSync(path.join(dir, 'Card.jsx'), "const React = require('react');\nconst { useLabel } = require('some-i18n');\nfunction Card({ title, note }) {\n  return <h2 title={useLabel(note)}>{title}</h2>;\n}\nmodule.exports = { Card };\n");
      fs.writeFileSync(path.join(dir, 'index.jsx'), "const { Card } = require('./Card');\nmodule.exports = { Card };\n");
      const compiler = getCompiler({
        context: dir,
        target: 'node',
        externals: { react: 'react', 'some-i18n': 'some-i18n', '@splice/client': '@splice/client' },
        module: { rules: [{ test: /\.jsx?$/, use: { loader: require.resolve('babel-loader'), options: { babelrc: false, configFile: false, presets: [[require.resolve('@babel/preset-react'), { runtime: 'classic' }]] } } }] },
        plugins: [new SplicePlugin({ edgeModule: false })],
      });
      const stats = await compile(compiler);
      expect(stats.toJson({ all: false, errors: true }).errors?.map((e: any) => e.message)).toEqual([]);
      const bundle = readAsset(compiler, 'bundle.js');
      expect(bundle).toContain('useSpliceProps');
      const externals: Record<string, unknown> = { react: require('react'), 'some-i18n': { useLabel: (s: string) => s.toUpperCase() }, '@splice/client': require('@splice/client') };
      const module = { exports: {} as Record<string, unknown> };
      new Function('module', 'exports', 'require', bundle)(module, module.exports, (id: string) => externals[id]);
      const { renderToString } = require('react-dom/server');
      const React = require('react');
      expect(renderToString(React.createElement(module.exports.Card as any, { title: 'Hello', note: 'n' }))).toContain('>Hello</h2>');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps CommonJS modules CommonJS however they export: a .cjs file (webpack parses it as a script) and exports[\'name\'] build and run as without Splice', async () => {
    const files = {
      // webpack's type for .cjs is javascript/dynamic: an `import` in it is a parse error.
      'Card.cjs': "const { renderToString } = require('react-dom/server');\nfunction Card({ title }) {\n  return <h2>{title}</h2>;\n}\nObject.assign(exports, { cardHtml: (title) => renderToString(<Card title={title} />) });\n",
      // In a .js file an `import` makes it an ES module, in which `exports` is not the module's.
      'Note.js': "const { renderToString } = require('react-dom/server');\nfunction Note({ title }) {\n  return <p>{title}</p>;\n}\nexports['noteHtml'] = (title) => renderToString(<Note title={title} />);\n",
      'index.js': "const { cardHtml } = require('./Card.cjs');\nconst { noteHtml } = require('./Note.js');\nmodule.exports = { cardHtml, noteHtml };\n",
    };
    // Babel as an app that mixes CommonJS configures it: scripts stay scripts.
    const rules = [{ test: /\.c?js$/, use: { loader: require.resolve('babel-loader'), options: { babelrc: false, configFile: false, sourceType: 'unambiguous', presets: [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }]] } } }];
    const build = async (plugins: SplicePlugin[]) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-cjs-exports-'));
      try {
        for (const [name, code] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), code);
        const compiler = getCompiler({ context: dir, entry: './index.js', target: 'node', resolve: { extensions: ['.js'] }, externals: { ...(config().externals as object), 'react-dom/server': 'react-dom/server' }, module: { rules }, plugins });
        const stats = await compile(compiler);
        const errors = stats.toJson({ all: false, errors: true }).errors?.map((e: any) => e.message) ?? [];
        if (errors.length > 0) return errors;
        const bundle = readAsset(compiler, 'bundle.js');
        const externals: Record<string, unknown> = { react: require('react'), 'react/jsx-runtime': require('react/jsx-runtime'), 'react-dom/server': require('react-dom/server'), '@splice/client': require('@splice/client') };
        const module = { exports: {} as Record<string, (title: string) => string> };
        new Function('module', 'exports', 'require', bundle)(module, module.exports, (id: string) => externals[id]);
        return [typeof module.exports.cardHtml === 'function' ? module.exports.cardHtml('Hello') : 'no cardHtml', typeof module.exports.noteHtml === 'function' ? module.exports.noteHtml('Hi') : 'no noteHtml'].map((html) => html.replace(/ data-splice="[^"]*"/g, ''));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const without = await build([]);
    expect(without).toEqual(['<h2>Hello</h2>', '<p>Hi</p>']);
    expect(await build([new SplicePlugin({ edgeModule: false })])).toEqual(without);
  });

  it('builds a CommonJS module in sloppy mode (a legacy octal mode) that webpack builds: it is no syntax error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-sloppy-'));
    try {
      // A server helper: no JSX, but `i<dirs` looks like some to the plugin's quick check.
      fs.writeFileSync(path.join(dir, 'dirs.js'), "const fs = require('fs');\nfunction ensure(dirs) {\n  for (let i = 0; i<dirs.length; i++) fs.mkdirSync(dirs[i], 0755);\n}\nmodule.exports = { ensure };\n");
      fs.writeFileSync(path.join(dir, 'index.jsx'), "import { ensure } from './dirs';\nexport function Page({ title }) {\n  ensure([]);\n  return <h1>{title}</h1>;\n}\n");
      // Babel as an app that mixes CommonJS configures it: scripts stay scripts.
      const rules = [{ test: /\.jsx?$/, use: { loader: require.resolve('babel-loader'), options: { babelrc: false, configFile: false, sourceType: 'unambiguous', presets: [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }]] } } }];
      const compiler = getCompiler({ context: dir, target: 'node', externals: { ...(config().externals as object), fs: 'commonjs fs' }, module: { rules }, plugins: [new SplicePlugin({ edgeModule: false })] });
      const stats = await compile(compiler);
      expect(stats.toJson({ all: false, errors: true }).errors?.map((e: any) => e.message)).toEqual([]);
      expect(Object.values(JSON.parse(readAsset(compiler, 'splice-manifest.json')).components).map((c: any) => c.name)).toEqual(['Page']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds a Flow module with its @flow pragma on top as @babel/preset-flow builds it without Splice: a call with type arguments stays a call', async () => {
    // Babel's Flow parser reads `f<T>(x)` as a call only under a `@flow` comment before the
    // first token; elsewhere it is two comparisons, as in plain JavaScript.
    const files = {
      // No other Flow syntax: the module also parses without Flow, as comparisons.
      'Note.js': "// @flow\nimport { useState } from 'react';\nexport function Note({ title }) {\n  const [note] = useState<string>('fine');\n  return <p>{title} {note}</p>;\n}\n",
      // Flow types besides: it parses only as Flow.
      'Card.js': "/* @flow */\nimport { useState } from 'react';\ntype Props = { title: string };\nexport function Card({ title }: Props) {\n  const [note] = useState<string>('fine');\n  return <h2>{title} {note}</h2>;\n}\n",
      'index.js': "export { Note } from './Note';\nexport { Card } from './Card';\n",
    };
    const rules = [{ test: /\.js$/, use: { loader: require.resolve('babel-loader'), options: { babelrc: false, configFile: false, presets: [require.resolve('@babel/preset-flow'), [require.resolve('@babel/preset-react'), { runtime: 'automatic' }]] } } }];
    const render = async (plugins: SplicePlugin[]) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-flow-'));
      try {
        for (const [name, code] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), code);
        const compiler = getCompiler({ context: dir, entry: './index.js', target: 'node', resolve: { extensions: ['.js'] }, module: { rules }, plugins });
        const stats = await compile(compiler);
        expect(stats.toJson({ all: false, errors: true }).errors?.map((e: any) => e.message)).toEqual([]);
        const bundle = readAsset(compiler, 'bundle.js');
        const externals: Record<string, unknown> = { react: require('react'), 'react/jsx-runtime': require('react/jsx-runtime'), '@splice/client': require('@splice/client') };
        const module = { exports: {} as Record<string, unknown> };
        new Function('module', 'exports', 'require', bundle)(module, module.exports, (id: string) => externals[id]);
        const { renderToString } = require('react-dom/server');
        const React = require('react');
        return ['Note', 'Card'].map((name) => {
          try {
            return renderToString(React.createElement(module.exports[name] as any, { title: 'Hello' })).replace(/ data-splice="[^"]*"/g, '');
          } catch (error) {
            return `${name} threw: ${(error as Error).message}`;
          }
        });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const without = await render([]);
    expect(without).toEqual(['<p>Hello<!-- --> <!-- -->fine</p>', '<h2>Hello<!-- --> <!-- -->fine</h2>']);
    expect(await render([new SplicePlugin({ edgeModule: false })])).toEqual(without);
  });

  it('logs why a prop is not patchable at info level, with code and frame', async () => {
    const compiler = getCompiler();
    const stats = await compile(compiler);
    const logging = stats.toJson({ all: false, logging: 'info', loggingTrace: false }).logging ?? {};
    const entries = Object.values(logging).flatMap((l: any) => l.entries).map((e: any) => e.message).join('\n');
    expect(entries).toMatch(/Price\.jsx:\d+:\d+ - SPLICE031: `format` holds a function/);
    // An event handler renders nothing: it is in the manifest (SPLICE036) but not worth a note.
    expect(entries).not.toMatch(/`onPick`/);
    expect(entries).toMatch(/> \d+ \|/);
    // Under the plugin's name, not the loader's path.
    expect(Object.keys(logging)).toContain('SplicePlugin');
  });

  it('keeps the notes when modules come from a warm persistent cache', async () => {
    const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-cache-'));
    const notes = async () => {
      const stats = await compile(getCompiler({ cache: { type: 'filesystem' as const, cacheDirectory, buildDependencies: {} } }));
      const logging = stats.toJson({ all: false, logging: 'info', loggingTrace: false }).logging ?? {};
      return Object.values(logging).flatMap((l: any) => l.entries).map((e: any) => e.message).filter((m: string) => m.includes('SPLICE0'));
    };
    try {
      const cold = await notes();
      expect(cold.length).toBeGreaterThan(0);
      expect(await notes()).toEqual(cold);
    } finally {
      fs.rmSync(cacheDirectory, { recursive: true, force: true });
    }
  });

  it('emits the edge module next to the manifest in a Node build: an ES module with the re-renderable components, its size logged', async () => {
    const { compiler, stats } = await nodeBuild();
    expect(stats.hasErrors()).toBe(false);
    const manifest = validateManifest(JSON.parse(readAsset(compiler, 'splice-manifest.json')));
    const badgeKey = Object.keys(manifest.components).find((k) => k.startsWith('Badge.'))!;
    const edge = readAsset(compiler, 'splice-edge.mjs');
    expect(edge).toMatch(/export ?\{[^}]*\brenderer\b[^}]*\}/);
    expect(edge).toContain(JSON.stringify(badgeKey));
    // Web-standard: React's edge server build, nothing from Node.
    expect(edge).not.toMatch(/require\(["'](node:)?(stream|util|crypto|fs)["']\)/);
    // Only the legacy server build the renderer calls (renderToString), not the streaming one
    // `react-dom/server` also requires for workers: it would double the React in the module.
    expect(edge).not.toContain('new ReadableStream');
    expect(edge).toContain('renderToString');
    const logging = stats.toJson({ all: false, logging: 'info', loggingTrace: false }).logging ?? {};
    const entries = Object.values(logging).flatMap((l: any) => l.entries).map((e: any) => e.message).join('\n');
    expect(entries).toMatch(/edge module splice-edge\.mjs: 2 re-renderable component\(s\), [\d.]+ KiB/);
  });
});

describe('SplicePlugin: the edge module follows the app\'s mode as webpack reads it', () => {
  const edgeLog = async (mode: 'development' | 'production' | undefined) => {
    // 'production' is the helpers' own mode: that build is the default Node build.
    const stats = mode === 'production' ? (await nodeBuild()).stats : await compile(getCompiler({ target: 'node', mode }));
    const logging = stats.toJson({ all: false, logging: 'info', loggingTrace: false }).logging ?? {};
    return Object.values(logging).flatMap((l: any) => l.entries).map((e: any) => e.message).find((m: string) => m.startsWith('edge module')) ?? '';
  };
  it.each([
    ['production', 'production', false],
    ['development', 'development', true],
    // No mode is webpack's production (it says so in a warning): minified.
    ['none set', undefined, false],
  ] as const)('%s', async (_name, mode, unminified) => {
    const line = await edgeLog(mode);
    expect(line).toMatch(/^edge module splice-edge\.mjs: /);
    expect(/not minified/.test(line)).toBe(unminified);
  });
});

describe('SplicePlugin: an edge module that does not build', () => {
  it('names the module and line of each error, and what imports it: the edge build is for workers, where the app\'s own build may have resolved it', async () => {
    const dir = workDir('edge-error-');
    try {
      fs.writeFileSync(path.join(dir, 'Badge.jsx'), "import { helper } from './helper';\nexport const Badge = ({ label }) => (label ? <span className={helper()}>{label}</span> : null);\n");
      // A Node built-in: the Node build takes it, a build for workers cannot resolve it.
      fs.writeFileSync(path.join(dir, 'helper.js'), "export const helper = () => 'badge';\nimport { statSync } from 'fs';\nexport const size = (f) => statSync(f).size;\n");
      fs.writeFileSync(path.join(dir, 'index.jsx'), "export { Badge } from './Badge';\n");
      const compiler = getCompiler({ context: dir, target: 'node', mode: 'development', devtool: false });
      const stats = await compile(compiler);
      const errors = (stats.toJson({ all: false, errors: true }).errors ?? []).map((e) => e.message);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain("SplicePlugin: the edge module could not be built (it bundles the re-renderable components for workers: target 'webworker'):");
      expect(errors[0]).toContain("./helper.js 2:0-30 (imported by ./Badge.jsx)\nModule not found: Error: Can't resolve 'fs'");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SplicePlugin: the edge module of components declared free of side effects', () => {
  it('keeps every re-renderable component when the app\'s package.json says "sideEffects": false (a bare import would be dropped)', async () => {
    const dir = workDir('side-effects-free-', true);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-edge-side-effects-'));
    try {
      // What a UI package, or an app that cares about its bundle, often declares.
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'side-effects-free-app', private: true, sideEffects: false }));
      const compiler = getCompiler({ target: 'node', context: dir });
      const stats = await compile(compiler);
      expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
      const manifest = validateManifest(JSON.parse(readAsset(compiler, 'splice-manifest.json')));
      const badgeKey = Object.keys(manifest.components).find((k) => k.startsWith('Badge.'))!;
      const file = path.join(out, 'splice-edge.mjs');
      fs.writeFileSync(file, readAsset(compiler, 'splice-edge.mjs'));
      // The worker's view: ask the renderer for a Badge. Whatever a bare request renders, it must
      // not be "not in the edge module" (an empty registry: the component's module was dropped).
      const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); try { await m.renderer.render({ key: ${JSON.stringify(badgeKey)}, props: { label: 'x' }, contexts: [], id: '_R_0_', tree: '_R_1_', overrides: [] }); console.log('rendered'); } catch (e) { console.log(String(e.message)); }`;
      const said = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
      expect(said).not.toMatch(/not in the edge module/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('SplicePlugin: process.env names the build replaces by constants', () => {
  /** A component that shows a helper's `process.env.GREETING` only when an override makes it big. */
  function envApp(): string {
    const dir = workDir('inlined-env-');
    writeEnvApp(dir);
    return dir;
  }
  const banner = (compiler: Compiler) => Object.entries(validateManifest(JSON.parse(readAsset(compiler, 'splice-manifest.json'))).components).find(([, c]) => c.name === 'Banner')!;

  it('re-renders a component that reads a name its DefinePlugin defines, with the same value at the edge; refuses one that reads another', async () => {
    const dir = envApp();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-edge-env-'));
    try {
      const defined = getCompiler({ mode: 'development', devtool: false, target: 'node', context: dir, plugins: [new SplicePlugin(), new webpack.DefinePlugin({ 'process.env.GREETING': JSON.stringify('Hallo') })] });
      expect((await compile(defined)).toJson({ all: false, errors: true }).errors).toEqual([]);
      const [key, entry] = banner(defined);
      expect(entry.props.big).toMatchObject({ tier: 'structural' });
      // The edge module, as a worker imports it: the override's branch shows the build's constant.
      const file = path.join(out, 'splice-edge.mjs');
      fs.writeFileSync(file, readAsset(defined, 'splice-edge.mjs'));
      const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(JSON.stringify(await m.renderer.render({ key: ${JSON.stringify(key)}, props: { big: true }, contexts: [], id: '_R_0_', tree: '_R_1_', overrides: [] })));`;
      expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })).toContain('Hallo</strong>');

      // Without the definition the origin reads its own process.env and the edge another: refused, naming the chain.
      const plain = getCompiler({ mode: 'development', devtool: false, target: 'node', context: dir });
      expect((await compile(plain)).toJson({ all: false, errors: true }).errors).toEqual([]);
      const [, refused] = banner(plain);
      expect(refused.props.big).toMatchObject({ tier: 'none', code: 'SPLICE030' });
      expect(refused.props.big!.reason).toMatch(/calls greeting\(\), which reads `process.env`/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('reads the names from the DefinePlugin forms, and NODE_ENV only as the edge module has it (production)', () => {
    const names = (mode: 'development' | 'production', definitions: Record<string, unknown>) =>
      definedEnv(getCompiler({ target: 'node', mode, plugins: [new SplicePlugin(), new webpack.DefinePlugin(definitions as never)] }));
    expect(names('production', { 'process.env.A': '"a"', 'process.env': { B: '"b"' }, process: { env: { C: '"c"' } } })).toEqual(['A', 'B', 'C', 'NODE_ENV']);
    // A development build's NODE_ENV is not the edge module's: before, an app that defined it counted it as inlined.
    expect(names('development', { 'process.env.NODE_ENV': '"development"', 'process.env.A': '"a"' })).toEqual(['A']);
    // The whole object as code: every name, but the edge module's NODE_ENV wins over it, so only in production.
    expect(names('production', { 'process.env': JSON.stringify({ A: 'a' }) })).toEqual(['*', 'NODE_ENV']);
    expect(names('development', { 'process.env': JSON.stringify({ A: 'a' }) })).toEqual([]);
  });

  it('takes the names from the inlinedEnv option when something else replaces them', async () => {
    const dir = envApp();
    try {
      const compiler = getCompiler({ target: 'node', context: dir, plugins: [new SplicePlugin({ inlinedEnv: ['GREET*'] })], optimization: { minimize: false } });
      expect((await compile(compiler)).toJson({ all: false, errors: true }).errors).toEqual([]);
      expect(banner(compiler)[1].props.big).toMatchObject({ tier: 'structural' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SplicePlugin: the edge module across rebuilds', () => {
  it('keeps its compiler for the app\'s compiler: a rebuild takes an edited component, and closing the app\'s compiler closes it', async () => {
    const dir = workDir('edge-rebuild-', true);
    try {
      const compiler = getCompiler({ mode: 'development', devtool: false, target: 'node', context: dir, cache: { type: 'memory' } });
      const run = () => new Promise<void>((resolve, reject) => compiler.run((e, stats) => (e ? reject(e) : stats!.hasErrors() ? reject(new Error(stats!.toString('errors-only'))) : resolve())));
      await run();
      expect(readAsset(compiler, 'splice-edge.mjs')).toContain('"badge"');
      fs.writeFileSync(path.join(dir, 'Badge.jsx'), fs.readFileSync(path.join(dir, 'Badge.jsx'), 'utf8').replace('className="badge"', 'className="badge-edited"'));
      await run();
      const edge = readAsset(compiler, 'splice-edge.mjs');
      expect(edge).toContain('"badge-edited"');
      expect(edge).not.toContain('"badge"');
      await new Promise<void>((resolve) => compiler.close(() => resolve()));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('caches to disk where the app does: a warm build gives the same edge module, and an edited component is built again', async () => {
    const dir = workDir('edge-cache-', true);
    const cacheDirectory = path.join(dir, '.cache');
    try {
      // Fresh compilers each time, as separate builds (processes) are.
      const build = async (cache: boolean) => (await buildApp(dir, cache && cacheDirectory)).edge;
      const cold = await build(true);
      // Its own cache next to the app's (webpack names the app's `<name>-<mode>`).
      expect(fs.readdirSync(cacheDirectory).filter((n) => n.endsWith('-splice-edge'))).toHaveLength(1);
      expect(await build(true)).toBe(cold);
      expect(cold).toBe(await build(false));
      fs.writeFileSync(path.join(dir, 'Badge.jsx'), fs.readFileSync(path.join(dir, 'Badge.jsx'), 'utf8').replace('className="badge"', 'className="badge-edited"'));
      const edited = await build(true);
      expect(edited).toContain('"badge-edited"');
      expect(edited).not.toContain('"badge"');
      expect(edited).toBe(await build(false));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not cache to disk where the app does not', async () => {
    const dir = workDir('edge-nocache-', true);
    // Where webpack's filesystem cache goes by default (from the working directory, not the app's).
    const defaultFolder = path.join(process.cwd(), 'node_modules', '.cache', 'webpack');
    const edgeCaches = () => (fs.existsSync(defaultFolder) ? fs.readdirSync(defaultFolder).filter((n) => n.endsWith('-splice-edge')) : []);
    try {
      const before = edgeCaches();
      for (const cache of [false, { type: 'memory' as const }]) {
        const stats = await compile(getCompiler({ mode: 'development', target: 'node', context: dir, cache, name: `nocache-${String(cache)}` }));
        expect(stats.hasErrors()).toBe(false);
      }
      expect(edgeCaches()).toEqual(before);
      expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SplicePlugin: modules a component reaches', () => {
  it('reads them afresh in every build: a rebuild after an edit to a child\'s module records the context the child now reads', async () => {
    const dir = workDir('descendants-');
    try {
      fs.writeFileSync(path.join(dir, 'theme.js'), "import { createContext } from 'react';\nexport const ThemeContext = createContext('light');\n");
      fs.writeFileSync(path.join(dir, 'Child.jsx'), 'export function Child() {\n  return <i>plain</i>;\n}\n');
      fs.writeFileSync(path.join(dir, 'Card.jsx'), "import { Child } from './Child';\nexport function Card({ open }) {\n  return <div>{open ? <Child /> : null}</div>;\n}\n");
      fs.writeFileSync(path.join(dir, 'index.jsx'), "import { Card } from './Card';\nexport const page = <Card open={false} />;\n");
      const compiler = getCompiler({ context: dir, target: 'node', cache: { type: 'memory' }, plugins: [new SplicePlugin({ edgeModule: false })] });
      const run = () => new Promise<void>((resolve, reject) => compiler.run((e, stats) => (e ? reject(e) : stats!.hasErrors() ? reject(new Error(stats!.toString('errors-only'))) : resolve())));
      const cardContexts = () => {
        const manifest = JSON.parse(readAsset(compiler, 'splice-manifest.json')) as { components: Record<string, { name: string; render?: { contexts: number } }> };
        return Object.values(manifest.components).find((c) => c.name === 'Card')?.render?.contexts;
      };
      await run();
      expect(cardContexts()).toBe(0);
      // Only the child's module changes: the card's module is rebuilt because its analysis read it.
      fs.writeFileSync(path.join(dir, 'Child.jsx'), "import { useContext } from 'react';\nimport { ThemeContext } from './theme';\nexport function Child() {\n  return <i>{useContext(ThemeContext)}</i>;\n}\n");
      await run();
      expect(cardContexts()).toBe(1);
      await new Promise<void>((resolve) => compiler.close(() => resolve()));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SplicePlugin: value holes that call tailwind-merge', () => {
  it('hands the app\'s twMerge, its helper over a merger it configured and its variant functions to the edge with the edge module\'s renderer', async () => {
    const compiler = getCompiler({ target: 'node', context: path.join(fixtures, 'tailwind'), externals: { react: 'react', 'react/jsx-runtime': 'react/jsx-runtime', '@splice/client': '@splice/client' } });
    const stats = await compile(compiler);
    expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
    const manifest = validateManifest(JSON.parse(readAsset(compiler, 'splice-manifest.json')));
    const badge = Object.values(manifest.components).find((c) => c.name === 'Badge')!;
    expect(badge.props.className).toEqual({ tier: 'value' });
    const title = Object.values(manifest.components).find((c) => c.name === 'Title')!;
    expect(title.props.size).toEqual({ tier: 'value' });
    expect(title.elements[0]!.attrs.find((a) => a.name === 'class')?.hole).toMatchObject({ kind: 'host', fn: 'tokens.js#tw' });
    // A variant function (class-variance-authority), imported from the module that exports it.
    const chip = Object.values(manifest.components).find((c) => c.name === 'Chip')!;
    expect(chip.props.tone).toEqual({ tier: 'value' });
    expect(chip.elements[0]!.attrs.find((a) => a.name === 'class')?.hole).toMatchObject({ kind: 'host', fn: 'variants.js#chipVariants' });
    // The edge module, run as a worker would import it: its renderer carries tailwind-merge's function.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-edge-hosts-'));
    try {
      const file = path.join(dir, 'splice-edge.mjs');
      fs.writeFileSync(file, readAsset(compiler, 'splice-edge.mjs'));
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(m.renderer.hosts.twMerge('px-2 text-xs px-4')); console.log(m.renderer.hosts['tokens.js#tw']('text-sm', 'text-display')); console.log(m.renderer.hosts['variants.js#chipVariants']({ tone: 'warn' }));`], { encoding: 'utf8' });
      // The package's merging, the project's (its `text-display` is a font size, so it replaces
      // `text-sm`), and the variant function the app configured.
      expect(out.trim().split('\n')).toEqual(['text-xs px-4', 'text-display', 'rounded-full px-2 bg-amber-100']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SplicePlugin: the analysis reads the files the bundle imports', () => {
  // `tokens.js` and `tokens.jsx` side by side: webpack takes the first of `resolve.extensions`
  // that exists, and the constant copied into the hole must be the one the bundle renders.
  it.each([[['.js', '.jsx'], 'from-js'], [['.jsx', '.js'], 'from-jsx']] as [string[], string][])('resolve.extensions %j: the hole holds %s', async (extensions, expected) => {
    const compiler = getCompiler({ mode: 'development', devtool: false, target: 'node', context: path.join(fixtures, 'resolution'), resolve: { extensions } });
    const stats = await compile(compiler);
    expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
    const manifest = validateManifest(JSON.parse(readAsset(compiler, 'splice-manifest.json')));
    const label = Object.values(manifest.components).find((c) => c.name === 'Label')!;
    expect(JSON.stringify(label.elements[0]!.attrs.find((a) => a.name === 'title')?.hole)).toContain(JSON.stringify(expected));
    // The bundle itself renders that file's value.
    expect(readAsset(compiler, 'bundle.js')).toContain(expected);
    expect(readAsset(compiler, 'bundle.js')).not.toContain(expected === 'from-js' ? 'from-jsx' : "'from-js'");
  });
});

describe('SplicePlugin: the component map and the config check', () => {
  it('emits splice-components.d.ts in a Node build (none in a browser build): the overridable props, typed', async () => {
    const { compiler: node, stats } = await nodeBuild();
    expect(stats.hasErrors()).toBe(false);
    const map = readAsset(node, 'splice-components.d.ts');
    // A JavaScript app declares no types: any JSON value. Price's props are all refused (functions, and cents only reaches them).
    expect(map).toContain('"Hero": { "href": JsonValue; "title": JsonValue };');
    expect(map).toContain('"Badge": { "label": JsonValue };');
    expect(map).toContain('export type SpliceComponents = {');
    const web = getCompiler();
    await compile(web);
    expect(() => readAsset(web, 'splice-components.d.ts')).toThrow();
  });

  it('accepts a config whose overrides name components and props of the build', async () => {
    const stats = await compile(getCompiler({ mode: 'development', devtool: false, target: 'node', plugins: [new SplicePlugin({ config: 'splice.config.good.ts' })] }));
    expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
  });

  it('fails the build on a misspelled component, an unknown prop and a refused prop, in the config and the modules it imports, with the reason and a code frame', async () => {
    const stats = await compile(getCompiler({ mode: 'development', devtool: false, target: 'node', plugins: [new SplicePlugin({ config: 'splice.config.bad.ts' })] }));
    const errors = stats.toJson({ all: false, errors: true }).errors!.map((e) => e.message);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^splice\.config\.bad\.ts:4:\d+ - SPLICE040: no component "Heor" in this build: did you mean "Hero"\?/);
    expect(errors[0]).toContain("> 4 |");
    expect(errors[1]).toMatch(/^splice\.config\.bad\.ts:5:\d+ - SPLICE042: Price's prop "format" cannot be overridden: .+\(SPLICE03\d\)/);
    expect(errors[2]).toMatch(/^variants\.bad\.ts:1:\d+ - SPLICE041: Hero \(Hero\.jsx\) has no prop "titel"; the props an override may set: href, title/);
  });
});

describe('SplicePlugin: a development build that fails', () => {
  it('keeps the last good manifest, component map and edge module, and says so: the edge never pairs a failed build\'s manifest with the edge module it did not rebuild', async () => {
    const dir = workDir('failed-rebuild-', true);
    try {
      // Development mode writes the output of a build with errors (optimization.emitOnErrors), as
      // watch mode and dev servers do; `clean` removes every file the build does not emit.
      const compiler = getCompiler({ mode: 'development', devtool: false, target: 'node', context: dir, cache: { type: 'memory' }, output: { path: '/out', filename: 'bundle.js', library: { type: 'commonjs2' }, clean: true } });
      const run = () => new Promise<Stats>((resolve, reject) => compiler.run((e, stats) => (e ? reject(e) : resolve(stats!))));
      const good = await run();
      expect(good.hasErrors()).toBe(false);
      const assets = ['splice-manifest.json', 'splice-components.d.ts', 'splice-edge.mjs'];
      const before = assets.map((a) => readAsset(compiler, a));
      expect(before[0]).toContain('Badge');
      const badge = fs.readFileSync(path.join(dir, 'Badge.jsx'), 'utf8');
      fs.writeFileSync(path.join(dir, 'Badge.jsx'), badge.replace('</span>', '</div>'));
      const failed = await run();
      expect(failed.hasErrors()).toBe(true);
      expect(assets.map((a) => readAsset(compiler, a))).toEqual(before);
      const warnings = (failed.toJson({ all: false, warnings: true }).warnings ?? []).map((w) => w.message);
      expect(warnings).toEqual([expect.stringContaining('SPLICE052: the build has errors: splice-manifest.json and splice-components.d.ts are the last good build\'s')]);
      // Fixed: the next build writes its own again.
      fs.writeFileSync(path.join(dir, 'Badge.jsx'), badge.replace('className="badge"', 'className="badge-fixed"'));
      const fixed = await run();
      expect(fixed.hasErrors()).toBe(false);
      expect(fixed.hasWarnings()).toBe(false);
      expect(readAsset(compiler, 'splice-edge.mjs')).toContain('"badge-fixed"');
      await new Promise<void>((resolve) => compiler.close(() => resolve()));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes no manifest when no build has succeeded yet, and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-first-failed-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.jsx'), 'export function Broken({ a }) {\n  return <div>{a}</span>;\n}\n');
      const compiler = getCompiler({ mode: 'development', devtool: false, target: 'node', context: dir, plugins: [new SplicePlugin({ edgeModule: false })] });
      const stats = await compile(compiler);
      expect(stats.hasErrors()).toBe(true);
      expect(() => readAsset(compiler, 'splice-manifest.json')).toThrow();
      const warnings = (stats.toJson({ all: false, warnings: true }).warnings ?? []).map((w) => w.message);
      expect(warnings).toEqual([expect.stringContaining('SPLICE052: the build has errors: no splice-manifest.json or splice-components.d.ts is written')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
