import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Configuration, Stats } from 'webpack';
import { validateManifest } from '@splice/manifest';
import { SplicePlugin } from '@splice/webpack-plugin';
import { compile, compileMulti, getCompiler, getMultiCompiler, infoMessages, readAsset } from './helpers';

jest.setTimeout(60_000);

const FORMAT_NOTE = /Price\.jsx:\d+:\d+ - SPLICE031: `format` holds a function/;
// Server builds here skip the edge module: a second webpack run each, and not what is tested.
const server = (extra: Configuration = {}): Configuration => ({ name: 'server', target: 'node', plugins: [new SplicePlugin({ edgeModule: false })], ...extra });
const SUMMARY = /^splice: \d+ components?, \d+ value, \d+ structural, \d+ refused$/;

/** The one-line summary the manifest calls for: components, and their props by tier. */
function expectedSummary(manifestJson: string): string {
  const manifest = validateManifest(JSON.parse(manifestJson));
  const tiers = { value: 0, structural: 0, none: 0 };
  for (const component of Object.values(manifest.components)) for (const prop of Object.values(component.props)) tiers[prop.tier]++;
  return `splice: ${Object.keys(manifest.components).length} components, ${tiers.value} value, ${tiers.structural} structural, ${tiers.none} refused`;
}

function errorMessages(stats: Stats): string[] {
  return (stats.toJson({ all: false, errors: true }).errors ?? []).map((e) => e.message);
}

describe('SplicePlugin build output', () => {
  it('logs each note once across the client and server builds of one run, in a line and the source line', async () => {
    const multi = getMultiCompiler([{ name: 'client' }, server()]);
    const stats = await compileMulti(multi);
    expect(stats.hasErrors()).toBe(false);
    const messages = stats.stats.flatMap((s) => infoMessages(s));
    expect(messages.filter((m) => FORMAT_NOTE.test(m))).toHaveLength(1);
    const notes = messages.filter((m) => /SPLICE0\d\d:/.test(m));
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) {
      const [first, source, ...rest] = note.split('\n');
      expect(first).toMatch(/^[\w./-]+:\d+:\d+ - SPLICE0\d\d: /);
      expect(source).toMatch(/^ *> \d+ \| /);
      expect(rest).toEqual([]);
    }
  });

  it('prints one summary line per run, counted from the manifest', async () => {
    const multi = getMultiCompiler([{ name: 'client' }, server()]);
    const stats = await compileMulti(multi);
    const summaries = stats.stats.flatMap((s) => infoMessages(s)).filter((m) => m.startsWith('splice:'));
    expect(summaries).toEqual([expectedSummary(readAsset(multi.compilers[1]!, 'splice-manifest.json'))]);
    expect(summaries[0]).toMatch(SUMMARY);

    const single = getCompiler(server());
    const alone = infoMessages(await compile(single)).filter((m) => m.startsWith('splice:'));
    expect(alone).toEqual([expectedSummary(readAsset(single, 'splice-manifest.json'))]);
  });

  it('prints the same summary and notes from a warm persistent cache, once across the builds of a run', async () => {
    const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-cache-'));
    const run = async () => {
      const cache = { type: 'filesystem' as const, cacheDirectory, buildDependencies: {} };
      const stats = await compileMulti(getMultiCompiler([{ name: 'client', cache }, server({ cache })]));
      return stats.stats.flatMap((s) => infoMessages(s)).filter((m) => m.startsWith('splice:') || /SPLICE0\d\d:/.test(m));
    };
    try {
      const cold = await run();
      expect(cold.filter((m) => FORMAT_NOTE.test(m))).toHaveLength(1);
      expect(cold.filter((m) => SUMMARY.test(m))).toHaveLength(1);
      expect(await run()).toEqual(cold);
    } finally {
      fs.rmSync(cacheDirectory, { recursive: true, force: true });
    }
  });

  describe('a syntax error', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-bad-'));
      fs.writeFileSync(path.join(dir, 'index.jsx'), 'export function Broken({ a }) {\n  return <div>{a}</span>;\n}\n');
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('is reported once: the next loader (babel-loader here) does not report it again', async () => {
      const errors = errorMessages(await compile(getCompiler({ context: dir })));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/index\.jsx:2:\d+ - SPLICE001: /);
      expect(errors[0]).toContain('> 2 |');
    });

    it('is reported in full once across the builds of a run, and still fails each of them', async () => {
      const stats = await compileMulti(getMultiCompiler([{ name: 'client', context: dir }, server({ context: dir })]));
      const [clientErrors, serverErrors] = stats.stats.map(errorMessages);
      expect(clientErrors).toHaveLength(1);
      expect(clientErrors![0]).toContain('> 2 |');
      expect(serverErrors).toHaveLength(1);
      expect(serverErrors![0]).toMatch(/index\.jsx:2:\d+ - SPLICE001: .*\(in full in the "client" build\)$/);
      expect(serverErrors![0]).not.toContain('> 2 |');
    });
  });
});

