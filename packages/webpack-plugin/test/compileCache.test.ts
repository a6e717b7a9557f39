import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as compiler from '@splice/compiler';
import { cachedCompile, clearCompileCache } from '../src/compileCache';

// The compiler's own compile, counted.
jest.mock('@splice/compiler', () => {
  const actual = jest.requireActual<typeof import('@splice/compiler')>('@splice/compiler');
  return { ...actual, compile: jest.fn(actual.compile) };
});

// The loader's cache across the builds of one process: reused only for the same input, options
// and the same content of every module the analysis read.
describe('cachedCompile', () => {
  let dir: string;
  const compile = compiler.compile as jest.MockedFunction<typeof compiler.compile>;
  beforeEach(() => {
    clearCompileCache();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-compile-cache-'));
    fs.writeFileSync(path.join(dir, 'theme.js'), "import { createContext } from 'react';\nexport const Theme = createContext('light');\n");
    fs.writeFileSync(path.join(dir, 'Child.jsx'), 'export function Child() {\n  return <i>plain</i>;\n}\n');
    compile.mockClear();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const card = "import { Child } from './Child';\nexport function Card({ open }) {\n  return <div>{open ? <Child /> : null}</div>;\n}\n";
  const run = (source = card, extra: Partial<compiler.CompileOptions> = {}) =>
    cachedCompile(source, { filename: path.join(dir, 'Card.jsx'), root: dir, readModule: compiler.createModuleReader(), ...extra });
  const contexts = (r: compiler.CompileResult) => Object.values(r.components)[0]?.render?.contexts;

  it('compiles once for the same source, options and modules read, whatever the reader', () => {
    const first = run();
    expect(run()).toBe(first);
    expect(compile).toHaveBeenCalledTimes(1);
    expect(first.dependencies).toEqual([path.join(dir, 'Child.jsx')]);
  });

  it('compiles again for another source or other options', () => {
    run();
    run(card.replace('<div>', '<section>').replace('</div>', '</section>'));
    run(undefined, { sourceMaps: true });
    run(undefined, { runtimeModule: '@acme/splice' });
    expect(compile).toHaveBeenCalledTimes(4);
  });

  it('compiles again when a module the analysis read changed, and then sees the change', () => {
    expect(contexts(run())).toBe(0);
    fs.writeFileSync(path.join(dir, 'Child.jsx'), "import { useContext } from 'react';\nimport { Theme } from './theme';\nexport function Child() {\n  return <i>{useContext(Theme)}</i>;\n}\n");
    expect(contexts(run())).toBe(1);
    expect(compile).toHaveBeenCalledTimes(2);
    // And the entry is the new one.
    run();
    expect(compile).toHaveBeenCalledTimes(2);
  });

  it('compiles again when a module the analysis read is gone', () => {
    run();
    fs.rmSync(path.join(dir, 'Child.jsx'));
    run();
    expect(compile).toHaveBeenCalledTimes(2);
  });
});

// What the analysis depended on is how each import resolved, not only the files it found: a
// module that was not there, or one that now shadows the file it read, must compile again.
describe('cachedCompile, resolution', () => {
  let dir: string;
  const compile = compiler.compile as jest.MockedFunction<typeof compiler.compile>;
  const themed = "import { useContext } from 'react';\nimport { Theme } from './theme';\nexport function Child() {\n  return <i>{useContext(Theme)}</i>;\n}\n";
  beforeEach(() => {
    clearCompileCache();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-compile-cache-'));
    fs.writeFileSync(path.join(dir, 'theme.js'), "import { createContext } from 'react';\nexport const Theme = createContext('light');\n");
    compile.mockClear();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const run = (source: string) =>
    cachedCompile(source, { filename: path.join(dir, 'Card.jsx'), root: dir, readModule: compiler.createModuleReader() });
  const contexts = (r: compiler.CompileResult) => Object.values(r.components)[0]?.render?.contexts;

  it('compiles again when a module that was not found is created', () => {
    const card = "import { Child } from './Child';\nexport function Card({ open }) {\n  return <div>{open ? <Child /> : null}</div>;\n}\n";
    const before = run(card);
    fs.writeFileSync(path.join(dir, 'Child.jsx'), themed);
    const fresh = compiler.compile(card, { filename: path.join(dir, 'Card.jsx'), root: dir, readModule: compiler.createModuleReader() });
    expect(contexts(fresh)).toBe(1);
    expect(contexts(run(card))).toBe(contexts(fresh));
    expect(contexts(before)).not.toBe(contexts(fresh));
  });

  it('compiles again when a new file shadows the one an import resolved to', () => {
    fs.mkdirSync(path.join(dir, 'Child'));
    fs.writeFileSync(path.join(dir, 'Child', 'index.jsx'), 'export function Child() {\n  return <i>plain</i>;\n}\n');
    const card = "import { Child } from './Child';\nexport function Card({ open }) {\n  return <div>{open ? <Child /> : null}</div>;\n}\n";
    expect(contexts(run(card))).toBe(0);
    // `./Child` now resolves to Child.jsx (a file before a folder's index).
    fs.writeFileSync(path.join(dir, 'Child.jsx'), themed);
    expect(contexts(run(card))).toBe(1);
  });

  it('compiles again when tsconfig paths point an alias elsewhere', () => {
    fs.mkdirSync(path.join(dir, 'a'));
    fs.mkdirSync(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'a', 'Child.jsx'), 'export function Child() {\n  return <i>plain</i>;\n}\n');
    fs.writeFileSync(path.join(dir, 'b', 'Child.jsx'), themed.replace("'./theme'", "'../theme'"));
    const config = (to: string) => fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { paths: { '@ui/*': [`./${to}/*`] } } }));
    config('a');
    const card = "import { Child } from '@ui/Child';\nexport function Card({ open }) {\n  return <div>{open ? <Child /> : null}</div>;\n}\n";
    expect(contexts(run(card))).toBe(0);
    config('b');
    expect(contexts(run(card))).toBe(1);
  });
});
