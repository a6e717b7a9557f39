import { APP_COUNTS } from './expected';
import * as path from 'path';
import { analyzePaths, analyzeSources, displayPath, findSourceFiles, formatReport, MissingPathError, type AnalyzeReport } from '@splice/cli';

const pkg = path.join(__dirname, '..');
const app = 'test/fixtures/app';

// A clock that advances 1 ms per call, so every compile "takes" exactly 1 ms.
function fakeClock(): () => number {
  let t = 0;
  return () => t++;
}

function analyzeFixture(): AnalyzeReport {
  return analyzePaths([app], { cwd: pkg, now: fakeClock() });
}

describe('findSourceFiles', () => {
  it('walks recursively, skipping node_modules, dist, declarations and non-source files', () => {
    const { files, missing } = findSourceFiles([app], pkg);
    expect(missing).toEqual([]);
    expect(files.map((f) => path.relative(path.join(pkg, app), f).split(path.sep).join('/'))).toEqual([
      'src/Broken.jsx',
      'src/components/FancyInput.jsx',
      'src/components/Greeting.jsx',
      'src/components/SaleBadge.tsx',
      'src/components/ViewportWidth.jsx',
      'src/format.ts',
    ]);
  });

  it('takes a file named explicitly, once, and reports missing paths as given', () => {
    const greeting = `${app}/src/components/Greeting.jsx`;
    const { files, missing } = findSourceFiles([greeting, app, 'nope/here'], pkg);
    expect(files.filter((f) => f.endsWith('Greeting.jsx'))).toHaveLength(1);
    expect(missing).toEqual(['nope/here']);
  });
});

