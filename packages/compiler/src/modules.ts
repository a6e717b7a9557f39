import * as fs from 'fs';
import * as nodePath from 'path';
import * as t from '@babel/types';
import { traverse, type NodePath } from './babel';
import { parseSource } from './parse';

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
export type ModuleReader = ((specifier: string, importer: string) => ModuleSource | null) & {
  /**
   * What else the answer for `specifier` from `importer` depends on, for a build to watch: the
   * files looked for and not found (before the one found, or all when none was), whose creation
   * would change the answer, and the tsconfig/jsconfig files read on the way. Optional: a reader
   * without it leaves a watching build blind to those, nothing more.
   */
  lookups?: (specifier: string, importer: string) => Lookups;
};

/** See `ModuleReader.lookups`. */
export interface Lookups {
  missing: readonly string[];
  configs: readonly string[];
}

const NO_LOOKUPS: Lookups = { missing: [], configs: [] };

const EXTENSIONS: readonly string[] = ['.tsx', '.ts', '.jsx', '.js', '.mjs', '.cjs'];

/**
 * The reader `splice analyze` and the webpack loader use: relative specifiers resolved as
 * TypeScript and webpack resolve them (the file itself, with a source extension, or its folder's
 * `index`), and the app's own aliases from the nearest `tsconfig.json`/`jsconfig.json`
 * (`compilerOptions.paths`, and bare specifiers under `baseUrl`). Anything else is a package:
 * null. Reads are kept for the reader's life: one per build or per `splice analyze` run.
 */
export function createModuleReader(options: { extensions?: readonly string[] } = {}): ModuleReader {
  // In the bundler's order where it says one (`resolve.extensions`): with `tokens.js` and
  // `tokens.ts` side by side, the analysis must read the file the bundle imports.
  const preferred = (options.extensions ?? []).filter((e) => EXTENSIONS.includes(e));
  const order = preferred.length > 0 ? [...preferred, ...EXTENSIONS.filter((e) => !preferred.includes(e))] : EXTENSIONS;
  const cache = new Map<string, { found: ModuleSource | null; missing: string[] }>();
  const configs = new Map<string, ConfigLookup>();
  const readFile = (base: string): { found: ModuleSource | null; missing: string[] } => {
    const known = cache.get(base);
    if (known !== undefined) return known;
    let found: ModuleSource | null = null;
    const missing: string[] = [];
    // A `.js` specifier may name a `.ts` file (TypeScript's node16 resolution).
    const stem = /\.[cm]?jsx?$/.test(base) ? base.replace(/\.[cm]?jsx?$/, '') : null;
    const candidates = [
      ...(EXTENSIONS.some((e) => base.endsWith(e)) ? [base] : []),
      ...order.map((e) => base + e),
      ...(stem !== null ? order.map((e) => stem + e) : []),
      ...order.map((e) => nodePath.join(base, `index${e}`)),
    ];
    for (const file of candidates) {
      try {
        // Most candidates are not there: an answer, not an error thrown (with its stack) for each.
        if (fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true) {
          found = { filename: file, code: fs.readFileSync(file, 'utf8') };
          break;
        }
      } catch {
        // not this one
      }
      missing.push(file);
    }
    const entry = { found, missing };
    cache.set(base, entry);
    return entry;
  };
  // By importer, then specifier: a key joined from both would be a new long string to hash on
  // every one of the many repeated reads.
  const resolved = new Map<string, Map<string, { found: ModuleSource | null; lookups: Lookups }>>();
  const resolve = (specifier: string, importer: string): { found: ModuleSource | null; lookups: Lookups } => {
    let byImporter = resolved.get(importer);
    if (byImporter === undefined) resolved.set(importer, (byImporter = new Map()));
    let known = byImporter.get(specifier);
    if (known === undefined) byImporter.set(specifier, (known = resolveUncached(specifier, importer)));
    return known;
  };
  const resolveUncached = (specifier: string, importer: string): { found: ModuleSource | null; lookups: Lookups } => {
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      const { found, missing } = readFile(nodePath.resolve(nodePath.dirname(importer), specifier));
      return { found, lookups: { missing, configs: [] } };
    }
    const { config, missing: missingConfigs, files } = pathConfigFor(nodePath.dirname(importer), configs);
    const missing = [...missingConfigs];
    if (config !== null) {
      for (const base of aliasTargets(config, specifier)) {
        const read = readFile(base);
        missing.push(...read.missing);
        if (read.found !== null) return { found: read.found, lookups: { missing, configs: files } };
      }
    }
    return { found: null, lookups: { missing, configs: files } };
  };
  const reader: ModuleReader = (specifier, importer) => resolve(specifier, importer).found;
  reader.lookups = (specifier, importer) => resolve(specifier, importer).lookups;
  return reader;
}

