import * as fs from 'fs';
import * as path from 'path';
import { compile, fixtures, getCompiler } from './helpers';

jest.setTimeout(60_000);

describe('SplicePlugin: the edge module\'s disk cache follows the app\'s', () => {
  it('writes nothing to a cache the app keeps read-only (cache.readonly)', async () => {
    fs.mkdirSync(path.join(__dirname, '.work'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(__dirname, '.work', 'edge-readonly-'));
    const cacheDirectory = path.join(dir, '.cache');
    try {
      for (const f of fs.readdirSync(path.join(fixtures, 'app'))) fs.copyFileSync(path.join(fixtures, 'app', f), path.join(dir, f));
      const stats = await compile(getCompiler({ mode: 'development', target: 'node', context: dir, cache: { type: 'filesystem', cacheDirectory, buildDependencies: {}, readonly: true } }));
      expect(stats.hasErrors()).toBe(false);
      // The app's build wrote nothing there; the edge module's build must not either.
      expect(fs.existsSync(cacheDirectory) ? fs.readdirSync(cacheDirectory) : []).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
