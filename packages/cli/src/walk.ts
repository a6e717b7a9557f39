import * as fs from 'fs';
import * as nodePath from 'path';

/** Extensions the compiler can parse (its parser picks TypeScript or JSX from the extension). */
export const SOURCE_EXTENSIONS: readonly string[] = ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts'];

/**
 * Directories never descended into: installed dependencies, VCS data and build output are not
 * the project's own components, and output would count every component twice.
 */
export const SKIPPED_DIRECTORIES: readonly string[] = ['node_modules', '.git', 'dist', 'build', '.next', 'coverage'];

export interface WalkResult {
  /** Absolute paths, sorted and without duplicates, so reports are reproducible. */
  files: string[];
  /** The given paths that do not exist, as given. */
  missing: string[];
}

export function isSourceFile(file: string): boolean {
  // Declaration files hold no code to analyze.
  if (/\.d\.[cm]?ts$/.test(file)) return false;
  return SOURCE_EXTENSIONS.includes(nodePath.extname(file));
}

/**
 * The source files under `paths` (relative to `cwd`). A file named explicitly is taken even when
 * its extension or folder would be skipped during a walk: the user asked for it.
 */
export function findSourceFiles(paths: readonly string[], cwd: string = process.cwd()): WalkResult {
  const found = new Set<string>();
  const missing: string[] = [];
  for (const given of paths) {
    const abs = nodePath.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      missing.push(given);
      continue;
    }
    if (stat.isDirectory()) walk(abs, found);
    else found.add(abs);
  }
  return { files: [...found].sort(), missing };
}

function walk(dir: string, found: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    // An unreadable folder is not worth aborting a whole report for.
    return;
  }
  for (const entry of entries) {
    const full = nodePath.join(dir, entry.name);
    // Symbolic links are not followed (Dirent reports them as neither), which also rules out cycles.
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.includes(entry.name)) walk(full, found);
    } else if (entry.isFile() && isSourceFile(entry.name)) {
      found.add(full);
    }
  }
}
