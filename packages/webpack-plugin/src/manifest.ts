import { hashString, MANIFEST_SCHEMA_VERSION } from '@splice/manifest';
import type { ComponentEntry, SpliceManifest } from '@splice/manifest';

/**
 * The manifest of a whole build from the per-module analyses. Keys are sorted so that the
 * same sources give the same bytes whatever order webpack built the modules in.
 */
export function buildManifest(components: Iterable<[string, ComponentEntry]>): SpliceManifest {
  const sorted = [...components].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const record: Record<string, ComponentEntry> = {};
  for (const [key, entry] of sorted) record[key] = entry;
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    buildId: hashString(sorted.map(([key]) => key).join('\n')),
    components: record,
  };
}
