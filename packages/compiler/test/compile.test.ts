import * as fs from 'fs';
import * as path from 'path';
import { SourceMap } from 'module';
import fc from 'fast-check';
import { transformSync } from '@babel/core';
import { compile, formatDiagnostic, DIAGNOSTIC_CODES, type ParsedModules } from '@splice/compiler';
import { hasFlowPragma } from '../src/parse';
import traverseModule from '@babel/traverse';
import { parse as babelParse } from '@babel/parser';
import { validateManifest, MANIFEST_SCHEMA_VERSION } from '@splice/manifest';
import { compileFixture, listFixtures } from './helpers';

/** The label of `big` in `export function Badge({ <params> }) { <body> }` after `prelude`. */
function badgeTier(prelude: string, body = 'return big ? <b>{String(K)}</b> : null;', params = 'big') {
  const result = compile(`${prelude}\nexport function Badge({ ${params} }) { ${body} }`, { filename: 'Badge.jsx', root: '/app' });
  return Object.values(result.components)[0]!.props.big;
}
/** A helper that reads the clock. */
const STAMP = 'function stamp() { return Date.now(); }';

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
    expect(compile(code, { filename: 'a.js', root: '' })).toEqual({ code, map: null, components: {}, propTypes: {}, diagnostics: [], changed: false, dependencies: [], missingDependencies: [] });
  });

  it('a module without JSX that keeps a context to itself exports it under a reserved name, appended', () => {
    const code = "import { createContext } from 'react';\nconst Ctx = createContext(0);\nexport const useIt = () => 1;\n";
    const result = compile(code, { filename: 'ctx.ts', root: '' });
    expect(result.changed).toBe(true);
    expect(result.code).toBe(`${code}\nexport { Ctx as __spliceContext_Ctx };\n`);
    const exported = "import { createContext } from 'react';\nconst Ctx = createContext(0);\nexport { Ctx };\n";
    // CommonJS (or mixed) modules are left alone: an appended export would make them ESM and break them.
    const cjs = "const React = require('react');\nconst Ctx = React.createContext(0);\nmodule.exports = { Ctx };\n";
    expect(compile(cjs, { filename: 'ctx.js', root: '' }).changed).toBe(false);
    const mixed = "import React from 'react';\nconst Ctx = React.createContext(0);\nmodule.exports = { useIt: () => Ctx };\n";
    expect(compile(mixed, { filename: 'ctx.js', root: '' }).changed).toBe(false);
    expect(compile(exported, { filename: 'ctx.ts', root: '' }).changed).toBe(false);
  });

  it('compiles that share a module cache share the trees of the modules they follow, each with its own paths: the analysis is a fresh cache\'s', () => {
    const hook = "import { useMemo } from 'react';\nexport function useLabel(n) { return useMemo(() => (n > 1 ? 'many' : 'one'), [n]); }\n";
    const readModule = (spec: string) => (spec === './hook' ? { filename: '/app/hook.js', code: hook } : null);
    const a = "import { useLabel } from './hook';\nexport function A({ n, title }) { const label = useLabel(n); return <p title={title}>{label}</p>; }\n";
    const b = "import { useLabel } from './hook';\nexport function B({ count }) { return <b>{useLabel(count)}</b>; }\n";
    const shared: ParsedModules = new Map();
    const run = (code: string, file: string, moduleCache?: ParsedModules) => {
      const r = compile(code, { filename: file, root: '/app', readModule, ...(moduleCache ? { moduleCache } : {}) });
      return { code: r.code, components: r.components, diagnostics: r.diagnostics.map(formatDiagnostic), dependencies: r.dependencies };
    };
    const first = run(a, '/app/a.jsx', shared);
    const second = run(b, '/app/b.jsx', shared);
    expect(shared.get('/app/hook.js')).toMatchObject({ type: 'File' });
    expect(first).toEqual(run(a, '/app/a.jsx'));
    expect(second).toEqual(run(b, '/app/b.jsx'));
    expect(second.dependencies).toEqual(['/app/hook.js']);
    expect(Object.values(second.components)[0]!.props.count!.tier).toBe('structural');
  });

  it('leaves nothing of its trees in Babel\'s caches of paths and scopes (they would outlive the compile), and another traversal\'s entries alone', () => {
    const traverse = ((traverseModule as unknown as { default?: typeof traverseModule }).default ?? traverseModule);
    // Another Babel user's tree, walked before and still in the caches.
    const other = babelParse('function f(x) { return x + 1; }', { sourceType: 'module' });
    traverse(other, { Identifier() {} });
    expect(traverse.cache.path.has(other.program)).toBe(true);
    // The compile's own trees are not reachable from here: watch the caches for nodes added during it.
    const added: object[] = [];
    const set = WeakMap.prototype.set;
    const spy = jest.spyOn(WeakMap.prototype, 'set').mockImplementation(function (this: WeakMap<object, unknown>, key: object, value: unknown) {
      if (this === traverse.cache.path || this === traverse.cache.scope) added.push(key);
      return set.call(this, key, value);
    });
    try {
      const hook = "export function useLabel(n) { return n > 1 ? 'many' : 'one'; }\n";
      compile("import { useLabel } from './hook';\nexport function A({ n, title }) { return <p title={title}>{useLabel(n)}</p>; }\n", {
        filename: '/app/a.jsx', root: '/app', readModule: (spec) => (spec === './hook' ? { filename: '/app/hook.js', code: hook } : null),
      });
    } finally {
      spy.mockRestore();
    }
    expect(added.length).toBeGreaterThan(0);
    expect(added.filter((k) => traverse.cache.path.has(k as never) || traverse.cache.scope.has(k as never)).map((k) => `${(k as { type: string }).type}:${traverse.cache.path.has(k as never)}`)).toEqual([]);
    expect(traverse.cache.path.has(other.program)).toBe(true);
  });

  it('a hook\'s private context in a module that is also CommonJS is not imported by a name it will not have', () => {
    const hook = "import { createContext, useContext } from 'react';\nconst Ctx = createContext(0);\nexport function useIt() { return useContext(Ctx); }\nmodule.exports.extra = 1;\n";
    const component = "import { useIt } from './hook';\nexport function C({ n }) { return <b>{n > useIt() ? 'a' : 'b'}</b>; }\n";
    const result = compile(component, { filename: '/app/c.jsx', root: '/app', readModule: (spec) => (spec === './hook' ? { filename: '/app/hook.js', code: hook } : null) });
    expect(result.code).not.toContain('__spliceContext_');
    expect(Object.values(result.components)[0]!.props.n).toMatchObject({ tier: 'none', code: 'SPLICE034' });
  });

  it('wraps package hooks in a module without JSX (the app\'s own hooks), in any function; React\'s and the app\'s own are left alone', () => {
    const code = [
      "import { usePathname } from 'next/navigation';",
      "import * as Intl from 'next-intl';",
      "import { useLocal } from './local';",
      "import { useState } from 'react';",
      'export function useActive(href: string) { const p = usePathname(); const [x] = useState(0); return useLocal(p, x) === href; }',
      "export const useLabel = () => Intl.useTranslations('nav')('home');",
      'export function helper() { return usePathname(); }',
      'export function useLater() { return () => usePathname(); }',
      "export function useWithFn() { return usePathname(() => 'x'); }",
    ].join('\n');
    const r = compile(code, { filename: '/app/src/hooks.ts', root: '/app' });
    expect(r.changed).toBe(true);
    expect(r.code).toContain('import { useSpliceHook as _useSpliceHook } from "@splice/client";');
    expect(r.code).toContain('const p = _useSpliceHook("next/navigation#usePathname", usePathname);');
    expect(r.code).toContain(`_useSpliceHook("next-intl#useTranslations", Intl.useTranslations, 'nav')('home')`);
    // React's hooks, the app's own, and calls outside a hook or component are left alone.
    expect(r.code).toContain('useState(0)');
    expect(r.code).toContain('useLocal(p, x)');
    // In a helper or a callback too: the wrapper adds no hook, and records only inside a render.
    expect(r.code).toContain('function helper() {\n  return _useSpliceHook("next/navigation#usePathname", usePathname);');
    expect(r.code).toContain('return () => _useSpliceHook("next/navigation#usePathname", usePathname);');
    expect(r.code).toContain("usePathname(() => 'x')");
    // Type arguments stay with the hook's type, not the wrapper's; a default value in the props
    // pattern is not wrapped (the pattern is rebuilt), and renderability refuses it instead.
    const typed = compile("import { usePathname } from 'next/navigation';\nexport function useP() { return usePathname<string>(); }\n", { filename: '/app/src/p.ts', root: '/app' });
    expect(typed.code).toContain('_useSpliceHook("next/navigation#usePathname", usePathname)');
    const defaults = compile("import { useLocale } from 'next-intl';\nexport function P({ on, lang = useLocale() }: { on: boolean; lang?: string }) { return <p lang={lang}>{on ? <b>on</b> : 'off'}</p>; }\n", { filename: '/app/src/P.tsx', root: '/app' });
    expect(defaults.code).toContain('lang = useLocale()');
    expect(defaults.components[Object.keys(defaults.components)[0]!]!.props.on).toMatchObject({ tier: 'none', code: 'SPLICE035' });
    // Compiled twice (a loader applied twice): the second pass changes nothing.
    const again = compile(r.code, { filename: '/app/src/hooks.ts', root: '/app' });
    expect(again.changed).toBe(false);
  });

  it('treats an import the module graph resolves to the app (an alias) as the app\'s, not a package', () => {
    const code = "import { useCart } from '@/cart';\nexport function useCount() { return useCart().n; }\n";
    const readModule = (spec: string) => (spec === '@/cart' ? { filename: '/app/src/cart.ts', code: 'export function useCart() { return { n: 1 }; }' } : null);
    expect(compile(code, { filename: '/app/src/count.ts', root: '/app', readModule }).changed).toBe(false);
    expect(compile(code, { filename: '/app/src/count.ts', root: '/app' }).code).toContain('_useSpliceHook("@/cart#useCart", useCart)');
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

  it('chains the source map of its input to the file the input was made from', () => {
    const original = 'type T = { title: string };\n\n/** Stripped, as a loader before this one would. */\ninterface U {}\n\nexport function Hero({ title }: T) {\n  return <h1>{title}</h1>;\n}\n';
    // What a TypeScript stripper makes of it, the types gone and the JSX kept.
    const stripped = transformSync(original, { filename: 'src/Hero.tsx', babelrc: false, configFile: false, sourceMaps: true, presets: [[require.resolve('@babel/preset-typescript'), { isTSX: true, allExtensions: true }]] })!;
    const r = compile(stripped.code!, { filename: 'src/Hero.tsx', root: '', sourceMaps: true, inputSourceMap: stripped.map! });
    const lines = r.code.split('\n');
    const line = lines.findIndex((l) => l.includes('<h1'));
    const entry = new SourceMap(r.map as any).findEntry(line, lines[line]!.indexOf('<h1'));
    const originalLine = original.split('\n').findIndex((l) => l.includes('<h1'));
    expect(entry).toMatchObject({ originalSource: expect.stringMatching(/Hero\.tsx$/), originalLine });
    // Without the input's map, the output's points into the stripped code.
    const unchained = compile(stripped.code!, { filename: 'src/Hero.tsx', root: '', sourceMaps: true });
    expect(new SourceMap(unchained.map as any).findEntry(line, lines[line]!.indexOf('<h1'))).not.toMatchObject({ originalLine });
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

  it('describe each code in DIAGNOSTIC_CODES as the README table does (the README may say more)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    for (const [code, description] of Object.entries(DIAGNOSTIC_CODES)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| ${code} |`))!;
      const documented = row.slice(`| ${code} |`.length, -1).trim().replace(/`/g, '');
      expect(`${code}: ${documented}`).toContain(`${code}: ${description.replace(/`/g, '').replace(/\.$/, '')}`);
    }
  });
});

describe('random component programs', () => {
  const prop = fc.constantFrom('a', 'b', 'props.a', 'props.b.c', 'children', 'x');
  const tag = fc.constantFrom('div', 'p', 'a', 'img', 'pre', 'input', 'form', 'title', 'Card', 'my-el', 'svg', 'option');
  const attr = fc.constantFrom('className', 'href', 'title', 'data-x', 'onClick', 'onclick', 'key', 'value', 'start', 'name', 'crossOrigin', '{...props}');
  const expr = fc.oneof(
    prop,
    prop.map((p) => `${p} ? 'y' : 'n'`),
    prop.map((p) => `${p} as string`),
    prop.map((p) => `${p}!`),
    prop.map((p) => `\`t\${${p}}\``),
    fc.constantFrom("'s'", '1', '-0', 'null', 'undefined'),
  );
  const element: fc.Memo<string> = fc.memo((n) =>
    fc.tuple(tag, fc.array(fc.tuple(attr, expr), { maxLength: 3 }), n > 1 ? fc.array(child(n - 1), { maxLength: 3 }) : fc.constant([] as string[])).map(
      ([tg, attrs, kids]) =>
        `<${tg}${attrs.map(([a, e]) => (a.startsWith('{') ? ` ${a}` : ` ${a}={${e}}`)).join('')}>${kids.join('')}</${tg}>`,
    ),
  );
  const child = (n: number): fc.Arbitrary<string> =>
    fc.oneof(element(n), expr.map((e) => `{${e}}`), fc.constantFrom('text', ' ', '{" "}', '\n  '), prop.map((p) => `{[1].map((x) => <li key={x}>{${p}}</li>)}`));
  const program = fc
    .tuple(
      fc.constantFrom('props', '{ a, b }', '{ a = 1, b: { c } = {} }', '{ a, ...rest }', '{ a, x = a }'),
      fc.constantFrom('', 'const x = 1;', 'let y = a; y = 2;', 'const el = <b>{a}</b>;', 'if (!a) return null;'),
      element(3),
      fc.constantFrom('function', 'arrow', 'memo', 'default'),
    )
    .map(([param, stmt, body, form]) => {
      const inner = `(${param}) {\n  ${stmt}\n  return ${body};\n}`;
      if (form === 'function') return `export function Comp${inner}\n`;
      if (form === 'default') return `export default function${inner}\n`;
      if (form === 'memo') return `import { memo } from 'react';\nexport const Comp = memo(function Comp${inner});\n`;
      return `export const Comp = (${param}) => ${body};\n`;
    });

  it('never throws, reports diagnostics with a location and a frame, and emits valid manifests', () => {
    fc.assert(
      fc.property(program, fc.constantFrom('src/comp.jsx', 'src/comp.tsx'), (code, filename) => {
        const r = compile(code, { filename, root: '' });
        for (const d of r.diagnostics) {
          expect(d.code).not.toBe('SPLICE002');
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.frame).toContain('>');
        }
        if (!r.changed) expect(r.code).toBe(code);
        validateManifest({ schemaVersion: MANIFEST_SCHEMA_VERSION, buildId: 'b', components: r.components });
        // The output compiles again without change: it is the runtime's own import now.
        if (r.changed) expect(compile(r.code, { filename, root: '' }).changed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('declared prop types, for the component map', () => {
  it('keeps the types JSON can hold and that read alone; leaves out the rest', () => {
    const source = `
      type Product = { id: string };
      export function Card({ a, b, c, d, e, f, g }: { a: string; b?: number | null; c: ('x' | 'y')[]; d: Product; e: { n: number; tag?: 'new' }; f: readonly boolean[]; g: () => void }) {
        return <div title={a}>{b}{c.join()}{d.id}{e.n}{String(f)}<button onClick={g} /></div>;
      }`;
    const result = compile(source, { filename: 'Card.tsx' });
    const [key] = Object.keys(result.components);
    expect(result.propTypes[key!]).toEqual({ a: 'string', b: 'number | null', c: '("x" | "y")[]', e: '{ n: number; tag?: "new" }', f: '(boolean)[]' });
  });
});

describe('compile: a Flow pragma', () => {
  it('keeps the comments above the first statement on top, and parses under @flow as Babel does (a call with type arguments stays one)', () => {
    const code = "// @flow\nimport { useState } from 'react';\nexport function Note({ title }) {\n  const [note] = useState<string>('');\n  return <p>{title}{note}</p>;\n}\n";
    const out = compile(code, { filename: 'Note.js', root: '/app' }).code;
    expect(out.startsWith('// @flow\n')).toBe(true);
    expect(out).toContain("useState<string>('')");
  });

  it('takes a @flow comment as the pragma only before the first token, and @noflow as none', () => {
    expect(hasFlowPragma('#!/usr/bin/env node\n\'use strict\';\n/**\n * @flow strict\n */\nx;')).toBe(true);
    expect(hasFlowPragma("import a from 'a';\n// @flow\n")).toBe(false);
    expect(hasFlowPragma('/* @noflow */\n// @flow\n')).toBe(false);
    expect(hasFlowPragma('// @flowtype\n')).toBe(false);
  });
});

describe('inlinedEnv: process.env names the build replaces by constants', () => {
  const source = [
    "const REGION = process.env.NEXT_PUBLIC_REGION;",
    "function label() { return process.env.NEXT_PUBLIC_LABEL; }",
    "export function Banner({ big }) { return big ? <b title={REGION}>{label()}</b> : <span>small</span>; }",
    "export function Secret({ big }) { return big ? <b>{process.env.API_KEY}</b> : null; }",
  ].join('\n');
  const tiers = (inlinedEnv?: string[]) => {
    const result = compile(source, { filename: 'Banner.jsx', root: '/app', ...(inlinedEnv ? { inlinedEnv } : {}) });
    return Object.fromEntries(Object.values(result.components).map((c) => [c.name, c.props.big]));
  };

  it('refuses every process.env read without them: the origin reads its own environment, the edge another', () => {
    const t = tiers();
    expect(t.Banner).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(t.Secret).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('takes exact names, prefixes and `*`, in the render, in its helpers and in module constants', () => {
    for (const names of [['NEXT_PUBLIC_REGION', 'NEXT_PUBLIC_LABEL'], ['NEXT_PUBLIC_*'], ['*']]) {
      const t = tiers(names);
      expect(t.Banner).toMatchObject({ tier: 'structural' });
      expect(t.Secret).toMatchObject(names[0] === '*' ? { tier: 'structural' } : { tier: 'none', code: 'SPLICE030' });
    }
    // One name short: the helper's read still refuses.
    expect(tiers(['NEXT_PUBLIC_REGION']).Banner).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });
});

describe('module-level constants computed from others loaded from the clock or randomness', () => {
  const tierOf = badgeTier;

  it('refuses a constant computed from one that was (`const A = Date.now(); const K = A + 1`)', () => {
    expect(tierOf('const A = Date.now();\nconst K = `v${A + 1}`;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const SEED = Math.random();\nconst PICKS = [SEED];\nconst K = PICKS[0];')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('refuses a constant a function of the module returns when it loads (`const K = stamp()`)', () => {
    expect(tierOf('function stamp() { return Date.now(); }\nconst K = stamp();')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const roll = () => Math.random();\nconst K = roll();')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('keeps constants computed from pure ones, and functions the initializer only creates', () => {
    expect(tierOf('const A = 2;\nconst K = A * 3;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('function stamp() { return Date.now(); }\nconst K = { at: stamp, label: "x" };', 'return big ? <b>{K.label}</b> : null;')).toMatchObject({ tier: 'structural' });
  });
});

describe('the clock and randomness under another name or through optional chaining', () => {
  const tierOf = badgeTier;

  it('refuses a const that holds Date or Math (`const D = Date; D.now()`), in the module or the render', () => {
    expect(tierOf('const D = Date;', 'return big ? <b>{D.now()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const M = Math;', 'return big ? <b>{M.random()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('', 'const Clock = Date; return big ? <b>{String(new Clock())}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('refuses `Date?.now()`, `Math?.random()` and `process?.env`', () => {
    expect(tierOf('', 'return big ? <b>{Date?.now()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('', 'return big ? <b>{Math?.random()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('', 'return big ? <b>{process?.env.API_KEY}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('keeps an alias used only for pure members and `new D(value)`', () => {
    expect(tierOf('const D = Date;', 'return big ? <b>{new D(0).toISOString()}</b> : null;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const M = Math;', 'return big ? <b>{M.max(1, 2)}</b> : null;')).toMatchObject({ tier: 'structural' });
  });
});

describe('helpers called through .call, .apply or .bind', () => {
  const tierOf = badgeTier;
  const stamp = STAMP;

  it('refuses an impure helper called with .call, .apply, or through .bind', () => {
    expect(tierOf(stamp, 'return big ? <b>{stamp.call(null)}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(stamp, 'return big ? <b>{stamp.apply(null, [])}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(stamp, 'return big ? <b>{stamp.bind(null)()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(stamp, 'const now = stamp.bind(null); return big ? <b>{now()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('names the chain', () => {
    const result = compile(`${stamp}\nexport function Badge({ big }) { return big ? <b>{stamp.call(null)}</b> : null; }`, { filename: 'Badge.jsx', root: '/app' });
    expect(Object.values(result.components)[0]!.props.big).toMatchObject({ reason: expect.stringContaining('calls stamp(), which reads `Date.now`') });
  });

  it('keeps a pure helper called so, and an impure one bound only for a handler', () => {
    const pure = 'function label(s) { return `#${s}`; }';
    expect(tierOf(pure, 'return big ? <b>{label.call(null, "x")}</b> : null;')).toMatchObject({ tier: 'structural' });
    expect(tierOf(stamp, 'return big ? <button onClick={stamp.bind(null)}>x</button> : null;')).toMatchObject({ tier: 'structural' });
  });
});

describe('helpers under another name, and as methods of an object', () => {
  const tierOf = badgeTier;
  const stamp = STAMP;

  it('refuses an alias of an impure helper (`const now = stamp`), at the top level or in the render', () => {
    expect(tierOf(`${stamp}\nconst now = stamp;`, 'return big ? <b>{now()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030', reason: expect.stringContaining('calls now(), which') });
    expect(tierOf(stamp, 'const now = stamp; return big ? <b>{now()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`${stamp}\nconst now = stamp;\nconst later = now;`, 'return big ? <b>{[1].map(later)}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('refuses an impure method of a module-level object (`utils.stamp()`), written as a method, a property or a shorthand', () => {
    expect(tierOf('const utils = { stamp() { return Date.now(); } };', 'return big ? <b>{utils.stamp()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030', reason: expect.stringContaining('calls utils.stamp(), which reads `Date.now`') });
    expect(tierOf('const utils = { stamp: () => Math.random() };', 'return big ? <b>{utils.stamp()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`${stamp}\nconst utils = { stamp };`, 'return big ? <b>{utils["stamp"]()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`${stamp}\nconst utils = { time: { stamp } };`, 'return big ? <b>{utils.time.stamp.call(null)}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('keeps pure methods, and impure ones the render does not call', () => {
    expect(tierOf('const utils = { label(s) { return `#${s}`; }, stamp() { return Date.now(); } };', 'return big ? <b>{utils.label("x")}</b> : null;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const D = Date;', 'return big ? <b>{new D(0).toISOString()}</b> : null;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('', 'return big ? <b>{Math.max(1, 2)}</b> : null;')).toMatchObject({ tier: 'structural' });
  });
});

describe('cache(fn) and React.cache(fn)', () => {
  const tierOf = (prelude: string, body: string) => badgeTier(`import * as React from 'react';\nimport { cache } from 'react';\n${prelude}`, body);

  it('follows the wrapped function', () => {
    expect(tierOf('const stamp = cache(() => Date.now());', 'return big ? <b>{stamp()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030', reason: expect.stringContaining('calls stamp(), which reads `Date.now`') });
    expect(tierOf('function roll() { return Math.random(); }\nconst draw = React.cache(roll);', 'return big ? <b>{draw()}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('keeps a cached pure function', () => {
    expect(tierOf('const label = cache((s) => `#${s}`);', 'return big ? <b>{label("x")}</b> : null;')).toMatchObject({ tier: 'structural' });
  });
});

describe('counts kept in module-level objects through their methods', () => {
  const tierOf = (prelude: string, body: string) => badgeTier(prelude, body, 'big, id');

  it('refuses push, set of a value read from the map, and add during render', () => {
    expect(tierOf('const seen = [];', 'seen.push(id); return big ? <b>{seen.length}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030', reason: expect.stringContaining('seen.push') });
    expect(tierOf('const views = new Map();', 'views.set(id, (views.get(id) ?? 0) + 1); return big ? <b>{views.get(id)}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const ids = new Set();', 'ids.add(id); return big ? <b>{ids.size}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const stats = { seen: [] };', 'return big ? <b>{stats.seen.push(id)}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const seen = {};', 'const n = seen[id] ?? 0; seen[id] = n + 1; return big ? <b>{n}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const views = new Map();', 'let n = views.get(id); if (n === undefined) n = 0; views.set(id, n + 1); return big ? <b>{n}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const views = new Map();', 'let n = views.get(id) ?? 0; n += 1; views.set(id, n); return big ? <b>{n}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const seen = [];\nfunction visit(id) { seen.push(id); return seen.length; }', 'return big ? <b>{visit(id)}</b> : null;')).toMatchObject({ tier: 'none', code: 'SPLICE030', reason: expect.stringContaining('calls visit(), which') });
  });

  it('keeps a memo cache filled with set(k, v) and plain stores, reads, and changes in handlers', () => {
    expect(tierOf('const cache = new Map();\nfunction fmt(c) { let f = cache.get(c); if (f === undefined) { f = new Intl.NumberFormat("en", { currency: c }); cache.set(c, f); } return f; }', 'return big ? <b>{fmt(id).format(1)}</b> : null;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const cache = {};', 'let v = cache[id]; if (v === undefined) { v = id.toUpperCase(); cache[id] = v; } return big ? <b>{v}</b> : null;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const cache = {};', 'cache[id] = id.toUpperCase(); return big ? <b>{cache[id]}</b> : null;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const seen = [];', 'return big ? <button onClick={() => seen.push(id)}>{seen.includes(id) ? 1 : 0}</button> : null;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const ITEMS = [1, 2];', 'const all = [...ITEMS]; all.push(3); return big ? <b>{all.length}</b> : null;')).toMatchObject({ tier: 'structural' });
  });
});

describe("a descendant's functions that only its elements' handlers run", () => {
  const tierOf = (child: string) => {
    const result = compile(`import { useCallback } from 'react';\nfunction Child() { ${child} }\nfunction Button({ onPress }) { return <i>{onPress()}</i>; }\nexport function Card({ big }) { return big ? <Child /> : null; }`, { filename: 'Card.jsx', root: '/app' });
    return Object.values(result.components).find((c) => c.name === 'Card')!.props.big;
  };

  it('keeps a descendant whose impure function is only an `on…` handler of a host element', () => {
    expect(tierOf('const roll = () => Math.random(); return <button onClick={roll}>x</button>;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('function stamp() { return Date.now(); } return <input onChange={stamp} onBlur={() => stamp()} />;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const roll = useCallback(() => Math.random(), []); return <button onClick={roll}>x</button>;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const roll = () => Math.random(); const click = () => roll(); return <button onClick={click}>x</button>;')).toMatchObject({ tier: 'structural' });
  });

  it('refuses it when the function may run during render: called there, or handed to a component', () => {
    expect(tierOf('const roll = () => Math.random(); return <button onClick={roll}>{roll()}</button>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const roll = () => Math.random(); return <Button onPress={roll} />;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const roll = () => Math.random(); const r = roll; return <button onClick={r}>{[1].map(roll)}</button>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });
});

describe("a descendant's helpers and module constants", () => {
  const tierOf = (prelude: string, child: string) => {
    const result = compile(`${prelude}\nfunction Child() { ${child} }\nexport function Card({ big }) { return big ? <Child /> : null; }`, { filename: 'Card.jsx', root: '/app' });
    return Object.values(result.components).find((c) => c.name === 'Card')!.props.big;
  };
  const stamp = STAMP;

  it('refuses a descendant whose helper reads the clock or randomness, however it reaches it', () => {
    expect(tierOf(stamp, 'return <i>{stamp()}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030', reason: expect.stringContaining('renders <Child>, which calls stamp(), which reads `Date.now`') });
    expect(tierOf(stamp, 'return <i>{stamp.call(null)}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`${stamp}\nconst now = stamp;`, 'return <i>{now()}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const utils = { roll() { return Math.random(); } };', 'return <i>{utils.roll()}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('import { cache } from "react";\nconst roll = cache(() => Math.random());', 'return <i>{roll()}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`${stamp}\nfunction twice() { return stamp() * 2; }`, 'return <i>{[1].map(twice)}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('refuses a descendant that reads a module constant loaded from the clock or randomness', () => {
    expect(tierOf('const BOOT = Date.now();', 'return <i>{BOOT}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030', reason: expect.stringContaining('reads `BOOT`, set from `Date.now`') });
    expect(tierOf('const SEED = Math.random();\nconst LABEL = `v${SEED}`;', 'return <i>{LABEL}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const { random } = Math;', 'return <i>{random()}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`${stamp}\nconst AT = stamp();`, 'return <i>{AT}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const PICKS = [1, 2].map(() => Math.random());', 'return <i>{PICKS[0]}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`${stamp}\nconst AT = stamp.call(null);`, 'return <i>{AT}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const utils = { stamp() { return Date.now(); } };\nconst AT = utils.stamp();', 'return <i>{AT}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('function roll() { return Math.random(); }\nconst PICKS = [1].map(roll);', 'return <i>{PICKS[0]}</i>;')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('keeps pure helpers and constants, and impure helpers only handlers run', () => {
    expect(tierOf('const D = Date;\nconst EPOCH = new D(0).toISOString();\nfunction label(s) { return `#${s}`; }', 'return <i>{label(EPOCH)}{Math.max(1, 2)}</i>;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const { max } = Math;\nconst cache = new Map();\nfunction fmt(c) { let f = cache.get(c); if (!f) { f = String(c); cache.set(c, f); } return f; }', 'return <i>{fmt(max(1, 2))}</i>;')).toMatchObject({ tier: 'structural' });
    expect(tierOf(stamp, 'return <button onClick={() => stamp()} onFocus={stamp}>x</button>;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const DOUBLED = [1, 2].map((n) => n * 2);\nconst TABLE = { at: () => Date.now(), label: "x" };', 'return <i>{DOUBLED[0]}{TABLE.label}</i>;')).toMatchObject({ tier: 'structural' });
  });
});

describe("a descendant reached as a member of a compound component, however the compound is built", () => {
  const tierOf = (prelude: string) => {
    const result = compile(`${prelude}\nexport function Post({ big }) { return big ? <Card.Stamp /> : null; }`, { filename: 'Post.jsx', root: '/app' });
    return Object.values(result.components).find((c) => c.name === 'Post')!.props.big;
  };
  const root = 'function Root({ children }) { return <div>{children}</div>; }';
  const stamp = '() => <time>{Date.now()}</time>';

  it('refuses a member that reads the clock, wherever the compound puts it', () => {
    expect(tierOf(`${root}\nconst Card = Object.assign(Root, { Stamp: ${stamp} });`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`${root}\nconst Card = Object.assign({}, { Stamp: ${stamp} });`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`function Card({ children }) { return <div>{children}</div>; }\nCard.Stamp = ${stamp};`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`const Card = ({ children }) => <div>{children}</div>;\nCard.Stamp = function Stamp() { return <time>{Date.now()}</time>; };`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`class Card extends Object { static Stamp = ${stamp}; render() { return null; } }`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`class Card extends Object { static Stamp() { return <time>{Date.now()}</time>; } }`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`const kit = { ui: { Stamp: ${stamp} } };\nconst { ui: { Stamp } } = kit;\nconst Card = { Stamp };`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`const kit = { ui: { Stamp: ${stamp} } };\nconst { ui: Card } = kit;`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`const a = { Stamp: ${stamp} };\nconst b = { ...a };\nconst c = { ...b };\nconst Card = { ...c };`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`const a = { Stamp: ${stamp} };\nconst b = { ...a };\nconst c = Object.assign({}, b);\nconst d = { ...c };\nconst e = d;\nconst Card = { ...e };`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`const parts = { Stamp: ${stamp} };\nconst { Stamp = () => null } = parts;\nconst Card = { Stamp };`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('keeps pure members, and ends on objects that name themselves', () => {
    expect(tierOf(`${root}\nconst Card = Object.assign(Root, { Stamp: () => <time>1</time> });`)).toMatchObject({ tier: 'structural' });
    expect(tierOf('const Card = { Stamp: Card.Other, Other: Card.Stamp };')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const Card = Object.assign(Card, Card, { Stamp: Card.Stamp });\nCard.Stamp = Card.Stamp;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const { Card: { Stamp } } = Card;\nconst Card = { Stamp };')).toMatchObject({ tier: 'structural' });
  });

  it('ends quickly on objects that name themselves many times', () => {
    const many = Array.from({ length: 400 }, () => 'Card').join(', ');
    const started = Date.now();
    expect(tierOf(`const Card = { ${many.replace(/Card/g, '...Card')} };`)).toMatchObject({ tier: 'structural' });
    expect(tierOf(`const Card = Object.assign(${many});`)).toMatchObject({ tier: 'structural' });
    const spreads = (name: string) => Array.from({ length: 200 }, () => `...${name}`).join(', ');
    expect(tierOf(`const a = { X: () => <i>1</i> };\nconst b = { ${spreads('a')} };\nconst c = { ${spreads('b')} };\nconst Card = { ${spreads('c')} };`)).toMatchObject({ tier: 'structural' });
    expect(tierOf(`const a = { Stamp: () => <time>{Date.now()}</time> };\nconst b = { ${spreads('a')} };\nconst c = { ${spreads('b')} };\nconst Card = { ${spreads('c')} };`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf(`const a = { X: () => <i>1</i>, ...Card };\nconst b = { ${spreads('a')} };\nconst c = { ${spreads('b')}, ...Card };\nconst Card = { ${spreads('c')} };`)).toMatchObject({ tier: 'structural' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('a descendant reached as a member through a namespace an app module re-exports', () => {
  const files: Record<string, string> = {
    '/app/loc.jsx': "import { createContext, useContext } from 'react';\nexport const Locale = createContext('en');\nexport const parts = { Label: () => <span>{useContext(Locale)}</span> };\nexport function Stamp() { return <time>{Date.now()}</time>; }\nfunction Root({ children }) { return <div>{children}</div>; }\nexport const Card = Object.assign(Root, { Label: parts.Label });",
    '/app/barrel.jsx': "export * as kit from './loc';",
    '/app/again.jsx': "import * as kit from './loc';\nexport { kit };",
  };
  const readModule = (specifier: string, importer: string) => {
    const filename = path.resolve(path.dirname(importer), specifier) + '.jsx';
    return files[filename] === undefined ? null : { filename, code: files[filename]! };
  };
  const post = (code: string) => Object.values(compile(code, { filename: '/app/Post.jsx', root: '/app', readModule }).components).find((c) => c.name === 'Post')!;

  it('refuses a member reading the clock and records a member\'s context, through `export * as` and `export { ns }`', () => {
    for (const from of ['./barrel', './again']) {
      expect(post(`import { kit } from '${from}';\nexport function Post({ big }) { return big ? <kit.Stamp /> : null; }`).props.big).toMatchObject({ tier: 'none', code: 'SPLICE030' });
      expect(post(`import { kit } from '${from}';\nexport function Post({ big }) { return big ? <kit.parts.Label /> : null; }`).render?.contexts).toBe(1);
    }
    expect(post("import { Card } from './loc';\nexport function Post({ big }) { return big ? <Card.Label /> : null; }").render?.contexts).toBe(1);
  });

  it('ends quickly on barrels that `export *` each other', () => {
    const barrels: Record<string, string> = {};
    for (let i = 0; i < 5; i++) barrels[`/app/m${i}.jsx`] = [0, 1, 2, 3, 4].filter((j) => j !== i).map((j) => `export * from './m${j}';`).join('\n');
    const read = (specifier: string, importer: string) => {
      const filename = path.resolve(path.dirname(importer), specifier) + '.jsx';
      return barrels[filename] === undefined ? null : { filename, code: barrels[filename]! };
    };
    const started = Date.now();
    const result = compile("import * as kit from './m0';\nexport function Post({ big }) { return big ? <kit.Missing /> : null; }", { filename: '/app/Post.jsx', root: '/app', readModule: read });
    expect(Object.values(result.components).find((c) => c.name === 'Post')!.props.big).toMatchObject({ tier: 'structural' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('module-level constants a call loads from the clock or randomness, however it reaches the function', () => {
  const tierOf = badgeTier;
  const stamp = STAMP;

  it('refuses one loaded through .call, an alias, a method, a function called in place or handed to a call', () => {
    expect(tierOf(`${stamp}\nconst K = stamp.call(null);`)).toMatchObject({ tier: 'none', code: 'SPLICE030', reason: expect.stringContaining('returned by `stamp()`') });
    expect(tierOf(`${stamp}\nconst now = stamp;\nconst K = now();`)).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const utils = { stamp() { return Date.now(); } };\nconst K = utils.stamp();')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const K = (() => Math.random())();')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('const K = [1, 2].map(() => Math.random());')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
    expect(tierOf('function roll() { return Math.random(); }\nconst K = [1, 2].map(roll);')).toMatchObject({ tier: 'none', code: 'SPLICE030' });
  });

  it('keeps pure ones, and functions the initializer only stores or wraps in cache()', () => {
    expect(tierOf('const K = [1, 2].map((n) => n * 2);')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const utils = { label() { return "x"; }, stamp() { return Date.now(); } };\nconst K = utils.label();')).toMatchObject({ tier: 'structural' });
    expect(tierOf('import { cache } from "react";\nconst K = cache(() => Date.now());', 'return big ? <b>x</b> : null;')).toMatchObject({ tier: 'structural' });
    expect(tierOf('const K = { at: () => Date.now(), label: "x" };', 'return big ? <b>{K.label}</b> : null;')).toMatchObject({ tier: 'structural' });
  });
});
