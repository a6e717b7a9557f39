/** `hasOwnProperty` that a hostile object cannot shadow. Every user-supplied key goes through it. */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** A Response, also from another realm (miniflare's, undici's, a cache adapter's): checked by shape, not by class; `Response.error()` (status 0) is not one. */
export function isResponse(value: unknown): value is Response {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Response>;
  return typeof r.status === 'number' && r.status >= 200 && r.status <= 599 && typeof r.headers?.get === 'function' && (r.body === null || typeof r.body?.getReader === 'function');
}

/** Builds a record with no prototype, so no key (`__proto__`, `constructor`, …) is special. */
export function nullRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Sets an own property even for `__proto__` (assignment would hit the legacy setter on plain objects). */
export function defineOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Surrogate halves without their pair. HTML bytes are UTF-8, which cannot carry them (they become
 * U+FFFD), while the client would render the half from the bootstrap JSON: a hydration mismatch.
 */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** An error's message for a report, even from a hostile throw whose `toString` or `message` throws too. */
export function safeMessage(error: unknown): string {
  try {
    const message = error instanceof Error ? error.message : String(error);
    return typeof message === 'string' ? message : 'an error';
  } catch {
    return 'an error that cannot be read';
  }
}
