/**
 * `createModuleReader`'s lookups: what a watching build must watch besides the files read, so that
 * creating a file where the analysis looked for one re-analyzes the importer.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compile, createModuleReader } from '@splice/compiler';

let dir: string;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};
const at = (file: string) => path.join(dir, file);

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'splice-reader-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('createModuleReader lookups', () => {
  it('a relative import: every file looked for before the one found, in the order looked for', () => {
    write('child/index.jsx', 'export const x = 1;\n');
    const read = createModuleReader({ extensions: ['.jsx', '.js'] });
    expect(read('./child', at('page.jsx'))?.filename).toBe(at('child/index.jsx'));
    const { missing, configs } = read.lookups!('./child', at('page.jsx'));
    // The bundler's extensions first, then the others; the file itself before its folder's index,
    // whose first candidate in that order is the one found.
    expect(missing).toEqual(['.jsx', '.js', '.tsx', '.ts', '.mjs', '.cjs'].map((e) => at(`child${e}`)));
    expect(configs).toEqual([]);
  });

  it('an import that finds nothing: every candidate is missing', () => {
    const read = createModuleReader();
    expect(read('./gone', at('page.jsx'))).toBeNull();
    const { missing } = read.lookups!('./gone', at('page.jsx'));
    expect(missing).toEqual(expect.arrayContaining([at('gone.tsx'), at('gone.js'), at('gone/index.tsx'), at('gone/index.cjs')]));
  });

  it('an aliased import: the tsconfigs looked for on the way up, the configs read (with what they extend), the targets tried', () => {
    write('tsconfig.base.json', JSON.stringify({ compilerOptions: { baseUrl: '.' } }));
    write('tsconfig.json', '// comments allowed\n' + JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { paths: { '@/*': ['src/*'] } } }));
    write('src/ui/button.tsx', 'export const x = 1;\n');
    const read = createModuleReader();
    const importer = at('src/pages/home/page.tsx');
    expect(read('@/ui/button', importer)?.filename).toBe(at('src/ui/button.tsx'));
    const { missing, configs } = read.lookups!('@/ui/button', importer);
    expect(configs).toEqual([at('tsconfig.json'), at('tsconfig.base.json')]);
    // A tsconfig created nearer the importer would take over.
    expect(missing).toEqual(expect.arrayContaining([at('src/pages/home/tsconfig.json'), at('src/pages/home/jsconfig.json'), at('src/tsconfig.json'), at('src/jsconfig.json')]));
    expect(missing).not.toContain(at('tsconfig.json'));
    expect(missing).not.toContain(at('jsconfig.json'));
    // A package: no target is found, and what was tried is missing (a file there would be the app's).
    expect(read('react', importer)).toBeNull();
    expect(read.lookups!('react', importer).missing).toEqual(expect.arrayContaining([at('src/pages/home/tsconfig.json'), at('react.tsx'), at('react/index.js')]));
  });

  it('compile() reports them: dependencies with the configs, missingDependencies with the files looked for', () => {
    write('tsconfig.json', JSON.stringify({ compilerOptions: { paths: { '~/*': ['./*'] } } }));
    write('child/index.jsx', "import { createContext, useContext } from 'react';\nexport const T = createContext('a');\nexport function Child({ text }) { return <p className={useContext(T)}>{text}</p>; }\n");
    const code = "import { Child } from '~/child';\nexport function Page({ label }) { return <div><Child text={label} /></div>; }\n";
    const result = compile(code, { filename: at('page.jsx'), root: dir, readModule: createModuleReader() });
    expect(result.dependencies).toEqual(expect.arrayContaining([at('child/index.jsx'), at('tsconfig.json')]));
    expect(result.missingDependencies).toEqual(expect.arrayContaining([at('child.jsx'), at('child.tsx'), at('child/index.tsx')]));
    expect(result.missingDependencies).not.toContain(at('child/index.jsx'));
    // Without a reader nothing is followed, so nothing is looked for.
    expect(compile(code, { filename: at('page.jsx'), root: dir }).missingDependencies).toEqual([]);
  });
});
