export { planOverrides, effectiveProps } from './plan';
export type { PlanOptions } from './plan';
export { patchHtml, createPatchStream, preparePage, preparePageSync } from './patchStream';
export type { PreparedPage } from './patchStream';
export { validatePageIndex, PageIndexError } from './pageIndex';
export type { PageIndex, IndexedInstance, IndexedSite } from './pageIndex';
export { overridesForClient, shownOf } from './bootstrap';
export type {
  OverridePlan, PlannedOverride, ResolvedOverride, SkippedOverride, PlanResult, PatchReport, PatchOptions, PatchLimits, SpliceRenderer, RenderRequest, ClientFacts, ExperimentSpan,
} from './types';
export { handleSpliceRequest, SPLICE_HEADER, SKIPPED_HEADER } from './handler';
export type { SpliceRequestOptions } from './handler';
export { createEdgeHandler, decide, createPreviewToken, cacheBuild, PREVIEW_HEADER, EXPERIMENTS_HEADER, CACHE_HEADER, DEFAULT_EXPOSURE_PATH } from './edgeHandler';
export { cacheKey, edgeLifetime, cacheDirectives, unstorable, stripSurrogate, lookupBase } from './baseCache';
export type { CacheConfig, CacheLike, CacheStorageLike, CacheStatus, EdgeLifetime, BaseLookup, BaseCacheOptions } from './baseCache';
export type { EdgeHandlerOptions, EdgeEnv, WaitUntil, Decision } from './edgeHandler';
export { defineConfig, checkConfig, pathMatches, ConfigError } from './config';
export type { SpliceConfig, Exposure, Experiment, Variant, PersonalizeRule, PersonalizeFunction, Condition, DeviceClass, RequestContext, TypedOverride, ComponentProps } from './config';
export { requestContext, matches, deviceClass, acceptedLanguages, parseCookies } from './requestContext';
export { assignVariant, unitHash } from './assign';
