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
      expect(r.stdout).toContain('Usage: splice analyze [--json] [--inline-env NAME]... <dir|file>...');
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
