declare module 'splice-manifest.json' { const manifest: unknown; export default manifest; }
declare module 'splice-pages.json' { const pages: Record<string, unknown>; export default pages; }
