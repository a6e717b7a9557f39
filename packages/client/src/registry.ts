import type { ComponentRef } from '@splice/manifest';

/**
 * Re-renderable components by key. The compiler makes each instrumented module register its
 * re-renderable components when it loads, so the edge module, which imports those modules,
 * finds them here (module-level: one per bundle, filled at import time, then only read).
 */
const components = new Map<string, ComponentRef>();

export function registerSpliceComponent(ref: ComponentRef): void {
  components.set(ref.key, ref);
}

export function registeredComponent(key: string): ComponentRef | undefined {
  return components.get(key);
}
