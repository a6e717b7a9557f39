export { SpliceProvider, SpliceContext } from './SpliceProvider';
export type { SpliceProviderProps, SpliceState, SpliceView } from './SpliceProvider';
export { useSpliceProps } from './useSpliceProps';
export { useSpliceHook } from './hookReplay';
export type { SpliceInstance } from './useSpliceProps';
export { readBootstrap, resetBootstrapCache } from './bootstrap';
export type { Override, Bootstrap, ComponentRef } from '@splice/manifest';
export { registerSpliceComponent } from './registry';