/** What of a tsconfig maps specifiers to the app's files. */
interface PathConfig {
  /** Where `paths` targets are resolved from: `baseUrl`, else the config's folder. */
  base: string;
  /** Bare specifiers are looked for here too (only with an explicit `baseUrl`). */
  baseUrl: string | null;
  paths: [pattern: string, targets: string[]][];
}

/** Candidate files (without extension) an aliased specifier may name, most specific pattern first. */
function aliasTargets(config: PathConfig, specifier: string): string[] {
  const out: string[] = [];
  const matches = config.paths
    .map(([pattern, targets]) => {
      const star = pattern.indexOf('*');
      if (star < 0) return pattern === specifier ? { rest: null as string | null, targets, prefix: pattern.length } : null;
      const head = pattern.slice(0, star);
      const tail = pattern.slice(star + 1);
      if (!specifier.startsWith(head) || !specifier.endsWith(tail) || specifier.length < head.length + tail.length) return null;
      return { rest: specifier.slice(head.length, specifier.length - tail.length), targets, prefix: head.length };
    })
    .filter((m): m is { rest: string | null; targets: string[]; prefix: number } => m !== null)
    .sort((a, b) => b.prefix - a.prefix);
  for (const m of matches) for (const t of m.targets) out.push(nodePath.resolve(config.base, m.rest === null ? t : t.replace('*', m.rest)));
  if (config.baseUrl !== null) out.push(nodePath.resolve(config.baseUrl, specifier));
  return out;
}

/**
 * The app's aliases that apply in a folder, with what deciding that looked at: the config files
 * read (the nearest one and what it extends) and those looked for and not found on the way up.
 */
interface ConfigLookup {
  config: PathConfig | null;
  missing: string[];
  files: string[];
}

/** The nearest tsconfig.json / jsconfig.json above `dir` (with what it extends), per folder. */
function pathConfigFor(dir: string, configs: Map<string, ConfigLookup>): ConfigLookup {
  const known = configs.get(dir);
  if (known !== undefined) return known;
  let found: ConfigLookup | null = null;
  const missing: string[] = [];
  for (const name of ['tsconfig.json', 'jsconfig.json']) {
    const file = nodePath.join(dir, name);
    if (!fs.existsSync(file)) {
      missing.push(file);
      continue;
    }
    const files: string[] = [];
    found = { config: readPathConfig(file, 0, files), missing, files };
    break;
  }
  if (found === null) {
    const parent = nodePath.dirname(dir);
    const above = parent === dir ? { config: null, missing: [], files: [] } : pathConfigFor(parent, configs);
    found = { config: above.config, missing: [...missing, ...above.missing], files: above.files };
  }
  configs.set(dir, found);
  return found;
}

function readPathConfig(file: string, depth: number, files: string[]): PathConfig | null {
  let json: { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
  files.push(file);
  try {
    json = JSON.parse(stripJsonComments(fs.readFileSync(file, 'utf8'))) as typeof json;
  } catch {
    return null;
  }
  const dir = nodePath.dirname(file);
  // Only a relative `extends` is followed (a package's shared config has no app paths).
  const parent = typeof json.extends === 'string' && json.extends.startsWith('.') && depth < 5
    ? readPathConfig(nodePath.resolve(dir, json.extends.endsWith('.json') ? json.extends : `${json.extends}.json`), depth + 1, files)
    : null;
  const options = json.compilerOptions ?? {};
  const baseUrl = typeof options.baseUrl === 'string' ? nodePath.resolve(dir, options.baseUrl) : parent?.baseUrl ?? null;
  const ownPaths = typeof options.paths === 'object' && options.paths !== null
    ? Object.entries(options.paths as Record<string, unknown>).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((t) => typeof t === 'string'))
    : null;
  if (ownPaths === null && baseUrl === null && parent === null) return null;
  return {
    base: baseUrl ?? (ownPaths !== null ? dir : parent?.base ?? dir),
    baseUrl,
    paths: ownPaths ?? parent?.paths ?? [],
  };
}

/** tsconfig files are JSON with comments and trailing commas. */
function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') { out += text[++i] ?? ''; continue; }
      if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; out += c; continue; }
    if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; out += '\n'; continue; }
    if (c === '/' && text[i + 1] === '*') { i += 2; while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++; i++; continue; }
    out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** A module read for its hooks: parsed once per compile session. */
export interface ForeignModule {
  filename: string;
  code: string;
  program: NodePath<t.Program>;
}

