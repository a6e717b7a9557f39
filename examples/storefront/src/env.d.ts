declare module 'splice-manifest.json' { const manifest: unknown; export default manifest; }
