import * as fs from 'fs';
import * as path from 'path';
import { compile, diskCache, getCompiler, workDir } from './helpers';

jest.setTimeout(60_000);

describe('SplicePlugin: the edge module\'s disk cache follows the app\'s', () => {
  it('writes nothing to a cache the app keeps read-only (cache.readonly)', async () => {
    const dir = workDir('edge-readonly-', true);
    const cacheDirectory = path.join(dir, '.cache');
    try {
      const stats = await compile(getCompiler({ mode: 'development', target: 'node', context: dir, cache: { ...diskCache(cacheDirectory), readonly: true } }));
      expect(stats.hasErrors()).toBe(false);
      // The app's build wrote nothing there; the edge module's build must not either.
      expect(fs.existsSync(cacheDirectory) ? fs.readdirSync(cacheDirectory) : []).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
