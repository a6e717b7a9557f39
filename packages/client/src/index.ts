export { SpliceProvider, SpliceContext } from './SpliceProvider';
export type { SpliceProviderProps, SpliceState, SpliceView, SpliceInstance } from './types';
export { useSpliceProps } from './useSpliceProps';
export { useSpliceHook } from './hookReplay';
export { readBootstrap, resetBootstrapCache } from './bootstrap';
export type { Override, Bootstrap, ComponentRef } from '@splice/manifest';
export { registerSpliceComponent } from './registry';
