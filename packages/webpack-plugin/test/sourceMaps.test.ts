import * as fs from 'fs';
import * as path from 'path';
import { SourceMap } from 'module';
import type { RuleSetRule } from 'webpack';
import { compile, fixtures, getCompiler, readAsset } from './helpers';

jest.setTimeout(60_000);

const dir = path.join(fixtures, 'tsx');
const original = fs.readFileSync(path.join(dir, 'Card.tsx'), 'utf8');

// The loader the plugin adds (jest runs the plugin from source): placed by hand in a rule, it stays where it is put.
const spliceLoader = require.resolve('../src/loader');
const esbuild = (jsx: 'automatic' | 'preserve'): RuleSetRule => ({ loader: require.resolve('esbuild-loader'), options: { loader: 'tsx', jsx, target: 'es2022' } });
const babel: RuleSetRule = {
  loader: require.resolve('babel-loader'),
  options: { babelrc: false, configFile: false, presets: [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }], require.resolve('@babel/preset-typescript')] },
};

async function build(rule: RuleSetRule) {
  const compiler = getCompiler({
    mode: 'development',
    devtool: 'source-map',
    context: dir,
    entry: './index.ts',
    resolve: { extensions: ['.tsx', '.ts', '.js'] },
    module: { rules: [{ test: /\.tsx?$/, ...rule }] },
  });
  const stats = await compile(compiler);
  expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
  return { code: readAsset(compiler, 'bundle.js'), map: JSON.parse(readAsset(compiler, 'bundle.js.map')) };
}

/** Where the bundle's first occurrence of `token` comes from, by the bundle's source map. */
function origin(bundle: { code: string; map: any }, token: string) {
  const lines = bundle.code.split('\n');
  const line = lines.findIndex((l) => l.includes(token));
  expect(line).toBeGreaterThanOrEqual(0);
  const entry = new SourceMap(bundle.map).findEntry(line, lines[line]!.indexOf(token));
  expect('originalSource' in entry).toBe(true);
  const { originalSource, originalLine } = entry as { originalSource: string; originalLine: number };
  return { source: originalSource, line: originalLine + 1, content: bundle.map.sourcesContent[bundle.map.sources.indexOf(originalSource)] as string };
}

const lineOf = (token: string) => original.split('\n').findIndex((l) => l.includes(token)) + 1;

describe('SplicePlugin: source maps', () => {
  it.each([
    // esbuild-loader ignores the map of the loaders before it (esbuild cannot take one).
    ['esbuild-loader, whose map is of the code it was given (Splice\'s output)', esbuild('automatic')],
    ['babel-loader, which chains the map it is given', babel],
    // esbuild strips the types first; Splice instruments what it gets, then babel turns the JSX into calls.
    ['a loader run before Splice\'s (esbuild, JSX kept), whose map Splice chains', { use: [babel, { loader: spliceLoader }, esbuild('preserve')] }],
  ])('point at the lines of the original .tsx through %s', async (_, rule) => {
    const bundle = await build(rule);
    expect(bundle.code).toContain('data-splice');
    for (const token of ['caption-text', 'count > 1', 'setOpen(!open)', 'card"']) {
      const at = origin(bundle, token);
      expect(at.source).toMatch(/Card\.tsx$/);
      expect({ token, line: at.line }).toEqual({ token, line: lineOf(token) });
      // The source shown in devtools is the file as written, not Splice's (or esbuild's) output.
      expect(at.content).toBe(original);
    }
  });
});
