/**
 * An A/B test through `createEdgeHandler`, in Node: assignment shares, stickiness, tampered and
 * foreign cookies, preview tokens, traffic and targeting, personalization and what may be cached.
 * workerd.test.ts runs the same scenarios in workerd.
 */
import { experimentScenarios } from './experiments';
import { experimentExpectations } from './experiments.expect';
import { ConfigError, checkConfig, pathMatches, acceptedLanguages, deviceClass, unitHash } from '../src/index';

// The distribution scenario is 10,000 requests: ≈ 13 s alone on a 2-core machine, and several
// times that when the whole suite runs beside it (workerd.test.ts allows the same).
jest.setTimeout(120_000);

describe('createEdgeHandler: an experiment end to end (Node)', () => {
  it.each(Object.keys(experimentExpectations))('%s', async (name) => {
    experimentExpectations[name]!(await experimentScenarios[name]!());
  });

  it('has an expectation for every scenario', () => {
    expect(Object.keys(experimentExpectations).sort()).toEqual(Object.keys(experimentScenarios).sort());
  });
});

describe('the parts', () => {
  it('checkConfig names what is wrong', () => {
    const v = (name: string, weight = 1) => ({ name, weight, overrides: [] });
    expect(() => checkConfig({ experiments: [{ id: 'a b', variants: [v('x')] }] })).toThrow(ConfigError);
    expect(() => checkConfig({ experiments: [{ id: 'e', variants: [v('x'), v('x')] }] })).toThrow(/variant x is named twice/);
    expect(() => checkConfig({ experiments: [{ id: 'e', variants: [v('x', 0)] }] })).toThrow(/every weight is 0/);
    expect(() => checkConfig({ experiments: [{ id: 'e', traffic: 2, variants: [v('x')] }] })).toThrow(/traffic/);
    expect(() => checkConfig({ experiments: [{ id: 'e', paths: ['shop'], variants: [v('x')] }] })).toThrow(/must start with '\/'/);
    expect(() => checkConfig({ experiments: [{ id: 'e', paths: ['/shop?x=1'], variants: [v('x')] }] })).toThrow(/matches a URL's path alone/);
    expect(() => checkConfig({ experiments: [{ id: 'constructor', variants: [v('x')] }] })).toThrow(/a name every JavaScript object has/);
    expect(() => checkConfig({ experiments: [{ id: 'e', variants: [v('x')] }, { id: 'e', variants: [v('y')] }] })).toThrow(/used twice/);
    expect(() => checkConfig({ personalize: 'x' as never })).toThrow(/personalize/);
  });

  it('checkConfig refuses weights whose sum is not a finite number', () => {
    // Their sum is Infinity: every visitor's point is Infinity (or NaN), and all got the last variant.
    const huge = { experiments: [{ id: 'e', variants: [{ name: 'a', weight: 1e308, overrides: [] }, { name: 'b', weight: 1e308, overrides: [] }] }] };
    expect(() => checkConfig(huge)).toThrow(/weights add up/);
    expect(() => checkConfig({ experiments: [{ id: 'e', variants: [{ name: 'a', weight: 1e307, overrides: [] }, { name: 'b', weight: 1e307, overrides: [] }] }] })).not.toThrow();
  });

  it('checkConfig refuses a cookie lifetime that rounds to Max-Age=0 (the cookie would be deleted at once)', async () => {
    const config = { cookie: { maxAgeDays: 0.000001 }, experiments: [{ id: 'e', variants: [{ name: 'a', weight: 1, overrides: [] }] }] };
    expect(() => checkConfig(config)).toThrow(/maxAgeDays/);
    expect(() => checkConfig({ ...config, cookie: { maxAgeDays: 1 / 86400 } })).not.toThrow();
  });

  it('pathMatches: exact, one segment, any depth', () => {
    expect(pathMatches('/shop', '/shop')).toBe(true);
    expect(pathMatches('/shop', '/shop/a')).toBe(false);
    expect(pathMatches('/shop/*', '/shop/a')).toBe(true);
    expect(pathMatches('/shop/*', '/shop/')).toBe(false);
    expect(pathMatches('/shop/**', '/shop')).toBe(true);
    expect(pathMatches('/shop/**', '/shop/a/b')).toBe(true);
    expect(pathMatches('/shop/**', '/shopping')).toBe(false);
    // Percent-encoding (as request URLs and location.pathname give it) compares decoded.
    expect(pathMatches('/café/*', '/caf%C3%A9/x')).toBe(true);
    expect(pathMatches('/caf%C3%A9', '/café')).toBe(true);
    expect(pathMatches('/a/b', '/a%2Fb')).toBe(false);
    expect(pathMatches('/%zz', '/%zz')).toBe(true);
    expect(pathMatches('/*/sale/**', '/de/sale/x')).toBe(true);
    expect(pathMatches('/**', '/anything/at/all')).toBe(true);
    // Paths compare as the URL standard serializes them: another spelling of an escape is another path.
    expect(pathMatches('/café', '/caf%c3%a9')).toBe(false);
    expect(pathMatches('//x/*', '//x/y')).toBe(true);
  });

  it('reads languages by preference and device classes from the user agent or its client hint', () => {
    expect(acceptedLanguages('fr;q=0.4, de-AT, en;q=0.9, *;q=0.1')).toEqual(['de-at', 'en', 'fr']);
    expect(acceptedLanguages('de;q=0')).toEqual([]);
    const h = (ua: string, hint?: string) => new Headers({ 'user-agent': ua, ...(hint ? { 'sec-ch-ua-mobile': hint } : {}) });
    expect(deviceClass(h('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)'))).toBe('tablet');
    expect(deviceClass(h('Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari'))).toBe('mobile');
    expect(deviceClass(h('Mozilla/5.0 (Linux; Android 14; SM-X710)'))).toBe('tablet');
    expect(deviceClass(h('Mozilla/5.0 (X11; Linux x86_64)', '?1'))).toBe('mobile');
    expect(deviceClass(h('Mozilla/5.0 (X11; Linux x86_64)'))).toBe('desktop');
  });

  it('unitHash spreads sequential ids evenly', () => {
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) buckets[Math.floor(unitHash(`visitor-${i}`) * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });
});