describe('SplicePlugin build output in watch mode', () => {
  it("prints a rebuild's notes when only one of the builds rebuilds (it does not join the other's finished round)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-watch-'));
    const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);
    // Shared is in both builds and has a note; C is only in the client's, S only in the server's.
    write('shared.jsx', 'export function Shared({ v, format }) { return <p>{format(v)}</p>; }\n');
    write('c.jsx', 'export function C({ t }) { return <b>{t}</b>; }\n');
    write('s.jsx', 'export function S({ t }) { return <i>{t}</i>; }\n');
    write('client.jsx', "import { Shared } from './shared';\nimport { C } from './c';\nexport const parts = [Shared, C];\n");
    write('server.jsx', "import { Shared } from './shared';\nimport { S } from './s';\nexport const parts = [Shared, S];\n");
    const multi = getMultiCompiler([
      { name: 'client', context: dir, entry: './client.jsx' },
      server({ context: dir, entry: './server.jsx' }),
    ]);
    const note = /shared\.jsx:\d+:\d+ - SPLICE0\d\d/;
    // Each pass: the builds that ran, with how many notes each printed.
    const passes: Record<string, number>[] = [];
    const waiting: (() => void)[] = [];
    const watching = multi.watch({ aggregateTimeout: 20 }, (error, stats) => {
      if (error) throw error;
      passes.push(Object.fromEntries(stats!.stats.map((s) => [s.compilation.compiler.name!, infoMessages(s).filter((m) => note.test(m)).length])));
      for (const w of waiting.splice(0)) w();
    });
    /** The first pass from `from` on that ran exactly these builds (a watcher may add a pass of both first). */
    const passOf = async (from: number, names: string[]): Promise<Record<string, number>> => {
      for (;;) {
        const found = passes.slice(from).find((p) => Object.keys(p).sort().join() === names.join());
        if (found) return found;
        await new Promise<void>((r) => waiting.push(r));
      }
    };
    try {
      // The first run: the note once, across both builds.
      const first = await passOf(0, ['client', 'server']);
      expect(first.client! + first.server!).toBe(1);
      // Edits land after the watcher's start time: webpack compares modification times.
      await new Promise((r) => setTimeout(r, 1100));
      let mark = passes.length;
      write('c.jsx', 'export function C({ t }) { return <b>{t}!</b>; }\n');
      expect(await passOf(mark, ['client'])).toEqual({ client: 1 });
      await new Promise((r) => setTimeout(r, 1100));
      mark = passes.length;
      write('s.jsx', 'export function S({ t }) { return <i>{t}!</i>; }\n');
      // The server's rebuild alone prints its note: it does not join the client's finished round.
      expect(await passOf(mark, ['server'])).toEqual({ server: 1 });
    } finally {
      await new Promise((r) => watching!.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SplicePlugin in watch mode: files the analysis looked for and did not find', () => {
  it('re-analyzes a component when a file is created that shadows the module its analysis followed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-watch-missing-'));
    const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);
    fs.mkdirSync(path.join(dir, 'child'));
    // `./child` resolves to child/index.jsx, which reads no context; a child.jsx created later
    // takes its place (a file before a folder's index) and reads one, which Page must record.
    write('child/index.jsx', 'export function Child({ text }) { return <p>{text}</p>; }\n');
    write('page.jsx', "import { Child } from './child';\nexport function Page({ label }) { return <div><Child text={label} /></div>; }\n");
    // A memory cache, as development builds have by default: without one every module is rebuilt.
    const compiler = getCompiler({ context: dir, entry: './page.jsx', cache: { type: 'memory' }, plugins: [new SplicePlugin({ manifestFilename: 'splice-manifest.json' })] });
    const contexts = () => {
      const manifest = validateManifest(JSON.parse(readAsset(compiler, 'splice-manifest.json')));
      const page = Object.values(manifest.components).find((c) => c.name === 'Page');
      return page?.render?.contexts;
    };
    // Each build's count, or what went wrong (thrown here, it would escape the test).
    const builds: (number | string)[] = [];
    const waiting: (() => void)[] = [];
    const watching = compiler.watch({ aggregateTimeout: 20 }, (error, stats) => {
      builds.push(error ? String(error) : stats!.hasErrors() ? stats!.toString({ all: false, errors: true }) : contexts() ?? -1);
      for (const w of waiting.splice(0)) w();
    });
    /** The first build from `from` on whose Page records `n` contexts. */
    const buildWith = async (from: number, n: number): Promise<void> => {
      while (!builds.slice(from).includes(n)) await new Promise<void>((r) => waiting.push(r));
    };
    try {
      await buildWith(0, 0);
      expect(builds).toEqual([0]);
      await new Promise((r) => setTimeout(r, 1100));
      const mark = builds.length;
      write('child.jsx', "import { createContext, useContext } from 'react';\nexport const Theme = createContext('light');\nexport function Child({ text }) { const t = useContext(Theme); return <p className={t}>{text}</p>; }\n");
      // Without the file among the loader's missing dependencies, Page keeps its first analysis.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`Page was not re-analyzed: ${JSON.stringify(builds.slice(mark))}`)), 15_000); });
      await Promise.race([buildWith(mark, 1), late]).finally(() => clearTimeout(timer));
    } finally {
      await new Promise((r) => watching!.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
