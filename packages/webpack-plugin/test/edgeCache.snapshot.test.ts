import * as fs from 'fs';
import * as path from 'path';
import { SplicePlugin } from '@splice/webpack-plugin';
import { buildApp, workDir } from './helpers';

jest.setTimeout(120_000);

/**
 * A component in a package under node_modules that is edited in place (a linked workspace
 * package with `resolve.symlinks: false`, a patched package): webpack snapshots files under its
 * managed paths by the package's version only, so the app says `snapshot.managedPaths: []`.
 */
describe('SplicePlugin: the edge module\'s disk cache follows the app\'s snapshot options', () => {
  it('an edited component in a package the app does not treat as managed is built again for the edge module too', async () => {
    const repoModules = path.resolve(__dirname, '../../../node_modules');
    const pkg = path.join(repoModules, 'splice-review-ui');
    const dir = workDir('edge-snapshot-');
    const cacheDirectory = path.join(dir, '.cache');
    try {
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'splice-review-ui', version: '1.0.0' }));
      fs.writeFileSync(path.join(pkg, 'Badge.jsx'), 'export function Badge({ label }) { return label ? <span className="badge">{label}</span> : null; }\n');
      fs.writeFileSync(path.join(dir, 'index.jsx'), "export { Badge } from 'splice-review-ui/Badge.jsx';\n");
      const build = (cache: boolean) => buildApp(dir, cache && cacheDirectory, {
        snapshot: { managedPaths: [] },
        module: { rules: [{ test: /\.jsx$/, use: { loader: require.resolve('babel-loader'), options: { babelrc: false, configFile: false, presets: [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }]] } } }] },
        plugins: [new SplicePlugin({ exclude: /^$/ })],
      });
      expect((await build(true)).edge).toContain('"badge"');
      fs.writeFileSync(path.join(pkg, 'Badge.jsx'), fs.readFileSync(path.join(pkg, 'Badge.jsx'), 'utf8').replace('className="badge"', 'className="badge-edited"'));
      const warm = await build(true);
      // The app's own build takes the edit (its snapshot options)...
      expect(warm.bundle).toContain('"badge-edited"');
      // ...and so must the edge module, which re-renders the same component.
      expect(warm.edge).toContain('"badge-edited"');
      expect(warm.edge).toBe((await build(false)).edge);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(pkg, { recursive: true, force: true });
    }
  });
});
