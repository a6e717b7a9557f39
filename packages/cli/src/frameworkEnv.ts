import * as fs from 'fs';
import * as nodePath from 'path';

/** What a framework's build replaces in `process.env`, found for one package. */
export interface FrameworkEnv {
  framework: 'Next.js';
  /** The package.json that declares the framework (absolute). */
  packageJson: string;
  /** In the compiler's `inlinedEnv` form. */
  inlinedEnv: readonly string[];
}

/**
 * Next.js replaces every `process.env.NEXT_PUBLIC_*` by its value when it builds, in the
 * server and client bundles alike (its documented behaviour, under webpack and Turbopack), so
 * a render that reads one gives the same bytes at the origin and in the edge module built from
 * the same bundle. `splice analyze` has no build to read its DefinePlugins from, as
 * SplicePlugin does, so it takes this from the package that declares `next`.
 * NODE_ENV is left out: the analysis counts it inlined only for a production build.
 */
const NEXT: FrameworkEnv['inlinedEnv'] = ['NEXT_PUBLIC_*'];

/**
 * The framework env of the package `file` belongs to: the nearest package.json above it that
 * declares `next` in `dependencies`, `devDependencies` or `peerDependencies` (a library built
 * for Next.js, like a theme, is bundled by the app's build too). `cache` maps folders to their
 * answer, so a tree is read once per folder.
 */
export function frameworkEnvOf(file: string, cache: Map<string, FrameworkEnv | null>): FrameworkEnv | null {
  const seen: string[] = [];
  let dir = nodePath.dirname(file);
  let found: FrameworkEnv | null = null;
  for (;;) {
    const known = cache.get(dir);
    if (known !== undefined) {
      found = known;
      break;
    }
    seen.push(dir);
    const pkg = nodePath.join(dir, 'package.json');
    const declared = declaresNext(pkg);
    if (declared !== undefined) {
      found = declared ? { framework: 'Next.js', packageJson: pkg, inlinedEnv: NEXT } : null;
      break;
    }
    const parent = nodePath.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of seen) cache.set(d, found);
  return found;
}

/** undefined: no package.json here (look further up). A package.json that does not parse declares nothing. */
function declaresNext(pkg: string): boolean | undefined {
  let text: string;
  try {
    text = fs.readFileSync(pkg, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'peerDependencies'].some((k) => {
      const deps = json[k];
      return typeof deps === 'object' && deps !== null && Object.prototype.hasOwnProperty.call(deps, 'next');
    });
  } catch {
    return false;
  }
}
