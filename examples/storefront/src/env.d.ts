declare module 'splice-manifest.json' { const manifest: unknown; export default manifest; }
declare module 'splice-pages.json' { const pages: Record<string, unknown>; export default pages; }
declare module 'splice-edge.mjs' {
  /** The edge module SplicePlugin emits: re-renders instances for structural overrides. */
  export const renderer: import('@splice/edge').SpliceRenderer;
  export const components: string[];
}
