/**
 * An A/B test through `createEdgeHandler`, in Node: assignment shares, stickiness, tampered and
 * foreign cookies, preview tokens, traffic and targeting, personalization and what may be cached.
 * workerd.test.ts runs the same scenarios in workerd.
 */
import { experimentScenarios } from './experiments';
import { experimentExpectations } from './experiments.expect';
import { ConfigError, checkConfig, createEdgeHandler, pathMatches, acceptedLanguages, deviceClass, unitHash } from '../src/index';

// The distribution scenario is 2,000 requests and 40,000 assignments: ≈ 9 s alone on a 2-core
// machine under jest (whose global object is a Proxy: each `Math` read in the hash costs
// ≈ 0.3 µs), and several times that when the whole suite runs beside it (workerd.test.ts allows the same).
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
    // Browsers read `\` as `/`: the beacons would go to evil.example.
    expect(() => checkConfig({ exposurePath: '/\\evil.example/collect' })).toThrow(/exposurePath must be a path of this site/);
    expect(() => checkConfig({ exposurePath: '//evil.example/collect' })).toThrow(/exposurePath must be a path of this site/);
    expect(() => checkConfig({ exposurePath: '/a%5Cb' })).not.toThrow();
  });

  it('checkConfig refuses conditions and geography headers the decision could not read', () => {
    const v = [{ name: 'x', weight: 1, overrides: [] }];
    const targeted = (targeting: unknown) => ({ experiments: [{ id: 'e', variants: v, targeting: targeting as never }] });
    const rule = (when: unknown) => ({ personalize: [{ when: when as never, overrides: [] }] });
    // Before, these failed every request's decision (all experiments and rules off), or held for every visitor.
    expect(() => checkConfig(targeted(null))).toThrow(/experiments\[0\] \(e\): targeting must be an object of conditions/);
    expect(() => checkConfig(targeted({ countries: ['DE'] }))).toThrow(/unknown condition "countries" \(it would hold for every visitor\)/);
    expect(() => checkConfig(targeted({ country: 'DE' }))).toThrow(/targeting.country must be a list of strings/);
    expect(() => checkConfig(targeted({ device: ['phone'] }))).toThrow(/targeting.device must be a list of mobile, tablet, desktop/);
    expect(() => checkConfig(targeted({ header: { 'x y': true } }))).toThrow(/"x y" is not a header name/);
    expect(() => checkConfig(targeted({ cookie: { beta: 1 } }))).toThrow(/targeting.cookie.beta must be a string/);
    expect(() => checkConfig(targeted({ query: null }))).toThrow(/targeting.query must be an object/);
    expect(() => checkConfig(targeted({ path: '/shop' }))).toThrow(/targeting.path must be a list of path patterns/);
    expect(() => checkConfig({ experiments: [{ id: 'e', variants: v, paths: '/shop' as never }] })).toThrow(/paths must be a list of path patterns/);
    expect(() => checkConfig(rule({ language: [''] }))).toThrow(/personalize\[0\]: when.language must be a list of strings/);
    expect(() => checkConfig(rule({ path: ['shop'] }))).toThrow(/personalize\[0\]: when: path pattern "shop" must start with '\/'/);
    expect(() => checkConfig({ geoHeaders: { country: ['x y'] } })).toThrow(/geoHeaders.country must be a list of header names/);
    expect(() => checkConfig({ geoHeaders: { continent: ['x-continent'] } as never })).toThrow(/geoHeaders: unknown key "continent"/);
    expect(() => checkConfig({ geoHeaders: null as never })).toThrow(/geoHeaders must be an object/);
    // What the types allow passes.
    const every = { country: ['DE'], region: ['BY'], city: ['Berlin'], device: ['mobile' as const], language: ['de'], cookie: { beta: true as const }, header: { 'x-plan': 'pro' }, query: { 'utm source': 'x' }, path: ['/shop/**'] };
    expect(() => checkConfig({ ...targeted(every), ...rule(every), geoHeaders: { country: ['x-country'], city: [] } })).not.toThrow();
    expect(() => checkConfig(targeted({}))).not.toThrow();
  });

  it('createEdgeHandler refuses such a config when it is made, not on every request', () => {
    const config = { experiments: [{ id: 'e', variants: [{ name: 'x', weight: 1, overrides: [] }], targeting: null as never }] };
    expect(() => createEdgeHandler({ manifest: { schema: 4, buildId: 'b', components: {} } as never, config, origin: async () => new Response('') })).toThrow(ConfigError);
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
