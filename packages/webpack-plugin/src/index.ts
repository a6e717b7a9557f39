export { SplicePlugin } from './SplicePlugin';
export type { SplicePluginOptions } from './SplicePlugin';
export { buildManifest } from './manifest';
