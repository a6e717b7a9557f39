/**
 * Structural-hole fixtures, end to end in Node: real compiler, real `@splice/client`, real
 * `react-dom/server`. A fixture is a folder of modules (`*.tsx`), compiled as the loader would
 * compile them, loaded together, and rendered as a page whose `App` is the default export of
 * `page.tsx`. The oracle (contract 4) is a full render with the overrides.
 */
import * as fs from 'fs';
import * as path from 'path';
import { transformSync } from '@babel/core';
import * as React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import { renderToString } from 'react-dom/server';
import { compile, createModuleReader, formatDiagnostic } from '@splice/compiler';
import { MANIFEST_SCHEMA_VERSION, hashString } from '@splice/manifest';
import type { ComponentEntry, Override, SpliceManifest } from '@splice/manifest';
import * as client from '@splice/client';

export const FIXTURES = path.join(__dirname, 'fixtures');

export interface LoadedFixture {
  name: string;
  manifest: SpliceManifest;
  App: React.FC;
  /**
   * `cases.json`: the overrides to check, each with a label; `expect: 'refused'` when the edge must
   * leave the page default; `expect: 'partial'` when it must show only the overrides at the
   * positions in `applies` (a region left default, the overrides inside it that need no render of it).
   */
  cases: FixtureCase[];
  diagnostics: string[];
}

export interface FixtureCase {
  label: string;
  overrides: Override[];
  expect?: 'refused' | 'partial';
  applies?: number[];
}

export function listStructuralFixtures(): string[] {
  return fs.readdirSync(FIXTURES).filter((n) => fs.statSync(path.join(FIXTURES, n)).isDirectory()).sort();
}

export function loadFixture(name: string): LoadedFixture {
  const dir = path.join(FIXTURES, name);
  const files = fs.readdirSync(dir).filter((f) => /\.(t|j)sx?$/.test(f));
  const components: [string, ComponentEntry][] = [];
  const diagnostics: string[] = [];
  const compiled = new Map<string, string>();
  for (const file of files) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    // Named as webpack names them with this folder as its context, so the workerd and browser
    // builds of the fixtures (build.ts) get the same component keys.
    const result = compile(source, { filename: path.join(dir, file), root: __dirname, readModule: createModuleReader() });
    for (const d of result.diagnostics) diagnostics.push(formatDiagnostic(d));
    components.push(...Object.entries(result.components));
    const js = transformSync(result.code, {
      filename: file,
      babelrc: false,
      configFile: false,
      presets: [['@babel/preset-react', { runtime: 'automatic' }], ['@babel/preset-typescript', { isTSX: true, allExtensions: true }]],
      plugins: ['@babel/plugin-transform-modules-commonjs'],
    });
    compiled.set(file.replace(/\.(t|j)sx?$/, ''), js!.code!);
  }
  const cache = new Map<string, Record<string, unknown>>();
  const load = (id: string): Record<string, unknown> => {
    const known = cache.get(id);
    if (known) return known;
    const code = compiled.get(id);
    if (code === undefined) throw new Error(`fixture ${name}: no module ${id}`);
    const module = { exports: {} as Record<string, unknown> };
    cache.set(id, module.exports);
    const req = (spec: string): unknown => {
      if (spec === 'react') return React;
      if (spec === 'react/jsx-runtime') return jsxRuntime;
      if (spec === '@splice/client') return client;
      if (spec.startsWith('./')) return load(spec.slice(2).replace(/\.(t|j)sx?$/, ''));
      if (spec in FAKE_PACKAGES) return fakePackage(spec);
      // Real packages fixtures use as apps do (class joins, tailwind-merge).
      if (REAL_PACKAGES.includes(spec)) return require(spec) as unknown;
      throw new Error(`fixture ${name}: unexpected import ${spec}`);
    };
    // Test-only evaluation of compiled fixture code (Node; the edge itself never does this).
    new Function('require', 'module', 'exports', code)(req, module, module.exports);
    cache.set(id, module.exports);
    return module.exports;
  };
  const App = load('page').default as React.FC;
  const sorted = components.sort(([a], [b]) => (a < b ? -1 : 1));
  const manifest: SpliceManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    buildId: hashString(sorted.map(([k]) => k).join('\n')),
    components: Object.fromEntries(sorted),
  };
  const casesFile = path.join(dir, 'cases.json');
  const cases = fs.existsSync(casesFile) ? (JSON.parse(fs.readFileSync(casesFile, 'utf8')) as LoadedFixture['cases']) : [];
  return { name, manifest, App, cases, diagnostics };
}

/** Packages fixtures import as they are. */
export const REAL_PACKAGES = ['clsx', 'tailwind-merge', 'class-variance-authority'];

/**
 * Stand-ins for packages (an i18n library, a router) that fixtures import by a bare name: loaded
 * as a bundler would load a package, without the Splice compiler, so their hooks are replayed.
 * build.ts aliases the same names for webpack.
 */
export const FAKE_PACKAGES: Record<string, string> = {
  '@fixture/intl': path.join(__dirname, 'packages', 'intl.ts'),
  '@fixture/router': path.join(__dirname, 'packages', 'router.ts'),
  '@fixture/hooks': path.join(__dirname, 'packages', 'hooks.ts'),
};

const packageCache = new Map<string, Record<string, unknown>>();

function fakePackage(spec: string): Record<string, unknown> {
  const known = packageCache.get(spec);
  if (known !== undefined) return known;
  const file = FAKE_PACKAGES[spec]!;
  const js = transformSync(fs.readFileSync(file, 'utf8'), {
    filename: file,
    babelrc: false,
    configFile: false,
    presets: [['@babel/preset-typescript', {}]],
    plugins: ['@babel/plugin-transform-modules-commonjs'],
  });
  const module = { exports: {} as Record<string, unknown> };
  const req = (s: string): unknown => {
    if (s === 'react') return React;
    throw new Error(`${spec}: unexpected import ${s}`);
  };
  // Test-only evaluation, as for the fixtures' modules.
  new Function('require', 'module', 'exports', js!.code!)(req, module, module.exports);
  packageCache.set(spec, module.exports);
  return module.exports;
}

/** The source page (markers, boundaries, instance states); with `markers` false, the oracle's full render (what a browser renders). */
export function renderPage(App: React.FC, overrides: Override[], markers = true): string {
  return renderToString(React.createElement(client.SpliceProvider, { overrides, markers }, React.createElement(App)));
}

/** Contract 4's oracle: the full render with the overrides, as a browser renders it. */
export function oraclePage(App: React.FC, overrides: Override[]): string {
  return renderPage(App, overrides, false);
}

/**
 * The overrides with each component named by its key in this fixture: several fixtures' manifests
 * merged into one (the workerd and browser bundles) may share component names.
 */
export function byKey(fixture: LoadedFixture, overrides: Override[]): Override[] {
  return overrides.map((o) => {
    const keys = Object.keys(fixture.manifest.components).filter((k) => fixture.manifest.components[k]!.name === o.component);
    return keys.length === 1 ? { ...o, component: keys[0]! } : o;
  });
}
