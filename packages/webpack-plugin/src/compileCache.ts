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
 * of the app its analysis read (hooks, the contexts of child components). Every read is recorded
 * as asked (specifier and importer) and as answered (the file found and its text, or none), and a
 * result is reused only if each read gives the same answer through the current build's reader:
 * a file created where an import found none, one that now shadows the file it resolved to, or an
 * edited tsconfig alias changes an answer. Otherwise it compiles again and replaces the entry:
 * one per module.
 */
interface Entry {
  source: string;
  options: string;
  /** Each read the analysis made, with what the reader answered (null: no module). */
  read: Read[];
  result: CompileResult;
}

interface Read {
  specifier: string;
  importer: string;
  found: { filename: string; code: string } | null;
}

const entries = new Map<string, Entry>();

export function cachedCompile(source: string, options: CompileOptions & { filename: string; readModule: ModuleReader }): CompileResult {
  const { readModule, moduleCache: _moduleCache, ...rest } = options;
  const identity = JSON.stringify(rest);
  const known = entries.get(options.filename);
  if (known !== undefined && known.source === source && known.options === identity && stillReads(known.read, readModule)) return known.result;
  const reads = new Map<string, Read>();
  const recording: ModuleReader = (specifier, importer) => {
    const found = readModule(specifier, importer);
    // Once per specifier and importer: the reader answers the same for the whole build.
    reads.set(`${importer}\0${specifier}`, { specifier, importer, found: found === null ? null : { filename: found.filename, code: found.code } });
    return found;
  };
  // What else a read looked at is the reader's to say; the recorded answers above decide reuse.
  if (readModule.lookups !== undefined) recording.lookups = readModule.lookups;
  const result = compile(source, { ...options, readModule: recording });
  entries.set(options.filename, { source, options: identity, read: [...reads.values()], result });
  return result;
}

/** Every read still gives the same answer (through this build's reader, which reads each file once). */
function stillReads(read: readonly Read[], readModule: ModuleReader): boolean {
  for (const { specifier, importer, found } of read) {
    const now = readModule(specifier, importer);
    if (found === null ? now !== null : now === null || now.filename !== found.filename || now.code !== found.code) return false;
  }
  return true;
}

/** For tests: forget every result. */
export function clearCompileCache(): void {
  entries.clear();
}
