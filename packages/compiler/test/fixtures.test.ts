import * as fs from 'fs';
import * as path from 'path';
import { compileFixture, listFixtures, renderOutput } from './helpers';
import type { CompileResult } from '../src/index';
import type * as t from '@babel/types';
import { traverse, type NodePath } from '../src/babel';
import type { FileContext } from '../src/context';
import { findComponents, mayFindComponents } from '../src/findComponents';
import { parse } from '../src/parse';

const update = process.env.UPDATE_FIXTURES === '1';

describe('fixtures', () => {
  for (const fixture of listFixtures()) {
    it(fixture.name, () => {
      const actual = renderOutput(fixture.name, compileFixture(fixture));
      const file = path.join(fixture.dir, 'output.md');
      if (update || !fs.existsSync(file)) {
        fs.writeFileSync(file, actual);
        if (!update) throw new Error(`wrote ${file}: review it, then run again`);
        return;
      }
      expect(actual).toBe(fs.readFileSync(file, 'utf8'));
    });
  }
});

// `splice analyze` compiles with `analysisOnly`: the same components, prop tiers and diagnostics
// as a full compile, and the input untouched.
describe('fixtures, analysis only', () => {
  const fixtures = listFixtures();
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const full = compileFixture(fixture);
    const only: CompileResult = compileFixture(fixture, { analysisOnly: true });
    expect({ components: only.components, propTypes: only.propTypes, diagnostics: only.diagnostics, dependencies: only.dependencies })
      .toEqual({ components: full.components, propTypes: full.propTypes, diagnostics: full.diagnostics, dependencies: full.dependencies });
    expect(only.code).toBe(fixture.source);
    expect(only.changed).toBe(false);
  });
});

// The pipeline skips the scope crawl of a file when `mayFindComponents` says no component is
// there: it must say so exactly when `findComponents` finds or reports none, or a component
// would go unanalysed without a word.
describe('mayFindComponents agrees with findComponents', () => {
  const findsOrReports = (source: string, filename: string): { may: boolean; found: boolean } => {
    const ctx: FileContext = { code: source, file: filename, runtimeModule: '@splice/client', diagnostics: [], filename: `/${filename}`, root: '/', modules: null };
    const ast = parse(ctx, filename);
    // A file that does not parse stops the pipeline before either is asked.
    if (ast === null) return { may: false, found: false };
    let program: NodePath<t.Program> | undefined;
    traverse(ast, { Program(p) { program = p; p.stop(); } });
    const found = findComponents(ctx, program!).length > 0 || ctx.diagnostics.length > 0;
    return { may: mayFindComponents(ast.program), found };
  };
  const fixtures = listFixtures();
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const { may, found } = findsOrReports(fixture.source, fixture.filename);
    expect(may).toBe(found);
  });
  it.each([
    ['a component without props (nothing to instrument)', 'export function Page() { return <main/>; }', false],
    ['a lower-case function holding JSX', 'export function row(x) { return <tr>{x}</tr>; }', false],
    ['JSX in a table of elements', 'export const icons = { a: <svg/> };', false],
    ['an async component (reported)', 'export default async function Page({ id }) { return <p>{id}</p>; }', true],
    ['an async component without props (reported)', 'export async function Page() { return <p/>; }', true],
    ['a generator (reported)', 'export function* Gen(p) { yield <p/>; }', true],
    ['forwardRef-style parameters (reported)', 'export function F(props, ref) { return <p ref={ref}/>; }', true],
    ['a class component (reported)', 'export class C extends React.Component { render() { return <p/>; } }', true],
    ['memo(forwardRef(…))', 'export const B = memo(forwardRef(function B(props, ref) { return <b ref={ref}>{props.x}</b>; }));', true],
    ['an anonymous default export, named after its file', 'export default ({ x }) => <i>{x}</i>;', true],
    ['a default memo of a named function', 'export default memo(function card({ x }) { return <i>{x}</i>; });', false],
    ['a component declared and exported later', 'function Card({ x }) { return <i>{x}</i>; }\nexport { Card };', true],
    ['a component with a rest parameter (reported)', 'export function R(...args) { return <i/>; }', true],
  ])('%s', (_name, source, expected) => {
    const { may, found } = findsOrReports(source, 'src/case.jsx');
    expect(found).toBe(expected);
    expect(may).toBe(found);
  });
});
