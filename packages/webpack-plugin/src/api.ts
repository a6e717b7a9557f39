import type { ComponentEntry } from '@splice/manifest';
import type { Diagnostic, ModuleReader, ParsedModules } from '@splice/compiler';

/**
 * How the plugin and its loader talk: the plugin puts this API on every loader context (the
 * mini-css-extract-plugin pattern), the loader reports its module's analysis through it, and the
 * plugin keeps it in `module.buildInfo`, which webpack caches with the module, so watch
 * rebuilds and the persistent cache keep the manifest whole.
 */
export const LOADER_API = Symbol.for('@splice/webpack-plugin/loader-api');

export interface ModuleAnalysis {
  components: Record<string, ComponentEntry>;
  /** Declared prop types, for the component map (`componentTypes`). */
  propTypes?: Record<string, Record<string, string>>;
  diagnostics: Diagnostic[];
}

export interface LoaderApi {
  report(analysis: ModuleAnalysis): void;
  runtimeModule: string;
  /** Names of `process.env` the build replaces by constants (`SplicePluginOptions.inlinedEnv`). */
  inlinedEnv: string[];
  /**
   * The app's modules as this build reads them, shared by every module it analyzes: a page's
   * components reach most of the app (the contexts their descendants read), and each module is
   * read and parsed once per build, not once per module that reaches it. New for every build, so
   * that watch mode never analyzes a module as it was before an edit.
   */
  modules: { readModule: ModuleReader; moduleCache: ParsedModules };
  /** Set by the Splice loader; one API per module build, shared by its loaders. */
  output?: SpliceOutput;
}

export const BUILD_INFO_KEY = 'spliceAnalysis';

/** The name the loader gives its errors, which is how the plugin tells them among a build's errors. */
export const DIAGNOSTIC_ERROR_NAME = 'SpliceDiagnostic';

/** What the Splice loader made of a module it changed, for the plugin's last loader (`remapLoader.ts`). */
export interface SpliceOutput {
  code: string;
  /** Into the module's source file (through the map of any loader that ran before). */
  map: object;
}
