import * as fs from 'fs';
import * as nodePath from 'path';
import { parse as babelParse } from '@babel/parser';
import * as t from '@babel/types';
import { traverse, type NodePath } from './babel';

/** A module's source text, found for an import. */
export interface ModuleSource {
  /** Absolute path. */
  filename: string;
  code: string;
}

/**
 * Reads the module that a relative import (`./hooks`) in `importer` names, or null when there is
 * none the compiler can read. The compiler follows custom hooks into other modules of the app
 * with it; package imports are never read (their hooks stay refused, SPLICE035).
 */
export type ModuleReader = (specifier: string, importer: string) => ModuleSource | null;

const EXTENSIONS = ['.tsx', '.ts', '.jsx', '.js', '.mjs', '.cjs'];

/**
 * The reader `splice analyze` and the webpack loader use: relative specifiers resolved as
 * TypeScript and webpack resolve them (the file itself, with a source extension, or its folder's
 * `index`). Reads are kept for the reader's life: one per build or per `splice analyze` run.
 */
export function createModuleReader(): ModuleReader {
  const cache = new Map<string, ModuleSource | null>();
  return (specifier, importer) => {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
    const base = nodePath.resolve(nodePath.dirname(importer), specifier);
    const known = cache.get(base);
    if (known !== undefined) return known;
    let found: ModuleSource | null = null;
    // A `.js` specifier may name a `.ts` file (TypeScript's node16 resolution).
    const stem = /\.[cm]?jsx?$/.test(base) ? base.replace(/\.[cm]?jsx?$/, '') : null;
    const candidates = [
      ...(EXTENSIONS.some((e) => base.endsWith(e)) ? [base] : []),
      ...EXTENSIONS.map((e) => base + e),
      ...(stem !== null ? EXTENSIONS.map((e) => stem + e) : []),
      ...EXTENSIONS.map((e) => nodePath.join(base, `index${e}`)),
    ];
    for (const file of candidates) {
      try {
        if (!fs.statSync(file).isFile()) continue;
        found = { filename: file, code: fs.readFileSync(file, 'utf8') };
        break;
      } catch {
        // not this one
      }
    }
    cache.set(base, found);
    return found;
  };
}

/** A module read for its hooks: parsed once per compile session. */
export interface ForeignModule {
  filename: string;
  program: NodePath<t.Program>;
}

/**
 * Following hooks across modules: the reader, the modules parsed so far (shared by every
 * component of a compile, and across compiles when the caller passes one), and the files read
 * (a build must rebuild the component when one of them changes).
 */
export interface ModuleGraph {
  read: ModuleReader;
  parsed: Map<string, ForeignModule | null>;
  dependencies: Set<string>;
}

export function createModuleGraph(read: ModuleReader, parsed: Map<string, ForeignModule | null> = new Map()): ModuleGraph {
  return { read, parsed, dependencies: new Set() };
}

/** The module an import of `specifier` from `importer` names, parsed; null when it cannot be read or parsed. */
export function foreignModule(graph: ModuleGraph, specifier: string, importer: string): ForeignModule | null {
  const source = graph.read(specifier, importer);
  if (source === null) return null;
  graph.dependencies.add(source.filename);
  const known = graph.parsed.get(source.filename);
  if (known !== undefined) return known;
  let parsed: ForeignModule | null = null;
  try {
    const plugins: ('jsx' | 'typescript')[] = /\.[cm]?tsx?$/.test(source.filename) ? (source.filename.endsWith('x') ? ['jsx', 'typescript'] : ['typescript']) : ['jsx'];
    const ast = babelParse(source.code, { sourceType: 'module', plugins, sourceFilename: source.filename });
    traverse(ast, { Program(p) { parsed = { filename: source.filename, program: p }; p.stop(); } });
  } catch {
    parsed = null;
  }
  graph.parsed.set(source.filename, parsed);
  return parsed;
}

/** What an exported name of a module is: a local function, a top-level binding, or a re-export. */
export type ExportTarget =
  | { kind: 'function'; module: ForeignModule; fn: NodePath<t.Function> }
  | { kind: 'binding'; module: ForeignModule; local: string }
  | { kind: 'missing' };

