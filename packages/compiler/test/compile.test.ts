import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { compile, formatDiagnostic, DIAGNOSTIC_CODES } from '@splice/compiler';
import { validateManifest, MANIFEST_SCHEMA_VERSION } from '@splice/manifest';
import { compileFixture, listFixtures } from './helpers';

const HERO = `export function Hero({ title }) {\n  return <h1>{title}</h1>;\n}\n`;

describe('compile', () => {
  it('reports a syntax error as SPLICE001 with a frame and returns the code untouched', () => {
    const code = 'export const A = () => <div>;\n';
    const r = compile(code, { filename: 'src/A.jsx', root: '' });
    expect(r).toMatchObject({ code, changed: false, components: {}, map: null });
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d).toMatchObject({ code: 'SPLICE001', severity: 'error', file: 'src/A.jsx', line: 1 });
    expect(d.frame).toContain('> 1 | export const A');
    expect(d.frame).not.toMatch(/\u001b\[/);
    expect(formatDiagnostic(d)).toBe(`src/A.jsx:1:${d.column} - SPLICE001: ${d.message}\n${d.frame}`);
  });

  it('never throws, whatever the input', () => {
    const jsxish = fc.array(fc.constantFrom('<', '>', '{', '}', '(', ')', 'p', 'A', ' ', '=', '/', 'props', '.', 'x', 'function ', 'export ', '=>', ',', '...', '"', '\n'), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), jsxish), fc.constantFrom('a.jsx', 'a.tsx', 'a.ts', 'a.js'), (code, file) => {
        const r = compile(code, { filename: file, root: '' });
        expect(typeof r.code).toBe('string');
        if (!r.changed) expect(r.code).toBe(code);
      }),
      { numRuns: 300 },
    );
  });

  it('skips files without JSX without parsing them (even invalid ones)', () => {
    const code = 'export const x = ;;; (';
    expect(compile(code, { filename: 'a.js', root: '' })).toEqual({ code, map: null, components: {}, diagnostics: [], changed: false });
  });

  it('parses .ts without JSX, so type assertions work', () => {
    const r = compile('const n = <number>(1 as unknown);\n', { filename: 'src/n.ts', root: '' });
    expect(r.diagnostics).toEqual([]);
    expect(r.changed).toBe(false);
  });

  it('makes paths relative to root, `/`-separated', () => {
    const root = path.join(path.sep, 'proj');
    const r = compile(HERO, { filename: path.join(root, 'src', 'ui', 'Hero.jsx'), root });
    expect(Object.values(r.components)[0]?.file).toBe('src/ui/Hero.jsx');
    expect(r.code).toContain('file: "src/ui/Hero.jsx"');
  });

  it('imports from the configured runtime module, and produces a source map on request', () => {
    const r = compile(HERO, { filename: 'src/Hero.jsx', root: '', runtimeModule: 'my-runtime', sourceMaps: true });
    expect(r.code.split('\n')[0]).toBe('import { useSpliceProps as _useSpliceProps } from "my-runtime";');
    expect(r.map).toMatchObject({ version: 3, sources: ['src/Hero.jsx'] });
    expect(compile(HERO, { filename: 'src/Hero.jsx', root: '' }).map).toBeNull();
  });

  it('leaves its own output alone', () => {
    const once = compile(HERO, { filename: 'src/Hero.jsx', root: '' });
    const twice = compile(once.code, { filename: 'src/Hero.jsx', root: '' });
    expect(twice).toMatchObject({ changed: false, code: once.code, diagnostics: [] });
  });

  it('is deterministic, and keys change when the analysis does', () => {
    const a = compile(HERO, { filename: 'src/Hero.jsx', root: '' });
    expect(compile(HERO, { filename: 'src/Hero.jsx', root: '' })).toEqual(a);
    const b = compile(HERO.replace('<h1>', '<h2>').replace('</h1>', '</h2>'), { filename: 'src/Hero.jsx', root: '' });
    expect(Object.keys(b.components)).not.toEqual(Object.keys(a.components));
  });
});

describe('fixtures as a whole', () => {
  const results = listFixtures().map((f) => ({ name: f.name, result: compileFixture(f) }));

  it('produce valid manifest entries', () => {
    for (const { result } of results) {
      expect(() => validateManifest({ schemaVersion: MANIFEST_SCHEMA_VERSION, buildId: 'x', components: result.components })).not.toThrow();
    }
  });

  it('only report documented codes, and the README documents every code', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    for (const { result } of results) for (const d of result.diagnostics) expect(Object.keys(DIAGNOSTIC_CODES)).toContain(d.code);
    for (const code of Object.keys(DIAGNOSTIC_CODES)) expect(readme).toContain(`| ${code} |`);
  });
});
