import * as path from 'path';
import type { RuleSetRule } from 'webpack';
import { compile, fixtures, getCompiler } from './helpers';

jest.setTimeout(60_000);

function build(rule: RuleSetRule) {
  return compile(
    getCompiler({
      context: path.join(fixtures, 'tsx'),
      entry: './index.ts',
      resolve: { extensions: ['.tsx', '.ts', '.js'] },
      module: { rules: [{ test: /\.tsx?$/, ...rule }] },
    }),
  );
}

describe('SplicePlugin: ts-loader with TypeScript 7', () => {
  // The repository's own TypeScript is 7, which has no JavaScript API: ts-loader alone fails on
  // every module with "Cannot read properties of undefined (reading 'fileExists')".
  it.each<[string, RuleSetRule]>([
    ['by name', { loader: 'ts-loader', options: { transpileOnly: true } }],
    ['by path, in `use`', { use: [{ loader: require.resolve('ts-loader') }] }],
    ['in a `oneOf`', { oneOf: [{ use: ['ts-loader'] }] }],
  ])('fails the build before compiling, with SPLICE050 and what to do instead (ts-loader %s)', async (_, rule) => {
    const failure = await build(rule).then(
      (stats) => `no error: ${stats.toString('errors-only')}`,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/^SPLICE050: ts-loader cannot compile with TypeScript 7\.0\.2 \(.*typescript\)/);
    expect(failure).toContain('babel-loader with @babel/preset-typescript, swc-loader or esbuild-loader');
    expect(failure).toContain("compiler: 'typescript5'");
  });

  it('leaves ts-loader alone when it is given a TypeScript 5 of its own (its `compiler` option)', async () => {
    const stats = await build({ loader: 'ts-loader', options: { transpileOnly: true, compiler: path.join(fixtures, 'typescript5') } });
    expect(stats.toString('errors-only')).not.toContain('SPLICE050');
  });

  it('reads that option given as a query string or as JSON text too (review finding)', async () => {
    const ts5 = path.join(fixtures, 'typescript5');
    const query = await build({ use: `ts-loader?transpileOnly=true&compiler=${encodeURIComponent(ts5)}` });
    expect(query.toString('errors-only')).not.toContain('SPLICE050');
    const json = await build({ loader: 'ts-loader', options: JSON.stringify({ transpileOnly: true, compiler: ts5 }) as never });
    expect(json.toString('errors-only')).not.toContain('SPLICE050');
  });
});
