/**
 * The edge cache in Node, with @splice/dev's in-memory Cache API as the runtime's `caches`:
 * workerd.test.ts runs the same scenarios against workerd's own.
 */
import { memoryCaches } from '../../dev/src/memoryCache';
import { cacheScenarios } from './cache';
import { cacheExpectations } from './cache.expect';
import { cacheDirectives, cacheKey, edgeLifetime, checkConfig, ConfigError } from '../src/index';

jest.setTimeout(60_000);

const g = globalThis as { caches?: unknown };
beforeAll(() => { g.caches = memoryCaches(); });
afterAll(() => { delete g.caches; });

describe('the edge cache of base pages (Node)', () => {
  it.each(Object.keys(cacheExpectations))('%s', async (name) => {
    cacheExpectations[name]!(await cacheScenarios[name]!());
  });

  it('has an expectation for every scenario', () => {
    expect(Object.keys(cacheExpectations).sort()).toEqual(Object.keys(cacheScenarios).sort());
  });
});

describe('the parts', () => {
  it('reads directives, quoted values and odd spacing', () => {
    expect([...cacheDirectives('Max-Age=60,  private, foo="a b"')]).toEqual([['max-age', '60'], ['private', true], ['foo', 'a b']]);
    expect(cacheDirectives(null).size).toBe(0);
  });

  it('takes the edge lifetime from the most specific header', () => {
    const life = (h: Record<string, string>) => edgeLifetime(new Headers(h));
    expect(life({ 'surrogate-control': 'max-age=60, stale-while-revalidate=30' })).toEqual({ ttl: 60, swr: 30 });
    expect(life({ 'cdn-cache-control': 'max-age=5', 'surrogate-control': 'max-age=60' })).toEqual({ ttl: 5, swr: 0 });
    expect(life({ 'cache-control': 'public, s-maxage=30, max-age=5' })).toEqual({ ttl: 30, swr: 0 });
    expect(life({ 'cache-control': 'max-age=-1' })).toHaveProperty('reason');
    expect(life({ 'cache-control': 'max-age=abc' })).toHaveProperty('reason');
    expect(life({ 'surrogate-control': 'max-age=0' })).toHaveProperty('reason');
    expect(life({ 'cache-control': 'no-cache, max-age=60' })).toHaveProperty('reason');
  });

  it('keys by path and allowed parameters, sorted, with the build', () => {
    expect(cacheKey('https://a.test/p?z=1&utm=x&a=2#h', ['a', 'z'], 'b1')).toBe('https://a.test/p?a=2&z=1&splice-build=b1');
    // A visitor cannot choose the build through the query.
    expect(cacheKey('https://a.test/?splice-build=evil', ['splice-build'], 'b1')).toBe('https://a.test/?splice-build=b1');
    expect(cacheKey('https://a.test/?a=2&a=1', ['a'], 'b 1')).toBe('https://a.test/?a=2&a=1&splice-build=b+1');
  });

  it('checks the cache config', () => {
    expect(() => checkConfig({ cache: { query: ['page', 3 as never] } })).toThrow(ConfigError);
    expect(() => checkConfig({ cache: { enabled: 'yes' as never } })).toThrow(/cache.enabled/);
    expect(() => checkConfig({ cache: { name: '' } })).toThrow(/cache.name/);
    expect(() => checkConfig({ cache: { query: ['page'], name: 'pages' } })).not.toThrow();
  });
});
