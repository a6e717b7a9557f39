import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { diffArrays } from 'diff';
import { findBootstrap } from './requestLog';
import type { SpliceProject } from './project';
import { outputPath } from './project';
import { bundleStack } from './build';

/** Who the preview is for. */
export interface Visitor {
  country?: string;
  cookies: [string, string][];
  headers: [string, string][];
  /** Experiment id → variant: forced with a preview token, as QA links do. */
  variants: Record<string, string>;
}

export class PreviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewError';
  }
}

/** The built worker's file, from the worker config's output (after `splice build`). */
export function builtWorker(project: SpliceProject): string {
  const out = outputPath(project.worker, project.root);
  const entry = project.worker.entry;
  const names = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? Object.keys(entry) : ['main'];
  const template = typeof project.worker.output?.filename === 'string' ? project.worker.output.filename : '[name].js';
  for (const name of names) {
    // `[name].[contenthash:8].mjs`: the newest file the template matches.
    const pattern = new RegExp(`^${template.split(/(\[[\w]+(?::\d+)?\])/).map((part) => (part === '[name]' ? escape(name) : /^\[\w+(:\d+)?\]$/.test(part) ? '[\\w-]+' : escape(part))).join('')}$`);
    const dir = path.dirname(path.join(out, template.replace(/\[name\]/g, name)));
    const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => pattern.test(path.basename(f))).map((f) => path.join(dir, f)) : [];
    found.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    if (found[0] !== undefined) return found[0];
  }
  throw new PreviewError(`no built worker in ${out}: run \`splice build\` first`);
}

/**
 * `splice preview <path>`: one request to the built worker as the given visitor, in this process
 * (Node), against the built assets. Returns the report: the decisions the edge made (from the
 * response's headers and bootstrap) and what changed against the default page, tag by tag.
 */
export async function previewPage(project: SpliceProject, pagePath: string, visitor: Visitor): Promise<string> {
  if (!pagePath.startsWith('/')) throw new PreviewError(`the path must start with '/': ${pagePath}`);
  // `//host/x` starts with '/' too, but names another host (the request would go there).
  if (pagePath.startsWith('//')) throw new PreviewError(`the path must be a path of the site, not //host: ${pagePath}`);
  const file = builtWorker(project);
  let mod: { default?: { fetch?(request: Request, env: unknown, ctx: unknown): Promise<Response> } };
  try {
    mod = (await import(pathToFileURL(file).href)) as typeof mod;
  } catch (error) {
    // The worker's top level threw (a Node-only module, a global read at load): say which file, and where.
    throw new PreviewError(`loading the built worker ${path.relative(project.root, file)} threw: ${bundleStack(error, file)}`);
  }
  const worker = mod.default;
  if (typeof worker?.fetch !== 'function') throw new PreviewError(`${file} has no default export with a fetch method`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { nodeAssets, visitorHeaders } = require('@splice/dev') as typeof import('@splice/dev');
  const assets = nodeAssets(outputPath(project.client, project.root));
  // The secret from the environment counts as much as the config's: the worker checks the token with it.
  const env: Record<string, unknown> = { ASSETS: assets, ...(process.env.SPLICE_SECRET !== undefined ? { SPLICE_SECRET: process.env.SPLICE_SECRET } : {}), ...project.dev.env };
  const url = new URL(pagePath, 'http://localhost');
  const headers = visitorHeaders(visitor);
  if (Object.keys(visitor.variants).length > 0) {
    const secret = env.SPLICE_SECRET;
    if (typeof secret !== 'string') throw new PreviewError('--variant signs a preview token: set SPLICE_SECRET, or dev.env.SPLICE_SECRET in the config');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createPreviewToken } = require('@splice/edge') as typeof import('@splice/edge');
    url.searchParams.set('splice-preview', await createPreviewToken(visitor.variants, secret, new Date(Date.now() + 600_000)));
  }
  const waits: Promise<unknown>[] = [];
  const response = await worker.fetch(new Request(url, { headers }), env, { waitUntil: (p: Promise<unknown>) => void waits.push(p), passThroughOnException() {} });
  const patched = await response.text();
  await Promise.allSettled(waits);
  // The default page is the prerendered file of the route (the worker's origin serves it).
  const routeFile = project.prerender.routes[url.pathname];
  const base = await (await assets.fetch(new Request(new URL(routeFile !== undefined ? `/${routeFile}` : url.pathname, 'http://localhost')))).text();
  const report = formatPreview(pagePath, visitor, response, patched, base, componentNames(project));
  // A variant the config does not have is not an error to the edge (it ignores it): say so here.
  const assigned = (splitBootstrap(patched).bootstrap?.assignments ?? {}) as Record<string, string>;
  const missed = Object.entries(visitor.variants).filter(([e, v]) => assigned[e] !== v);
  if (missed.length > 0) {
    throw new PreviewError(`${report}not applied: ${missed.map(([e, v]) => `--variant ${e}=${v}`).join(', ')} (no such experiment or variant on ${pagePath}, or its targeting excludes this visitor)`);
  }
  return report;
}

