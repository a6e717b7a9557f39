import * as fs from 'fs';
import { createModuleReader } from '@splice/compiler';
import { analyzeSources, displayPath, type AnalyzeReport, type FileFailure, type SourceFile } from './analyze';
import { findSourceFiles } from './walk';
import { frameworkEnvOf, type FrameworkEnv } from './frameworkEnv';

export type { AnalyzeReport, AnalyzeOptions, ComponentReport, FileFailure, PropEntry, PropTier, SourceFile, Summary } from './analyze';
export { analyzeSources, displayPath } from './analyze';
export { findSourceFiles, isSourceFile, SKIPPED_DIRECTORIES, SOURCE_EXTENSIONS, type WalkResult } from './walk';
export { formatReport } from './format';

/** Thrown by `analyzePaths` when a given path does not exist: the report would silently lie. */
export class MissingPathError extends Error {
  constructor(readonly paths: string[]) {
    super(`no such file or directory: ${paths.join(', ')}`);
    this.name = 'MissingPathError';
  }
}

export interface AnalyzePathsOptions {
  /** Paths are resolved against it and shown relative to it. Default: `process.cwd()`. */
  cwd?: string;
  now?: () => number;
  /** Names of `process.env` the app's build replaces by constants (`--inline-env`; see SplicePlugin's `inlinedEnv`). */
  inlinedEnv?: string[];
  /**
   * Count what a framework's build inlines as inlined: `NEXT_PUBLIC_*` in files of a package
   * that declares `next` (see `frameworkEnvOf`). Default true; `--no-framework-env` turns it off.
   */
  frameworkEnv?: boolean;
}

/**
 * Finds the source files under `paths` and analyzes each with the compiler. Never throws for a
 * bad file (it is a `failedFiles` entry); throws `MissingPathError` for a path that does not exist.
 */
export function analyzePaths(paths: readonly string[], options: AnalyzePathsOptions = {}): AnalyzeReport {
  const cwd = options.cwd ?? process.cwd();
  const { files, missing } = findSourceFiles(paths, cwd);
  if (missing.length > 0) throw new MissingPathError(missing);

  const unreadable: FileFailure[] = [];
  const frameworks = new Map<string, FrameworkEnv | null>();
  const used = new Map<FrameworkEnv, number>();
  // Read lazily: a large tree is never held in memory all at once.
  function* sources(): Generator<SourceFile> {
    for (const path of files) {
      let code: string;
      try {
        code = fs.readFileSync(path, 'utf8');
      } catch (err) {
        unreadable.push({ file: displayPath(path, cwd), line: 1, code: 'EREAD', message: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const framework = options.frameworkEnv === false ? null : frameworkEnvOf(path, frameworks);
      if (framework === null) yield { path, code };
      else {
        used.set(framework, (used.get(framework) ?? 0) + 1);
        yield { path, code, inlinedEnv: framework.inlinedEnv };
      }
    }
  }
  // Relative imports are followed to the custom hooks they name, as the webpack loader does.
  const report = analyzeSources(sources(), { cwd, readModule: createModuleReader(), ...(options.now ? { now: options.now } : {}), ...(options.inlinedEnv ? { inlinedEnv: options.inlinedEnv } : {}) });
  report.summary.failedFiles.push(...unreadable);
  for (const [f, files] of used) report.summary.frameworkEnv.push({ framework: f.framework, packageJson: displayPath(f.packageJson, cwd), inlinedEnv: [...f.inlinedEnv], files });
  return report;
}

export { loadProject, projectOf, fileOfRoute, ProjectError } from './project';
export type { SpliceProject, PrerenderOptions } from './project';
export { buildProject, prerender, BuildError } from './build';
export type { BuildLog, BuildResult } from './build';
export { startDev } from './dev';
export type { DevOptions, DevServer, DevLog } from './dev';
export { previewPage, diffHtml, PreviewError } from './preview';
export type { Visitor } from './preview';
export { formatRequest, observeResponse } from './requestLog';
export type { RequestRecord } from './requestLog';
export { run } from './commands';
