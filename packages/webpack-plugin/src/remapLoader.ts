import { LOADER_API } from './api';
import type { LoaderApi } from './api';

interface LoaderThis {
  callback(err: Error | null, code?: string | Buffer, map?: unknown, meta?: unknown): void;
  [LOADER_API]?: LoaderApi;
}

/** Given the maps of a chain of transforms, the last one first, the map of the whole chain. */
type Remapping = (maps: object[], loader: () => null) => object;
// Typed here: TypeScript 7 cannot parse the package's CommonJS declarations (`export = function …`).
const remapping: Remapping = require('@jridgewell/remapping');

/**
 * Keeps source maps on the file as written. The Splice loader runs first and instruments the
 * source; a loader after it that ignores the map it is given (esbuild-loader: esbuild's
 * transform cannot take one) returns a map into Splice's output, and the browser would show
 * that code, its lines shifted. Run last (the plugin puts it first in the module's loaders,
 * when webpack wants maps), this loader sees such a map by its source content and chains it
 * through Splice's. A map already chained (babel-loader, swc-loader, ts-loader do) is left as is.
 */
export default function spliceRemapLoader(this: LoaderThis, code: string | Buffer, map?: unknown, meta?: unknown): void {
  const splice = this[LOADER_API]?.output;
  const parsed: unknown = typeof map === 'string' ? JSON.parse(map) : map;
  if (splice === undefined || parsed === splice.map || !isMapOfOnly(parsed, splice.code)) {
    this.callback(null, code, map, meta);
    return;
  }
  this.callback(null, code, remapping([parsed, splice.map], () => null), meta);
}

/** A map of one file whose text is `code` (a map of several is not one module's transform). */
function isMapOfOnly(map: unknown, code: string): map is object {
  if (typeof map !== 'object' || map === null) return false;
  const { sources, sourcesContent } = map as { sources?: unknown; sourcesContent?: unknown };
  return Array.isArray(sources) && sources.length === 1 && Array.isArray(sourcesContent) && sourcesContent[0] === code;
}
