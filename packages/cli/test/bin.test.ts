import { APP_COUNTS } from './expected';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/bin';

const repo = path.join(__dirname, '..', '..', '..');
const fixture = 'packages/cli/test/fixtures/app';

function run(argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('splice (in process)', () => {
  const cwd = process.cwd();
  beforeAll(() => process.chdir(repo));
  afterAll(() => process.chdir(cwd));

  it('prints usage for --help and exits 0', () => {
    for (const argv of [['--help'], ['analyze', '--help']]) {
      const r = run(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: splice analyze [--json] [--inline-env NAME]... [--no-framework-env] <dir|file>...');
    }
  });

  it('exits 2 with usage on stderr for no command, an unknown command or option, or no paths', () => {
    for (const argv of [[], ['lint'], ['analyze', '--xml', fixture], ['analyze', '--json']]) {
      const r = run(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage:');
    }
  });

  it('--inline-env: a component that reads a process.env name the build replaces can be re-rendered; any other name, or a malformed one, cannot', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-inline-env-'));
    try {
      fs.writeFileSync(path.join(dir, 'config.ts'), 'export const locale = () => process.env.NEXT_PUBLIC_LOCALE ?? "en";\n');
      fs.writeFileSync(path.join(dir, 'Price.tsx'), "import { locale } from './config';\nexport function Price({ cents }: { cents: number }) { return cents > 0 ? <b lang={locale()}>{cents}</b> : null; }\n");
      const tier = (argv: string[]) => {
        const r = run(['analyze', '--json', ...argv, dir]);
        expect(r.code).toBe(0);
        return JSON.parse(r.stdout).components[0].props.cents;
      };
      expect(tier([])).toMatchObject({ tier: 'none', code: 'SPLICE030' });
      expect(tier(['--inline-env', 'NEXT_PUBLIC_*'])).toMatchObject({ tier: 'structural' });
      expect(tier(['--inline-env=NEXT_PUBLIC_LOCALE'])).toMatchObject({ tier: 'structural' });
      expect(tier(['--inline-env', 'OTHER'])).toMatchObject({ tier: 'none', code: 'SPLICE030' });
      for (const argv of [['--inline-env'], ['--inline-env', 'a-b']]) {
        const r = run(['analyze', ...argv, dir]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('--inline-env needs a process.env name');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('NEXT_PUBLIC_* count as inlined in a package that declares next (the nearest package.json decides), unless --no-framework-env', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-framework-env-'));
    const component = "export function Price({ cents }: { cents: number }) { return cents > 0 ? <b lang={process.env.NEXT_PUBLIC_LOCALE}>{cents}</b> : null; }\n";
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    try {
      write('app/package.json', JSON.stringify({ name: 'shop', dependencies: { next: '16.0.0', react: '19.2.0' } }));
      write('app/src/ui/Price.tsx', component);
      write('theme/package.json', JSON.stringify({ name: 'theme', peerDependencies: { next: '>=14' } }));
      write('theme/src/Price.tsx', component);
      // Nearest package.json wins: a package inside the app's folder that does not declare next.
      write('app/packages/lib/package.json', JSON.stringify({ name: 'lib', dependencies: { react: '19.2.0' } }));
      write('app/packages/lib/Price.tsx', component);
      write('plain/package.json', JSON.stringify({ name: 'plain', devDependencies: { nextra: '4.0.0' } }));
      write('plain/Price.tsx', component);
      write('broken/package.json', '{ "dependencies": { "next": ');
      write('broken/Price.tsx', component);
      // A file whose process.env read is not a NEXT_PUBLIC_ name stays refused even under next.
      write('app/src/Secret.tsx', "export function Secret({ on }: { on: boolean }) { return on ? <i>{process.env.SECRET}</i> : null; }\n");

      const tiers = (argv: string[]) => {
        const r = run(['analyze', '--json', ...argv, dir]);
        expect(r.code).toBe(0);
        const report = JSON.parse(r.stdout);
        const out: Record<string, string> = {};
        for (const c of report.components) out[path.relative(fs.realpathSync(dir), fs.realpathSync(path.resolve(repo, c.file))).split(path.sep).join('/')] = Object.values(c.props as Record<string, { tier: string }>)[0]!.tier;
        return { out, frameworkEnv: report.summary.frameworkEnv };
      };
      const on = tiers([]);
      expect(on.out).toEqual({
        'app/src/ui/Price.tsx': 'structural',
        'theme/src/Price.tsx': 'structural',
        'app/packages/lib/Price.tsx': 'none',
        'plain/Price.tsx': 'none',
        'broken/Price.tsx': 'none',
        'app/src/Secret.tsx': 'none',
      });
      expect(on.frameworkEnv.map((f: { packageJson: string; files: number; inlinedEnv: string[]; framework: string }) => [path.basename(path.dirname(f.packageJson)), f.files, f.inlinedEnv, f.framework]).sort()).toEqual([
        ['app', 2, ['NEXT_PUBLIC_*'], 'Next.js'],
        ['theme', 1, ['NEXT_PUBLIC_*'], 'Next.js'],
      ]);
      const off = tiers(['--no-framework-env']);
      expect(Object.values(off.out)).toEqual(Object.values(off.out).map(() => 'none'));
      expect(off.frameworkEnv).toEqual([]);

      const plain = run(['analyze', dir]);
      expect(plain.stdout).toMatch(/counted as inlined.*--no-framework-env to not\):\n  NEXT_PUBLIC_\* \(Next\.js\) in 2 files of .*app\/package\.json\n  NEXT_PUBLIC_\* \(Next\.js\) in 1 file of .*theme\/package\.json/);
      expect(run(['analyze', '--no-framework-env', dir]).stdout).not.toContain('counted as inlined');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 naming a path that does not exist', () => {
    const r = run(['analyze', fixture, 'no/such/dir']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining('no/such/dir') });
  });

  it('exits 1 when no source files are found', () => {
    const r = run(['analyze', 'packages/cli/test/fixtures/empty']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no source files');
  });

  it('prints the table without --json', () => {
    const r = run(['analyze', fixture]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/value \+ structural\s+4\s+66\.7%/);
    expect(r.stdout).toContain('Rendered props (event handlers left out, SPLICE036: 1): 5, of which value + structural: 80.0%');
  });
});

describe('the built bin', () => {
  beforeAll(() => {
    // Incremental: cheap when dist is up to date, and keeps the test honest when it is not.
    execFileSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'packages/cli'], { cwd: repo, stdio: 'pipe' });
  }, 120_000);

  it('prints exactly one JSON object and exits 0', () => {
    const r = spawnSync(process.execPath, ['packages/cli/bin/splice.js', 'analyze', '--json', fixture], { cwd: repo, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['components', 'summary']);
    expect(report.components.map((c: { name: string }) => c.name)).toEqual(['Greeting', 'SaleBadge', 'ViewportWidth']);
    expect(report.components[0].file).toBe(`${fixture}/src/components/Greeting.jsx`);
    expect(report.summary).toMatchObject(APP_COUNTS);
    expect(report.summary.slowest[0]).toEqual({ file: expect.any(String), ms: expect.any(Number) });
  });
});