/**
 * Modules parsed for the compiles that share it (a corpus run): their syntax trees, null for one
 * that does not parse. Only the trees: a compile makes its own paths and scopes over them and
 * takes them out of Babel's caches when it is done (`releaseTree`).
 */
export type ParsedModules = Map<string, t.File | null>;

/**
 * Following hooks across modules: the reader, the modules this compile has walked (shared by
 * every component of it), the trees shared across compiles, and the files read (a build must
 * rebuild the component when one of them changes).
 */
export interface ModuleGraph {
  read: ModuleReader;
  parsed: Map<string, ForeignModule | null>;
  trees: ParsedModules;
  dependencies: Set<string>;
  /** Files looked for and not found by any read: creating one can change this compile's answers. */
  missing: Set<string>;
}

export function createModuleGraph(reader: ModuleReader, trees: ParsedModules = new Map()): ModuleGraph {
  const dependencies = new Set<string>();
  const missing = new Set<string>();
  // Every read the analysis makes, for whatever it asks (a tree, or only whether a module of the
  // app is there), answers from what the reader looked at: a build watches all of it.
  // A reader answers a repeated question with the same lookups (`createModuleReader` keeps them):
  // those added once add nothing again, and a compile asks the same questions over and over
  // (four times each on average over the benchmark's corpus, up to 1,669 reads in one file).
  const added = new Set<Lookups>();
  const read: ModuleReader = (specifier, importer) => {
    const lookups = reader.lookups?.(specifier, importer) ?? NO_LOOKUPS;
    if (!added.has(lookups)) {
      added.add(lookups);
      for (const file of lookups.missing) missing.add(file);
      for (const file of lookups.configs) dependencies.add(file);
    }
    return reader(specifier, importer);
  };
  return { read, parsed: new Map(), trees, dependencies, missing };
}

/**
 * The module an import of `specifier` from `importer` names, read, and its tree (parsed once for
 * whoever shares `graph.trees`; null when it does not parse). Null when there is no module of the
 * app to read (a package). A build rebuilds the importer when the module changes.
 */
export function moduleTree(graph: ModuleGraph, specifier: string, importer: string): { source: ModuleSource; tree: t.File | null } | null {
  const source = graph.read(specifier, importer);
  if (source === null) return null;
  graph.dependencies.add(source.filename);
  let tree = graph.trees.get(source.filename);
  if (tree === undefined) {
    tree = parseModule(source);
    graph.trees.set(source.filename, tree);
  }
  return { source, tree };
}

/** The module an import of `specifier` from `importer` names, parsed; null when it cannot be read or parsed. */
export function foreignModule(graph: ModuleGraph, specifier: string, importer: string): ForeignModule | null {
  const found = moduleTree(graph, specifier, importer);
  if (found === null) return null;
  const { source, tree: ast } = found;
  const known = graph.parsed.get(source.filename);
  if (known !== undefined) return known;
  let parsed: ForeignModule | null = null;
  if (ast !== null) {
    const tree = ast;
    try {
      traverse(tree, { Program(p) { parsed = { filename: source.filename, code: source.code, program: p }; p.stop(); } });
    } catch {
      parsed = null;
    }
  }
  graph.parsed.set(source.filename, parsed);
  return parsed;
}

function parseModule(source: ModuleSource): t.File | null {
  // Parsed as the compile parses the module itself (decorators included): a hook module the
  // build compiles must not be one the analysis cannot follow.
  try {
    return parseSource(source.code, source.filename, source.filename);
  } catch {
    return null;
  }
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
    // `export type { X }`, `export { type X }`: erased, nothing is exported at run time.
    if (stmt.isExportNamedDeclaration() && stmt.node.exportKind !== 'type') {
      const decl = stmt.get('declaration');
      if (decl.isFunctionDeclaration() && decl.node.id?.name === exported) return { kind: 'function', module, fn: decl };
      if (decl.isVariableDeclaration()) {
        for (const d of decl.get('declarations')) {
          if (!t.isIdentifier(d.node.id, { name: exported })) {
            // `export const { random } = Math`: a binding, whose initializer a caller may want to see.
            if (!t.isIdentifier(d.node.id) && Object.hasOwn(t.getBindingIdentifiers(d.node.id), exported)) return { kind: 'binding', module, local: exported };
            continue;
          }
          const init = d.get('init');
          if (!Array.isArray(init) && (init.isArrowFunctionExpression() || init.isFunctionExpression())) return { kind: 'function', module, fn: init as NodePath<t.Function> };
          return { kind: 'binding', module, local: exported };
        }
      }
      for (const spec of stmt.node.specifiers) {
        if (!t.isExportSpecifier(spec) || spec.exportKind === 'type' || nameOf(spec.exported) !== exported) continue;
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
    }
  }
  // As in ES modules: the module's own exports shadow `export *`, which never gives `default`.
  if (exported === 'default') return { kind: 'missing' };
  for (const stmt of module.program.get('body')) {
    // `export type * from './x'` (TypeScript 5): erased, it re-exports nothing at run time.
    if (!stmt.isExportAllDeclaration() || stmt.node.exportKind === 'type') continue;
    const next = foreignModule(graph, stmt.node.source.value, module.filename);
    if (next === null) continue;
    const found = resolveExport(graph, next, exported, depth + 1);
    if (found.kind !== 'missing') return found;
  }
  return { kind: 'missing' };
}