describe('analyzePaths', () => {
  it('reports every component with its props, relative to the working directory', () => {
    const { components } = analyzeFixture();
    expect(components).toEqual([
      {
        name: 'Greeting',
        file: `${app}/src/components/Greeting.jsx`,
        line: 2,
        props: { name: { tier: 'value' }, tone: { tier: 'value' } },
      },
      {
        name: 'SaleBadge',
        file: `${app}/src/components/SaleBadge.tsx`,
        line: 6,
        props: {
          label: { tier: 'value' },
          onSale: { tier: 'structural', code: 'SPLICE010', reason: expect.stringContaining('condition') },
          onDismiss: { tier: 'none', code: 'SPLICE036', reason: expect.stringContaining('event handler') },
        },
        replays: ['useTranslations (next-intl)'],
      },
      {
        name: 'ViewportWidth',
        file: `${app}/src/components/ViewportWidth.jsx`,
        line: 2,
        props: { unit: { tier: 'none', code: 'SPLICE030', reason: expect.stringContaining('window') } },
      },
    ]);
  });

  it('sums up tiers, refusals, refused components, failed files and timings', () => {
    const { summary } = analyzeFixture();
    expect(summary).toEqual({
      ...APP_COUNTS,
      slowest: expect.any(Array),
      refusedComponents: { SPLICE020: 1 },
      failedFiles: [{ file: `${app}/src/Broken.jsx`, line: expect.any(Number), code: 'SPLICE001', message: expect.any(String) }],
      // The fixture app's nearest package.json (packages/cli's) does not declare next.
      frameworkEnv: [],
    });
    expect(summary.slowest).toHaveLength(6);
    expect(summary.slowest.every((s) => s.ms === 1)).toBe(true);
    // Ties keep a stable order: by file.
    expect(summary.slowest.map((s) => s.file)).toEqual([...summary.slowest.map((s) => s.file)].sort());
  });

  it('is plain JSON: serializing keeps every field', () => {
    const report = analyzeFixture();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('throws MissingPathError for a path that does not exist', () => {
    expect(() => analyzePaths(['does-not-exist'], { cwd: pkg })).toThrow(MissingPathError);
  });

  it('reports no files for a folder without sources', () => {
    const { summary } = analyzePaths(['test/fixtures/empty'], { cwd: pkg });
    expect(summary).toMatchObject({ files: 0, components: 0, props: 0, patchableShare: 0, slowest: [] });
  });
});

describe('analyzeSources', () => {
  it('parses decorators, in both the standard and the legacy (experimentalDecorators) syntax, and auto-accessors', () => {
    const component = 'export function Card({ title }: { title: string }) {\n  return <h2>{title}</h2>;\n}\n';
    const sources = [
      { path: path.join(pkg, 'Standard.tsx'), code: `class Store {\n  @logged total() { return 1; }\n  accessor count = 0;\n}\nexport @sealed class Other {}\n${component}` },
      { path: path.join(pkg, 'Legacy.tsx'), code: `@Injectable()\nclass Service {\n  constructor(@Inject(TOKEN) private readonly http: unknown) {}\n}\n${component}` },
      { path: path.join(pkg, 'Mobx.jsx'), code: 'class Store {\n  @observable count = 0;\n}\nexport function Card({ title }) {\n  return <h2>{title}</h2>;\n}\n' },
    ];
    const report = analyzeSources(sources, { cwd: pkg, now: fakeClock() });
    expect(report.summary.failedFiles).toEqual([]);
    expect(report.components.map((c) => `${c.file}#${c.name}`)).toEqual(['Standard.tsx#Card', 'Legacy.tsx#Card', 'Mobx.jsx#Card']);
  });

  it('parses a CommonJS script as a script: sloppy-mode code (a legacy octal mode) is not a syntax error; an ES module still is strict', () => {
    const script = "const fs = require('fs');\nfunction Card({ title }) {\n  fs.mkdirSync('/tmp/x', 0755);\n  return <h2>{title}</h2>;\n}\nmodule.exports = { Card };\n";
    const report = analyzeSources([
      { path: path.join(pkg, 'Script.jsx'), code: script },
      { path: path.join(pkg, 'Strict.mjs'), code: 'export const mode = 0755;\nexport function Card({ title }) {\n  return <h2>{title}</h2>;\n}\n' },
    ], { cwd: pkg, now: fakeClock() });
    expect(report.components.map((c) => `${c.file}#${c.name}`)).toEqual(['Script.jsx#Card']);
    expect(report.summary.failedFiles).toMatchObject([{ file: 'Strict.mjs', line: 1, code: 'SPLICE001' }]);
  });

  it('parses Flow-annotated JavaScript (what @babel/preset-flow builds), and still reports a real syntax error in it at its line', () => {
    const flow = '// @flow\nimport type { Node } from "react";\ntype Props = {| title: string, count?: number |};\nexport function Card({ title }: Props): Node {\n  return <h2>{title}</h2>;\n}\n';
    const report = analyzeSources([
      { path: path.join(pkg, 'Card.js'), code: flow },
      { path: path.join(pkg, 'Bad.js'), code: flow.replace('</h2>', '</span>') },
    ], { cwd: pkg, now: fakeClock() });
    expect(report.components.map((c) => `${c.file}#${c.name}`)).toEqual(['Card.js#Card']);
    expect(report.components[0]!.props).toEqual({ title: { tier: 'value' } });
    expect(report.summary.failedFiles).toMatchObject([{ file: 'Bad.js', line: 5, code: 'SPLICE001' }]);
  });

  it('still reports a real syntax error in a file with decorators, at its line', () => {
    const report = analyzeSources([{ path: path.join(pkg, 'Bad.tsx'), code: 'class Store {\n  @logged total() { return 1; }\n}\nexport function Card({ title }) {\n  return <h2>{title}</span>;\n}\n' }], { cwd: pkg, now: fakeClock() });
    expect(report.summary.failedFiles).toMatchObject([{ file: 'Bad.tsx', line: 5, code: 'SPLICE001' }]);
  });
});

describe('displayPath', () => {
  it('is relative inside the working directory and absolute outside it', () => {
    const cwd = path.join(pkg, 'test');
    expect(displayPath(path.join(cwd, 'a', 'b.tsx'), cwd)).toBe('a/b.tsx');
    expect(displayPath(path.join(pkg, 'src', 'x.ts'), cwd)).toBe(path.join(pkg, 'src', 'x.ts').split(path.sep).join('/'));
  });
});

describe('formatReport', () => {
  it('prints counts, shares, refusals by code and the slowest files', () => {
    const text = formatReport(analyzeFixture());
    expect(text).toMatch(/files\s+6/);
    expect(text).toMatch(/components\s+3/);
    expect(text).toMatch(/value\s+3\s+50\.0%/);
    expect(text).toMatch(/structural\s+1\s+16\.7%/);
    expect(text).toMatch(/none\s+2\s+33\.3%/);
    expect(text).toMatch(/value \+ structural\s+4\s+66\.7%/);
    expect(text).toContain('Rendered props (event handlers left out, SPLICE036: 1): 5, of which value + structural: 80.0%');
    expect(text).toMatch(/SPLICE030\s+1\s+50\.0%/);
    expect(text).toMatch(/SPLICE020\s+1/);
    expect(text).toContain(`${app}/src/Broken.jsx`);
    expect(text).toContain('Slowest files (of 6)');
  });
});
