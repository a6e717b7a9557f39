export { planOverrides, effectiveProps } from './plan';
export { patchHtml, createPatchStream } from './patchStream';
export { overridesForClient } from './bootstrap';
export type {
  OverridePlan, PlannedOverride, ResolvedOverride, SkippedOverride, PlanResult, PatchReport, PatchOptions, PatchLimits,
} from './types';
export { handleSpliceRequest, SPLICE_HEADER, SKIPPED_HEADER } from './handler';
export type { SpliceRequestOptions } from './handler';
