/**
 * The handler's fault scenarios (handlerFaults.ts), the experiment scenarios (experiments.ts) and
 * the cache scenarios (cache.ts, against workerd's own Cache API), bundled into one worker and run
 * in workerd (miniflare): the same expectations as in Node.
 */
import * as fs from 'fs';
import * as path from 'path';
import webpack from 'webpack';
import { createTestEdge } from '@splice/dev';
import type { TestEdge } from '@splice/dev';
import { expectations } from './handlerFaults.expect';
import type { Outcome } from './handlerFaults';
import { experimentExpectations } from './experiments.expect';
import { cacheExpectations } from './cache.expect';

jest.setTimeout(120_000);

const OUT = path.join(__dirname, '.build-faults');

function bundle(): Promise<string> {
  fs.mkdirSync(OUT, { recursive: true });
  const entry = path.join(OUT, 'entry.js');
  fs.writeFileSync(entry, `import { scenarios } from '../handlerFaults';
import { experimentScenarios } from '../experiments';
import { cacheScenarios } from '../cache';
export default {
  async fetch(request) {
    const [, set, name] = new URL(request.url).pathname.split('/');
    const sets = { faults: scenarios, experiments: experimentScenarios, cache: cacheScenarios };
    return Response.json(await sets[set][name]());
  },
};
`);
  return new Promise((resolve, reject) => {
    webpack({
      mode: 'production',
      target: 'webworker',
      context: __dirname,
      entry,
      devtool: false,
      resolve: { extensions: ['.ts', '.js'], conditionNames: ['workerd', 'worker', 'browser', 'import', 'module', 'default'] },
      module: {
        rules: [{
          test: /\.ts$/,
          exclude: /node_modules/,
          use: { loader: require.resolve('babel-loader'), options: { babelrc: false, configFile: false, presets: [[require.resolve('@babel/preset-typescript'), {}]] } },
        }],
      },
      experiments: { outputModule: true },
      optimization: { minimize: false },
      output: { path: OUT, filename: 'worker.mjs', library: { type: 'module' }, chunkFormat: 'module' },
      infrastructureLogging: { level: 'error' },
      stats: 'errors-only',
    }, (error, stats) => {
      if (error) return reject(error);
      if (stats!.hasErrors()) return reject(new Error(stats!.toString({ all: false, errors: true })));
      resolve(path.join(OUT, 'worker.mjs'));
    });
  });
}

let edge: TestEdge;
beforeAll(async () => {
  edge = await createTestEdge({ scriptPath: await bundle() });
});
afterAll(async () => {
  await edge?.dispose();
});

describe('handleSpliceRequest, faults found by trying it (workerd)', () => {
  it.each(Object.keys(expectations))('%s', async (name) => {
    const res = await edge.fetch(`/faults/${name}`);
    expect(res.status).toBe(200);
    expectations[name]!((await res.json()) as Outcome);
  });
});

describe('createEdgeHandler: an experiment end to end (workerd)', () => {
  it.each(Object.keys(experimentExpectations))('%s', async (name) => {
    const res = await edge.fetch(`/experiments/${name}`);
    expect(res.status).toBe(200);
    experimentExpectations[name]!(await res.json());
  });
});

describe('the edge cache of base pages (workerd, its Cache API)', () => {
  it.each(Object.keys(cacheExpectations))('%s', async (name) => {
    const res = await edge.fetch(`/cache/${name}`);
    expect(res.status).toBe(200);
    cacheExpectations[name]!(await res.json());
  });
});
