import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { parse as babelParse } from '@babel/parser';
import * as t from '@babel/types';
import { overrideNames } from '@splice/manifest';
import type { SpliceManifest } from '@splice/manifest';
import { traverse } from './babel';
import { createDiagnostic } from './diagnostics';
import type { Diagnostic } from './diagnostics';

export interface ConfigCheck {
  diagnostics: Diagnostic[];
  /** Every file read (the config and the modules it imports by relative path): a change to one calls for a new check. */
  files: string[];
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.jsx', '.mjs'];
const MAX_FILES = 200;

/**
 * Checks the overrides written in `splice.config.ts` (and in the modules it imports by relative
 * path) against the build's manifest: each object literal `{ component: '…', props: { … } }`
 * must name a component of the build, unambiguously, and only props the analyzer can override.
 * Overrides computed at run time cannot be read here; the edge skips those with a reason.
 */
export function checkConfigOverrides(configFile: string, manifest: SpliceManifest, root: string): ConfigCheck {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const queue = [nodePath.resolve(root, configFile)];
  const seen = new Set<string>();
  while (queue.length > 0 && files.length < MAX_FILES) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let code: string;
    try {
      code = fs.readFileSync(file, 'utf8');
    } catch {
      diagnostics.push({ code: 'SPLICE040', severity: 'error', message: `cannot read the config ${file}`, file: rel(root, file), line: 1, column: 1, frame: '' });
      continue;
    }
    files.push(file);
    const source = { code, file: rel(root, file) };
    let ast: t.File;
    try {
      ast = babelParse(code, { sourceType: 'module', plugins: /\.[cm]?tsx?$/.test(file) ? ['typescript', 'jsx'] : ['jsx'] });
    } catch {
      // The worker's own build reports the syntax error; nothing to check here.
      continue;
    }
    traverse(ast, {
      ImportDeclaration(path) {
        const spec = path.node.source.value;
        if (spec.startsWith('.')) {
          const resolved = resolveRelative(nodePath.dirname(file), spec);
          if (resolved !== null) queue.push(resolved);
        }
      },
      ObjectExpression(path) {
        const component = propertyOf(path.node, 'component');
        const props = propertyOf(path.node, 'props');
        if (!t.isStringLiteral(component?.value) || !t.isObjectExpression(props?.value)) return;
        const name = component.value.value;
        const at = (node: t.Node) => ({ line: node.loc?.start.line ?? 1, column: node.loc?.start.column ?? 0 });
        const matches = Object.entries(manifest.components).filter(([key, e]) => overrideNames(name, { key, name: e.name, file: e.file }));
        if (matches.length === 0) {
          const near = closest(name, [...new Set(Object.values(manifest.components).map((e) => e.name))]);
          diagnostics.push(createDiagnostic(source, 'SPLICE040', 'error', `no component "${name}" in this build${near === null ? '' : `: did you mean "${near}"?`} An override names a component by its name, \`path/from/root.tsx#Name\`, or its key.`, at(component.value)));
          return;
        }
        if (matches.length > 1 && !name.includes('#') && !name.includes('.')) {
          diagnostics.push(createDiagnostic(source, 'SPLICE043', 'error', `${matches.length} components are named "${name}" (${matches.map(([, e]) => e.file).join(', ')}): write "${matches[0]![1].file}#${name}" to say which`, at(component.value)));
          return;
        }
        const [, entry] = matches[0]!;
        for (const p of props.value.properties) {
          if (!t.isObjectProperty(p) || p.computed) continue;
          const prop = t.isIdentifier(p.key) ? p.key.name : t.isStringLiteral(p.key) ? p.key.value : null;
          if (prop === null) continue;
          const info = Object.prototype.hasOwnProperty.call(entry.props, prop) ? entry.props[prop] : undefined;
          const overridable = Object.entries(entry.props).filter(([, v]) => v.tier !== 'none').map(([k]) => k).sort();
          if (info === undefined) {
            diagnostics.push(createDiagnostic(source, 'SPLICE041', 'error', `${entry.name} (${entry.file}) has no prop "${prop}"; the props an override may set: ${overridable.join(', ') || 'none'}`, at(p.key)));
          } else if (info.tier === 'none') {
            diagnostics.push(createDiagnostic(source, 'SPLICE042', 'error', `${entry.name}'s prop "${prop}" cannot be overridden: ${info.reason ?? 'the analyzer refused it'}${info.code !== undefined ? ` (${info.code})` : ''}`, at(p.key)));
          }
        }
      },
    });
  }
  return { diagnostics, files };
}

function propertyOf(node: t.ObjectExpression, name: string): t.ObjectProperty | undefined {
  return node.properties.find((p): p is t.ObjectProperty => t.isObjectProperty(p) && !p.computed && ((t.isIdentifier(p.key) && p.key.name === name) || (t.isStringLiteral(p.key) && p.key.value === name)));
}

function resolveRelative(dir: string, spec: string): string | null {
  const base = nodePath.resolve(dir, spec);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => nodePath.join(base, `index${e}`))];
  // `./x.js` written for `./x.ts` (TypeScript's ESM style).
  if (/\.[cm]?js$/.test(base)) candidates.push(...EXTENSIONS.map((e) => base.replace(/\.[cm]?js$/, e)));
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return c;
    } catch { /* next */ }
  }
  return null;
}

function rel(root: string, file: string): string {
  return nodePath.relative(root, file).split(nodePath.sep).join('/');
}

/** The candidate within edit distance 2 (case-insensitive), if one is. */
function closest(name: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}
