export type {
  JsonValue, ContextPath, SpliceManifest, ComponentEntry, PropEntry, PropTier, RenderEntry, InstanceState, HookRecord, ComponentRenderRef, RenderRequest, SpliceRenderer, ElementEntry, AttrEntry, TextItem, Expr, UnaryOp, BinaryOp, CallName, HostName, HostFunctions, Override, Bootstrap, SiteEntry, ComponentRef,
} from './types';
export { MANIFEST_SCHEMA_VERSION, isHostName } from './types';
export { hashString } from './hash';
export { escapeHtml } from './escape';
export { textOf, textRuns, textMask, attributeOf, isJavaScriptUrl, unsafeAttributeValue, unsafeAttributeName, URL_ATTRIBUTES, BOOLEAN_HTML } from './values';
export { evaluateExpr, exprChildren, exprProps, exprHosts, entryHoles, HostMissingError } from './expr';
export { styleOf, styleName, isStyleName, UNITLESS_STYLES, PX_STYLES } from './style';
export {
  MARKER_ATTRIBUTE, BOUNDARY_TAG, SLOT_TAG, SLOT_PLACEHOLDER, isSlotPlaceholder, MARKER_FORMAT, MARKER_STATE_SEPARATOR, TEXT_SEPARATOR, BOOTSTRAP_ELEMENT_ID, formatMarker, parseMarker, componentKey, overrideNames,
} from './marker';
export type { Marker } from './marker';
export { serializeForScript, bootstrapScript } from './bootstrap';
export { validateManifest, validateOverrides, ManifestError } from './validate';
export { parseInstanceState, checkInstanceState, isHookRecords } from './state';
export { pathMatches, pathPattern, exactPathPattern, normalizePath, entryApplies, readSite, SITE_PATH } from './site';
