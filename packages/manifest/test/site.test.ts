/**
 * Path patterns compiled to regular expressions (`pathPattern`), which the edge writes into the
 * bootstrap's `site` and a browser runs on `location.pathname`: against a segment-by-segment
 * model of what a pattern means, for generated patterns and paths; and `readSite`, which keeps
 * what the client may trust.
 */
import fc from 'fast-check';
import { entryApplies, exactPathPattern, normalizePath, pathMatches, pathPattern, readSite } from '../src/index';

/** What a pattern means, segment by segment: exact, `*` one non-empty segment, a trailing `/**` any depth (none too). */
function model(pattern: string, path: string): boolean {
  const p = canonical(pattern).split('/');
  const s = canonical(path).split('/');
  const deep = p.length > 1 && p[p.length - 1] === '**';
  if (deep) p.pop();
  return (deep ? s.length >= p.length : s.length === p.length) && p.every((seg, i) => (seg === '*' ? s[i] !== '' : seg === s[i]));
}

/** The normalized path, `^` and `|` one way whatever the URL parser wrote (Chromium, workerd and Node differ). */
const canonical = (path: string): string => normalizePath(path).replace(/%5E/g, '^').replace(/%7C/g, '|');

// Segments made of what paths hold, regular-expression syntax and escapes included.
const segment = fc.oneof(
  fc.constantFrom('', '*', '**', 'shop', 'a.b', '(x)', '[y]', 'a+b', '$', '^', '|', '%5E', '%7C', 'a|b^', '%5e', '\\d', 'caf%C3%A9', 'café', '%2F', '%zz', 'a b', '..', '.'),
  fc.string({ unit: fc.constantFrom('a', '.', '*', '%', '2', 'F', 'é', '(', '+', '?', '\n', ' '), maxLength: 4 }).filter((s) => !s.includes('?')),
);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segs) => `/${segs.join('/')}`);

describe('path patterns', () => {
  it('match as the segment model says, for generated patterns and paths', () => {
    fc.assert(fc.property(path, path, (pattern, p) => {
      expect(pathMatches(pattern, p)).toBe(model(pattern, p));
      // What a browser runs: the compiled source on `location.pathname` (the normalized path).
      expect(new RegExp(pathPattern([pattern])).test(normalizePath(p))).toBe(model(pattern, p));
    }), { numRuns: 2000 });
  });

  it('a list matches when any of its patterns does; an empty list matches nothing', () => {
    fc.assert(fc.property(fc.array(path, { maxLength: 3 }), path, (patterns, p) => {
      expect(new RegExp(pathPattern(patterns)).test(normalizePath(p))).toBe(patterns.some((q) => model(q, p)));
    }), { numRuns: 500 });
  });

  it('an exact path matches itself alone, wildcards read literally', () => {
    fc.assert(fc.property(path, path, (a, b) => {
      expect(new RegExp(exactPathPattern(a)).test(normalizePath(b))).toBe(canonical(a) === canonical(b));
    }), { numRuns: 1000 });
    expect(new RegExp(exactPathPattern('/shop/*')).test('/shop/x')).toBe(false);
  });

  it('compare paths as the URL standard serializes them', () => {
    expect(normalizePath('/café')).toBe('/caf%C3%A9');
    expect(pathMatches('/café/*', '/caf%C3%A9/x')).toBe(true);
    expect(pathMatches('/a/b', '/a%2Fb')).toBe(false);
    expect(pathMatches('/a/../b', '/b')).toBe(true);
    // Another spelling of an escape is another path, as it is for URL equality.
    expect(pathMatches('/café', '/caf%c3%a9')).toBe(false);
    expect(pathPattern(['/shop/**', '/sale/*'])).toBe('^(?:/shop(?:/[^]*)?|/sale/[^/]+)$');
    // `^` and `|` as any of Chromium (`%5E`, `%7C`), workerd (`%5E`, `|`) and Node 20 (both raw) serialize them.
    for (const [pattern, paths] of [['/a|b^c', ['/a|b^c', '/a%7Cb%5Ec', '/a|b%5Ec']], ['/a%7Cb%5Ec', ['/a|b^c']]] as const) {
      for (const p of paths) {
        expect(pathMatches(pattern, p)).toBe(true);
        expect(new RegExp(exactPathPattern(pattern)).test(p)).toBe(true);
      }
    }
    expect(pathMatches('/a|b', '/a%7cb')).toBe(false);
  });

  it('entryApplies: every compiled list of an entry must match; none means everywhere', () => {
    const entry = { paths: [pathPattern(['/shop/**']), pathPattern(['/shop/a', '/shop/b'])], overrides: [] };
    expect(entryApplies(entry, '/shop/a')).toBe(true);
    expect(entryApplies(entry, '/shop/c')).toBe(false);
    expect(entryApplies({ overrides: [] }, '/anything')).toBe(true);
  });
});

describe('readSite', () => {
  it('keeps entries whose paths compile, and touches only on an experiment\'s entry shown whole', () => {
    const site = readSite([
      { paths: ['^(?:/a)$'], overrides: [] },
      { paths: ['('], overrides: [] },
      { paths: [['/a']], overrides: [] },
      { experiment: 'e', variant: 'b', touches: ['Card', 7], overrides: [] },
      { experiment: 'e', variant: 'b', touches: ['Card'], partial: true, overrides: [] },
      { touches: ['Card'], overrides: [] },
    ]);
    expect(site).toEqual([
      { paths: ['^(?:/a)$'], overrides: [] },
      { experiment: 'e', variant: 'b', touches: ['Card'], overrides: [] },
      { experiment: 'e', variant: 'b', partial: true, overrides: [] },
      { overrides: [] },
    ]);
  });
});
