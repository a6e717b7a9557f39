/**
 * docs/getting-started.md, followed as written: a fresh folder outside the repository, the
 * packages installed from the tarballs `npm pack` makes, every file the guide shows written as
 * shown, every command it gives run in order. Then the page `splice dev` serves is checked in
 * Chromium: each variant in the server's HTML, hydration without a warning, a working button.
 *
 * The only departures from the text: `@splice/*` names in `npm install` become the packed
 * tarballs, and package.json's `overrides` point their dependencies on each other there too
 * (these packages are not on the registry); npm is asked to prefer its cache; `splice dev` gets
 * a free port.
 */
import { execFileSync, spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const root = path.join(__dirname, '..');
const guide = fs.readFileSync(path.join(root, 'docs', 'getting-started.md'), 'utf8');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

jest.setTimeout(300_000);

type Step = { kind: 'file'; path: string; text: string } | { kind: 'sh'; line: string };

/** The guide's code blocks, in order: files (```tsx title="src/App.tsx") and shell lines (```sh). */
function steps(markdown: string): Step[] {
  const out: Step[] = [];
  for (const m of markdown.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const [, lang, info, body] = m;
    const title = /title="([^"]+)"/.exec(info!)?.[1];
    if (title !== undefined) out.push({ kind: 'file', path: title, text: body! });
    else if (lang === 'sh') for (const line of body!.split('\n')) if (line.trim() !== '') out.push({ kind: 'sh', line: line.trim() });
  }
  return out;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('docs/getting-started.md, followed in a fresh folder with the packed packages', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-getting-started-'));
  const tarballs = new Map<string, string>();
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
  delete env.NODE_ENV;
  let dev: ChildProcess | undefined;
  let browser: Browser | undefined;
  let devUrl = '';
  let devLog = '';

  afterAll(async () => {
    await browser?.close();
    if (dev?.pid !== undefined && dev.exitCode === null) {
      const exited = new Promise((r) => dev!.once('exit', r));
      process.kill(-dev.pid, 'SIGTERM');
      await exited;
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('the guide has the steps this test follows', () => {
    const all = steps(guide);
    expect(all.filter((s) => s.kind === 'file').map((s) => (s as { path: string }).path)).toEqual(
      ['src/Hero.tsx', 'src/App.tsx', 'src/client.tsx', 'src/server.tsx', 'src/splice.config.ts', 'src/worker.ts', 'src/env.d.ts', 'tsconfig.json', 'webpack.config.js'],
    );
    expect(all.filter((s) => s.kind === 'sh').map((s) => (s as { line: string }).line).at(-1)).toBe('npx splice dev');
  });

  it('installs from the tarballs, builds, previews and serves the app', async () => {
    // What a user installs: `npm pack` of each package as it is built now.
    const packed = path.join(scratch, 'tarballs');
    fs.mkdirSync(packed);
    for (const name of fs.readdirSync(path.join(root, 'packages'))) {
      const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packed], { cwd: path.join(root, 'packages', name), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env });
      tarballs.set(`@splice/${name}`, path.join(packed, (JSON.parse(out) as { filename: string }[])[0]!.filename));
    }

    let cwd = scratch;
    const outputs: string[] = [];
    for (const step of steps(guide)) {
      if (step.kind === 'file') {
        fs.mkdirSync(path.dirname(path.join(cwd, step.path)), { recursive: true });
        fs.writeFileSync(path.join(cwd, step.path), step.text);
        continue;
      }
      for (const part of step.line.split(' && ')) {
        const cd = /^cd (\S+)$/.exec(part);
        if (cd) { cwd = path.resolve(cwd, cd[1]!); continue; }
        if (part === 'npx splice dev') {
          const port = await freePort();
          // Its own process group: npx starts splice as a child, and both must stop.
          dev = spawn('npx', ['splice', 'dev', '--port', String(port)], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
          dev.stdout!.on('data', (c: Buffer) => (devLog += c.toString()));
          dev.stderr!.on('data', (c: Buffer) => (devLog += c.toString()));
          const deadline = Date.now() + 120_000;
          while (!/worker built/.test(devLog)) {
            if (dev.exitCode !== null || Date.now() > deadline) throw new Error(`splice dev did not start:\n${devLog}`);
            await new Promise((r) => setTimeout(r, 200));
          }
          devUrl = `http://127.0.0.1:${port}`;
          continue;
        }
        let args = part.split(/\s+/);
        if (args[0] === 'npm' && args[1] === 'install') args = [...args.map((a) => tarballs.get(a) ?? a), '--prefer-offline'];
        try {
          outputs.push(execFileSync(args[0]!, args.slice(1), { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
          if (part === 'npm init -y') {
            const pkg = path.join(cwd, 'package.json');
            // Only for those the guide does not install by name: npm refuses an override of a direct dependency.
            const direct = new Set(guide.match(/@splice\/[\w-]+/g));
            const overrides = Object.fromEntries([...tarballs].filter(([n]) => !direct.has(n)).map(([n, t]) => [n, `file:${t}`]));
            fs.writeFileSync(pkg, JSON.stringify({ ...JSON.parse(fs.readFileSync(pkg, 'utf8')), overrides }, null, 2));
          }
        } catch (error) {
          const e = error as { stdout?: string; stderr?: string };
          throw new Error(`\`${part}\` failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
        }
      }
    }
    // `splice build` said what it built; `splice preview` showed the variant's title replacing the default.
    expect(outputs.join('\n')).toMatch(/splice build: client, server, 1 prerendered page\(s\), worker dist\/worker\/worker\.mjs/);
    expect(outputs.join('\n')).toContain('- Warm coats for cold days\n    + Winter sale: 30% off coats');
    expect(fs.readFileSync(path.join(cwd, 'dist', 'public', 'index.html'), 'utf8')).not.toContain('data-splice');
  });

  it('serves each variant in the HTML, hydrates without a warning, and the page works', async () => {
    expect(devUrl).not.toBe('');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const titles = { control: 'Warm coats for cold days', sale: 'Winter sale: 30% off coats' };
    const seen = new Set<string>();
    // A new visitor each time (a new browser context, no cookie): both variants come up.
    for (let visit = 0; visit < 30 && seen.size < 2; visit++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const messages: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
      const response = await page.goto(`${devUrl}/`, { waitUntil: 'load' });
      const html = await response!.text();
      const variant = /"assignments":\{"hero":"(\w+)"\}/.exec(html)?.[1] as keyof typeof titles | undefined;
      expect(variant === 'control' || variant === 'sale').toBe(true);
      // In the server's HTML: nothing to swap after load.
      expect(html).toContain(`<h1>${titles[variant!]}</h1>`);
      expect(response!.headers()['x-splice']).toMatch(/^patched; /);
      await page.click('button');
      await page.waitForFunction(() => document.querySelector('button')?.textContent === 'Added');
      expect(await page.textContent('h1')).toBe(titles[variant!]);
      expect(messages).toEqual([]);
      seen.add(variant!);
      await context.close();
    }
    expect([...seen].sort()).toEqual(['control', 'sale']);
    expect(devLog).toMatch(/GET \/ 200 · \d+ ms to first byte · hero=(control|sale) · patched/);
  });
});