/** Component key → its name, from the server build's manifest: overrides in the bootstrap name components by key. */
function componentNames(project: SpliceProject): Map<string, string> {
  const names = new Map<string, string>();
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(outputPath(project.server, project.root), 'splice-manifest.json'), 'utf8')) as { components?: Record<string, { name?: string }> };
    for (const [key, c] of Object.entries(manifest.components ?? {})) if (typeof c.name === 'string') names.set(key, c.name);
  } catch {
    // Without the manifest the keys are shown as they are.
  }
  return names;
}

function formatPreview(pagePath: string, visitor: Visitor, response: Response, patched: string, base: string, names: Map<string, string>): string {
  const who = [
    visitor.country !== undefined ? `country ${visitor.country}` : null,
    ...visitor.cookies.map(([k]) => `cookie ${k}`),
    ...visitor.headers.map(([k, v]) => `${k}: ${v}`),
    ...Object.entries(visitor.variants).map(([e, v]) => `variant ${e}=${v}`),
  ].filter((x) => x !== null);
  const lines = [`splice preview ${pagePath}${who.length > 0 ? ` (${who.join(', ')})` : ' (a new visitor)'}`];
  lines.push(`  status ${response.status}`);
  for (const name of ['x-splice', 'x-splice-skipped', 'x-splice-preview', 'x-splice-experiments', 'x-splice-cache']) {
    const value = response.headers.get(name);
    if (value !== null) lines.push(`  ${name}: ${value.replace(/; build=[^;]*/, '')}`);
  }
  const { html, bootstrap } = splitBootstrap(patched);
  const assignments = Object.entries((bootstrap?.assignments ?? {}) as Record<string, string>);
  lines.push(`  assignments: ${assignments.length > 0 ? assignments.map(([e, v]) => `${e}=${v}`).join(' ') : 'none'}`);
  const overrides = (bootstrap?.overrides ?? []) as { component: string; instance?: unknown; props: unknown }[];
  lines.push(`  overrides applied:${overrides.length === 0 ? ' none' : ''}`);
  for (const o of overrides) lines.push(`    ${names.get(o.component) ?? o.component}${o.instance !== undefined ? `#${String(o.instance)}` : ''} ${JSON.stringify(o.props)}`);
  const hunks = diffHtml(base, html);
  lines.push(hunks.length === 0 ? '  the page is the default page' : `  against the default page (${hunks.length} change${hunks.length === 1 ? '' : 's'}):`);
  for (const h of hunks) lines.push(...h.map((l) => `    ${l}`));
  return `${lines.join('\n')}\n`;
}

function splitBootstrap(page: string): { html: string; bootstrap: Record<string, unknown> | null } {
  const found = findBootstrap(page);
  return found === null ? { html: page, bootstrap: null } : { html: page.slice(0, found.start) + page.slice(found.end), bootstrap: found.value };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Tags and text runs: what a reader compares in a page. */
function tokens(html: string): string[] {
  return html.match(/<[^>]*>|[^<]+/g) ?? [];
}

const clip = (s: string) => (s.length > 160 ? `${s.slice(0, 157)}…` : s);

/**
 * The changed runs of tokens, each with its neighbours for context: `-` the default page, `+` the
 * patched. Changes a few tokens apart make one hunk.
 */
export function diffHtml(before: string, after: string): string[][] {
  const parts = diffArrays(tokens(before), tokens(after));
  const changed = (i: number) => parts[i] !== undefined && (parts[i]!.added === true || parts[i]!.removed === true);
  const hunks: string[][] = [];
  let hunk: string[] | null = null;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (changed(i)) {
      if (hunk === null) {
        hunk = [];
        if (i > 0) hunk.push(`  ${clip(parts[i - 1]!.value.slice(-2).join(''))}`);
        hunks.push(hunk);
      }
      hunk.push(`${part.added ? '+' : '-'} ${clip(part.value.join(''))}`);
    } else if (hunk !== null) {
      const near = part.value.length <= CONTEXT && changed(i + 1);
      hunk.push(`  ${clip((near ? part.value : part.value.slice(0, 2)).join(''))}`);
      if (!near) hunk = null;
    }
  }
  return hunks;
}

const CONTEXT = 4;
