export { serveNode, startNodeServer } from './serveNode';
export type { ServeNodeOptions, WorkerModule, ExecutionContextLike } from './serveNode';
export { nodeAssets } from './assets';
export type { AssetsBinding } from './assets';
export { serveWorkerd, createTestEdge, createWorkerdRunner, visitorHeaders } from './workerd';
export type { WorkerdOptions, TestEdge, TestVisitor, WorkerdRunner } from './workerd';
export { MemoryCache, memoryCaches } from './memoryCache';
export type { MemoryCacheOptions } from './memoryCache';