function localTarget(module: ForeignModule, local: string): ExportTarget {
  const binding = module.program.scope.getBinding(local);
  if (binding === undefined) return { kind: 'missing' };
  const fn = functionOf(binding.path);
  return fn === null ? { kind: 'binding', module, local } : { kind: 'function', module, fn };
}

/** The function a binding's declaration is: a function declaration, or a variable initialized with a function. */
export function functionOf(declaration: NodePath): NodePath<t.Function> | null {
  if (declaration.isFunctionDeclaration()) return declaration;
  if (declaration.isVariableDeclarator()) {
    const init = declaration.get('init');
    if (!Array.isArray(init) && (init.isArrowFunctionExpression() || init.isFunctionExpression())) return init as NodePath<t.Function>;
  }
  return null;
}

/** The name a top-level binding of a module is exported under, or null. */
export function exportNameOf(program: t.Program, local: string): string | null {
  for (const stmt of program.body) {
    // A type-only export (`export type { x }`, `export { type x }`) exports nothing at run time.
    if (t.isExportNamedDeclaration(stmt) && stmt.source == null && stmt.exportKind !== 'type') {
      const decl = stmt.declaration;
      if (t.isVariableDeclaration(decl) && decl.declarations.some((d) => t.isIdentifier(d.id, { name: local }))) return local;
      if ((t.isFunctionDeclaration(decl) || t.isClassDeclaration(decl)) && decl.id?.name === local) return local;
      for (const spec of stmt.specifiers) if (t.isExportSpecifier(spec) && spec.exportKind !== 'type' && spec.local.name === local) return nameOf(spec.exported);
    }
    if (t.isExportDefaultDeclaration(stmt) && t.isIdentifier(stmt.declaration, { name: local })) return 'default';
  }
  return null;
}

/** What a call's callee is imported as: `f()` of a named or default import, `Ns.f()` of a namespace or default import. */
export interface CalleeImport {
  source: string;
  kind: 'named' | 'default' | 'namespace';
  /** The callee is a member of the import (`Ns.f`, `React.useMemo`), not the import itself. */
  member: boolean;
  /** The name the module exports it by: a named import's, `default`, or for a member, the member's. */
  exported: string;
  /** The local name of the import. */
  local: string;
}

export function calleeImport(call: NodePath<t.CallExpression>): CalleeImport | null {
  const callee = call.node.callee;
  let local: string;
  let property: string | null = null;
  if (t.isIdentifier(callee)) local = callee.name;
  else if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.object) && t.isIdentifier(callee.property)) {
    local = callee.object.name;
    property = callee.property.name;
  } else return null;
  const binding = call.scope.getBinding(local);
  if (binding?.kind !== 'module') return null;
  const spec = binding.path.node;
  const decl = binding.path.parentPath?.node;
  if (!t.isImportDeclaration(decl) || decl.importKind === 'type') return null;
  const kind = t.isImportNamespaceSpecifier(spec) ? 'namespace' : t.isImportDefaultSpecifier(spec) ? 'default' : 'named';
  const exported = property ?? (t.isImportSpecifier(spec) ? nameOf(spec.imported) : 'default');
  return { source: decl.source.value, kind, member: property !== null, exported, local };
}

export function nameOf(node: t.Identifier | t.StringLiteral): string {
  return t.isIdentifier(node) ? node.name : node.value;
}

/** A member expression's property name (`a.b`, `a['b']`), or null when it is computed otherwise. */
export function memberName(node: t.MemberExpression | t.OptionalMemberExpression): string | null {
  return t.isIdentifier(node.property) && !node.computed ? node.property.name : t.isStringLiteral(node.property) ? node.property.value : null;
}

/** An import specifier that reaches `target` from the module `from` (both absolute paths). */
export function relativeSpecifier(from: string, target: string): string {
  const rel = nodePath.relative(nodePath.dirname(from), target).split(nodePath.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