/** Follows `exported` of `module` through re-exports (a few steps) to what it is. */
export function resolveExport(graph: ModuleGraph, module: ForeignModule, exported: string, depth = 0): ExportTarget {
  if (depth > 4) return { kind: 'missing' };
  for (const stmt of module.program.get('body')) {
    if (stmt.isExportNamedDeclaration()) {
      const decl = stmt.get('declaration');
      if (decl.isFunctionDeclaration() && decl.node.id?.name === exported) return { kind: 'function', module, fn: decl };
      if (decl.isVariableDeclaration()) {
        for (const d of decl.get('declarations')) {
          if (!t.isIdentifier(d.node.id, { name: exported })) continue;
          const init = d.get('init');
          if (!Array.isArray(init) && (init.isArrowFunctionExpression() || init.isFunctionExpression())) return { kind: 'function', module, fn: init as NodePath<t.Function> };
          return { kind: 'binding', module, local: exported };
        }
      }
      for (const spec of stmt.node.specifiers) {
        if (!t.isExportSpecifier(spec) || nameOf(spec.exported) !== exported) continue;
        const source = stmt.node.source?.value;
        if (source !== undefined) {
          const next = foreignModule(graph, source, module.filename);
          return next === null ? { kind: 'missing' } : resolveExport(graph, next, spec.local.name, depth + 1);
        }
        return localTarget(module, spec.local.name);
      }
    } else if (stmt.isExportDefaultDeclaration() && exported === 'default') {
      const decl = stmt.get('declaration');
      if (decl.isFunctionDeclaration() || decl.isArrowFunctionExpression() || decl.isFunctionExpression()) return { kind: 'function', module, fn: decl as NodePath<t.Function> };
      if (decl.isIdentifier()) return localTarget(module, decl.node.name);
    } else if (stmt.isExportAllDeclaration()) {
      const next = foreignModule(graph, stmt.node.source.value, module.filename);
      if (next === null) continue;
      const found = resolveExport(graph, next, exported, depth + 1);
      if (found.kind !== 'missing') return found;
    }
  }
  return { kind: 'missing' };
}

function localTarget(module: ForeignModule, local: string): ExportTarget {
  const binding = module.program.scope.getBinding(local);
  if (binding === undefined) return { kind: 'missing' };
  const path = binding.path;
  if (path.isFunctionDeclaration()) return { kind: 'function', module, fn: path };
  if (path.isVariableDeclarator()) {
    const init = path.get('init');
    if (!Array.isArray(init) && (init.isArrowFunctionExpression() || init.isFunctionExpression())) return { kind: 'function', module, fn: init as NodePath<t.Function> };
  }
  return { kind: 'binding', module, local };
}

/** The name a top-level binding of `module` is exported under, or null. */
export function exportNameOf(module: ForeignModule, local: string): string | null {
  for (const stmt of module.program.node.body) {
    if (t.isExportNamedDeclaration(stmt) && stmt.source == null) {
      const decl = stmt.declaration;
      if (t.isVariableDeclaration(decl) && decl.declarations.some((d) => t.isIdentifier(d.id, { name: local }))) return local;
      if ((t.isFunctionDeclaration(decl) || t.isClassDeclaration(decl)) && decl.id?.name === local) return local;
      for (const spec of stmt.specifiers) if (t.isExportSpecifier(spec) && spec.local.name === local) return nameOf(spec.exported);
    }
    if (t.isExportDefaultDeclaration(stmt) && t.isIdentifier(stmt.declaration, { name: local })) return 'default';
  }
  return null;
}

export function nameOf(node: t.Identifier | t.StringLiteral): string {
  return t.isIdentifier(node) ? node.name : node.value;
}

/** An import specifier that reaches `target` from the module `from` (both absolute paths). */
export function relativeSpecifier(from: string, target: string): string {
  const rel = nodePath.relative(nodePath.dirname(from), target).split(nodePath.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
