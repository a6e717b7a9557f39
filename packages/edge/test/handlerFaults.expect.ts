/** What the visitor must get in each scenario of handlerFaults.ts, in any runtime. */
import type { Outcome } from './handlerFaults';
import { page } from './handlerFaults';

const untouched = (o: Outcome) => {
  expect(o.body).not.toContain('Sale');
  expect(o.body).not.toContain('__SPLICE__');
};

export const expectations: Record<string, (o: Outcome) => void> = {
  'range-206': (o) => {
    expect(o.status).toBe(206);
    expect(o.splice).toBe('pass-through; not-html-200');
    expect(o.body).toBe(page.slice(0, 11));
  },
  'non-200-2xx': (o) => {
    expect(o.status).toBe(203);
    expect(o.splice).toBe('pass-through; not-html-200');
    // Not the page the overrides are for: nothing applied, and no marker reaches the browser.
    expect(o.body).toBe(page.replace(/ data-splice="[^"]*"/, ''));
  },
  'gzip-encoded': (o) => {
    expect(o.splice).toBe('planned; build=b1; applied=1; skipped=0; decoded=gzip');
    expect(o.encoding).toBeNull();
    expect(o.body).toContain('>Sale</h1>');
    expect(o.body).toContain('__SPLICE__');
  },
  'deflate-encoded': (o) => {
    expect(o.splice).toBe('planned; build=b1; applied=1; skipped=0; decoded=deflate');
    expect(o.encoding).toBeNull();
    expect(o.body).toContain('>Sale</h1>');
  },
  'br-encoded': (o) => {
    expect(o.status).toBe(200);
    expect(o.splice).toBe('pass-through; encoded=br');
    expect(o.encoding).toBe('br');
    expect(o.bytes).toBe('GwMA+CWCgog=');
  },
  'gzip-label-decoded': (o) => {
    expect(o.splice).toBe('planned; build=b1; applied=1; skipped=0');
    expect(o.encoding).toBeNull();
    expect(o.body).toContain('>Sale</h1>');
  },
  'charset-latin1': (o) => {
    expect(o.splice).toBe('pass-through; charset=iso-8859-1');
    untouched(o);
  },
  'build-id-unsafe': (o) => {
    expect(o.status).toBe(200);
    expect(o.splice).toBe('planned; build=b1??set-cookie: x=1 ?; applied=1; skipped=0');
    expect(o.body).toContain('>Sale</h1>');
  },
  'fetch-base-undefined': (o) => {
    expect(o.status).toBe(502);
    expect(o.splice).toBe('origin-error; fetchBase did not return a Response');
    expect(o.cacheControl).toBe('no-store');
  },
  'fetch-base-string': (o) => {
    expect(o.status).toBe(502);
    expect(o.splice).toBe('origin-error; fetchBase did not return a Response');
  },
  'fetch-base-throws-sync': (o) => {
    expect(o.status).toBe(502);
    expect(o.splice).toBe('origin-error');
  },
  'manifest-event-handler-hole': (o) => {
    expect(o.splice).toBe('pass-through; invalid-manifest');
    expect(o.body).toBe(page.replace(/ data-splice="[^"]*"/, ''));
    expect(o.body).not.toContain('alert');
  },
  'assignments-unserializable': (o) => {
    // Elements patched, and the bootstrap still written: it says what was done, without assignments
    // it could not carry (the cyclic object's string entry is kept).
    expect(o.body).toContain('>Sale</h1>');
    expect(o.body).toContain('"assignments":{"exp":"b"}');
    expect(o.problems.join('\n')).toMatch(/assignments "self" left out of the bootstrap/);
  },
  'assignments-bigint': (o) => {
    expect(o.body).toContain('>Sale</h1>');
    expect(o.body).toContain('"assignments":{}');
    expect(o.problems.join('\n')).toMatch(/assignments "exp" left out/);
  },
  'overrides-million': (o) => {
    expect(o.splice).toBe('planned; build=b1; applied=256; skipped=1');
    // Later overrides win: the 256th is the last one read.
    expect(o.body).toContain('>T255</h1>');
    expect(o.body.length).toBeLessThan(64 * 1024);
  },
  'renderer-throwing-getters': (o) => {
    // Before, handleSpliceRequest rejected: the visitor got no page at all.
    expect(o.status).toBe(200);
    expect(o.splice).toMatch(/^planned; build=b1; applied=1/);
    expect(o.body).toContain('Sale');
  },
  'override-huge-props': (o) => {
    expect(o.splice).toBe('planned; build=b1; applied=0; skipped=1');
    untouched(o);
  },
  'index-stale': (o) => {
    expect(o.splice).toBe('stale; first marker Hero.k1 is not in build b2');
    expect(o.cacheControl).toBe('public, max-age=60');
    untouched(o);
  },
  'index-no-markers': (o) => {
    expect(o.splice).toBe('unchanged; build=b1; applied=0; skipped=1; no instance on this page for some overrides');
    expect(o.cacheControl).toBe('public, max-age=60');
    expect(o.body).toBe('<!DOCTYPE html><html><body><h1>Plain</h1></body></html>');
  },
  'index-missing-instance': (o) => {
    expect(o.splice).toBe('unchanged; build=b1; applied=0; skipped=1; no instance on this page for some overrides');
    expect(o.cacheControl).toBe('public, max-age=60');
    untouched(o);
  },
  'index-reached': (o) => {
    expect(o.splice).toBe('patched; build=b1; applied=1; skipped=0');
    expect(o.cacheControl).toBe('private, no-store');
    expect(o.body).toContain('>Sale</h1>');
  },
  'fetch-base-error-response': (o) => {
    expect(o.status).toBe(502);
    expect(o.splice).toBe('origin-error; fetchBase did not return a Response');
  },
  'body-fails-before-first-byte': (o) => {
    expect(o.status).toBe(502);
    expect(o.splice).toBe('origin-error; the body failed');
  },
  'meta-charset-latin1': (o) => {
    expect(o.splice).toBe('pass-through; charset=iso-8859-1');
    untouched(o);
  },
  'arraybuffer-chunks': (o) => {
    expect(o.splice).toBe('planned; build=b1; applied=1; skipped=0');
    expect(o.body).toContain('>Sale</h1>');
  },
  'gzip-first-chunk-one-byte': (o) => {
    expect(o.splice).toBe('planned; build=b1; applied=1; skipped=0; decoded=gzip');
    expect(o.body).toContain('>Sale</h1>');
  },
  'raw-deflate-mislabelled': (o) => {
    expect(o.splice).toBe('pass-through; encoded=deflate');
    expect(o.encoding).toBe('deflate');
  },
  'cdn-headers-on-private': (o) => {
    expect(o.cacheControl).toBe('private, no-store');
    expect(o.cdn).toEqual([]);
  },
};
