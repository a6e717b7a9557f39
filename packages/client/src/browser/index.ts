/**
 * The browser build of `@splice/client`: what package.json's `browser` export condition gives a
 * bundler targeting the browser. The full build (`../index.ts`) writes markers, records package
 * hooks and re-renders at the edge; none of that runs in a browser, where hydration only has to
 * render the props the edge applied. This build does just that, in ES modules a bundler can
 * shake (see BENCHMARKS.md for its size), with the same exports and the same behaviour in the
 * browser: `test/browserBuild.test.tsx` holds the two to the same output.
 *
 * The two builds render the same tree shape (the same hooks in the same order, the same root
 * probe level), so `useId` agrees between a server render with the full build and hydration with
 * this one.
 */
export { SpliceContext, SpliceProvider, readBootstrap, resetBootstrapCache } from './provider';
export { useSpliceProps, useSpliceHook, registerSpliceComponent } from './hooks';
export type { SpliceProviderProps, SpliceState, SpliceView, SpliceInstance } from '../types';
export type { Override, Bootstrap, ComponentRef } from '@splice/manifest';
