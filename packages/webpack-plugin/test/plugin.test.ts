import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateManifest } from '@splice/manifest';
import { compile, getCompiler, readAsset, userRules } from './helpers';

jest.setTimeout(60_000);

describe('SplicePlugin', () => {
  it('emits a valid splice-manifest.json for the app, with the components and their holes', async () => {
    const compiler = getCompiler();
    const stats = await compile(compiler);
    expect(stats.hasErrors()).toBe(false);
    const manifest = validateManifest(JSON.parse(readAsset(compiler, 'splice-manifest.json')));
    const entries = Object.entries(manifest.components);
    expect(entries.map(([, c]) => c.name)).toEqual(['Hero']);
    const [key, hero] = entries[0]!;
    expect(key).toMatch(/^Hero\.\w+$/);
    expect(hero.file).toBe('Hero.jsx');
    expect(hero.props.title).toMatchObject({ patchable: true });
    expect(hero.props.href).toMatchObject({ patchable: true });
    expect(hero.elements.some((e) => e.tag === 'h1' && e.text?.[0]?.kind === 'hole')).toBe(true);
    expect(manifest.buildId).toMatch(/^\w+$/);
    // The instrumented code went through the user's babel-loader and into the bundle.
    expect(readAsset(compiler, 'bundle.js')).toContain('data-splice');
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
      const cold = getCompiler({ cache });
      await compile(cold);
      const warm = getCompiler({ cache });
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

  it('logs why a prop is not patchable at info level, with code and frame', async () => {
    const compiler = getCompiler();
    const stats = await compile(compiler);
    const logging = stats.toJson({ all: false, logging: 'info', loggingTrace: false }).logging ?? {};
    const entries = Object.values(logging).flatMap((l: any) => l.entries).map((e: any) => e.message).join('\n');
    expect(entries).toMatch(/Badge\.jsx:1:\d+ - SPLICE010: `label`/);
    expect(entries).toContain('> 1 |');
  });
});
