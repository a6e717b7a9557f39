import { formatDiagnostic } from '@splice/compiler';
import { cachedCompile } from './compileCache';
import type { LoaderApi } from './api';
import { DIAGNOSTIC_ERROR_NAME, LOADER_API } from './api';

interface LoaderThis {
  resourcePath: string;
  rootContext: string;
  sourceMap: boolean;
  emitWarning(e: Error): void;
  emitError(e: Error): void;
  addDependency(file: string): void;
  addMissingDependency(file: string): void;
  callback(err: Error | null, code?: string, map?: any): void;
  [LOADER_API]?: LoaderApi;
}

function diagnosticError(message: string): Error {
  // A plain Error (webpack's persistent cache stores those) under a name the plugin knows.
  const error = new Error(message);
  error.name = DIAGNOSTIC_ERROR_NAME;
  // webpack prints the stack of loader errors unless told otherwise; a code frame says more.
  error.stack = '';
  return error;
}

/** Analyzes and instruments one module. Runs first in the chain (the plugin appends it last). */
export default function spliceLoader(this: LoaderThis, source: string, inputMap?: any): void {
  const api = this[LOADER_API];
  if (api === undefined) {
    this.callback(new Error('@splice/webpack-plugin/loader runs only under SplicePlugin: add `new SplicePlugin()` to `plugins`.'));
    return;
  }
  // Some loaders hand their map on as JSON text.
  const input: object | undefined = typeof inputMap === 'string' ? JSON.parse(inputMap) : (inputMap ?? undefined);
  // The client, server and edge builds of one process compile the same modules: see compileCache.ts.
  const result = cachedCompile(source, {
    filename: this.resourcePath,
    root: this.rootContext,
    runtimeModule: api.runtimeModule,
    ...(api.inlinedEnv.length > 0 ? { inlinedEnv: api.inlinedEnv } : {}),
    sourceMaps: this.sourceMap,
    // A loader ran before this one (placed so by hand): the map stays on the file as written.
    inputSourceMap: input,
    // Custom hooks and child components in the app's own modules are followed, read through the
    // build's reader and parsed once per build (see LoaderApi.modules).
    readModule: api.modules.readModule,
    moduleCache: api.modules.moduleCache,
  });
  // An edit to a followed hook's module can change this module's analysis.
  for (const file of result.dependencies) this.addDependency(file);
  // So can a file created where the analysis looked for one: a module that now shadows the one an
  // import resolved to (`child.jsx` before `child/index.jsx`), or a tsconfig that adds an alias.
  for (const file of result.missingDependencies) this.addMissingDependency(file);
  // Warnings go where webpack users look (webpack caches them with the module). The many "why
  // is this prop not patchable" notes travel in the analysis, and the plugin logs them once per
  // build from there: a module served from a persistent cache keeps its notes.
  for (const d of result.diagnostics) if (d.severity === 'warning') this.emitWarning(diagnosticError(formatDiagnostic(d)));
  // An error (the module does not parse) fails the module here: the loaders after this one
  // would only parse it again and report the same error a second time, with a stack trace.
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    this.callback(diagnosticError(errors.map(formatDiagnostic).join('\n\n')));
    return;
  }
  api.report({ components: result.components, propTypes: result.propTypes, diagnostics: result.diagnostics });
  if (!result.changed) {
    this.callback(null, source, inputMap);
    return;
  }
  if (result.map === null) {
    // With maps, no map means only code appended after the last line: the input's map still holds.
    this.callback(null, result.code, this.sourceMap ? inputMap : undefined);
    return;
  }
  // webpack names a loader's sources by absolute path (the compiler's are relative to the root).
  const map = input === undefined ? { ...result.map, sources: [this.resourcePath] } : result.map;
  api.output = { code: result.code, map };
  this.callback(null, result.code, map);
}
