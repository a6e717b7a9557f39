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
