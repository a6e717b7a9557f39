import * as nodePath from 'path';
import { compile } from '@splice/compiler';
import type { CompileOptions, CompileResult, ModuleReader } from '@splice/compiler';

/**
 * The compiler's result for a module, kept for the process: an app's client and server builds
 * compile every component module with the same options, and the edge module's build compiles
 * the re-renderable ones again. Analysing and instrumenting one takes as long as the rest of its
 * build, so the second and third compile of the same input reuse the first's result.
 *
 * Sound because `compile` is a function of its input: the module's source, the options that
 * reach the code (file, root, runtime module, source maps, the input map), and the other modules
 * of the app its analysis read (hooks, the contexts of child components). Those are recorded as
 * the reader gave them, and a result is reused only if each still reads the same through the
 * current build's reader. Otherwise it compiles again and replaces the entry: one per module.
 */
interface Entry {
  source: string;
  options: string;
  /** Each module the analysis read, as it read it. */
  read: Map<string, string>;
  result: CompileResult;
}

const entries = new Map<string, Entry>();

export function cachedCompile(source: string, options: CompileOptions & { filename: string; readModule: ModuleReader }): CompileResult {
  const { readModule, moduleCache: _moduleCache, ...rest } = options;
  const identity = JSON.stringify(rest);
  const known = entries.get(options.filename);
  if (known !== undefined && known.source === source && known.options === identity && stillReads(known.read, readModule)) return known.result;
  const read = new Map<string, string>();
  const recording: ModuleReader = (specifier, importer) => {
    const found = readModule(specifier, importer);
    if (found !== null) read.set(found.filename, found.code);
    return found;
  };
  const result = compile(source, { ...options, readModule: recording });
  entries.set(options.filename, { source, options: identity, read, result });
  return result;
}

/** Every module still reads as it did (through this build's reader, which reads each file once). */
function stillReads(read: Map<string, string>, readModule: ModuleReader): boolean {
  for (const [filename, code] of read) {
    const now = readModule(`./${nodePath.basename(filename)}`, filename);
    if (now === null || now.filename !== filename || now.code !== code) return false;
  }
  return true;
}

/** For tests: forget every result. */
export function clearCompileCache(): void {
  entries.clear();
}
