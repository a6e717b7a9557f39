/**
 * A/B tests through `createEdgeHandler`, as scenarios: simulated visitors with cookies carried
 * from response to request. Web APIs only: the same scenarios run in Node (experiments.test.ts)
 * and, bundled, in workerd (workerd.test.ts); both hold them to experiments.expect.ts.
 */
import { assignVariant, createEdgeHandler, createPreviewToken, decide, defineConfig } from '../src/index';
import { entryApplies } from '@splice/manifest';
import { sign } from '../src/signing';
import type { SpliceConfig } from '../src/index';
import { manifest, page } from './handlerFaults';

export const SECRET = 'a test secret of enough length';
const env = { SPLICE_SECRET: SECRET };

const hero = (title: string) => [{ component: 'Hero' as const, props: { title } }];

export const config = defineConfig<{ Hero: { title: string; href: string } }>({
  experiments: [
    { id: 'hero', variants: [{ name: 'a', weight: 1, overrides: [] }, { name: 'b', weight: 1, overrides: hero('B') }, { name: 'c', weight: 2, overrides: hero('C') }] },
    // Never on a path the scenarios use, and weight 0: a forged cookie naming it must not stick.
    { id: 'retired', paths: ['/old/**'], variants: [{ name: 'on', weight: 1, overrides: [] }, { name: 'never', weight: 0, overrides: [] }] },
  ],
  personalize: [{ when: { country: ['DE'] }, overrides: [{ component: 'Hero', props: { href: '/de' } }] }],
});

const origin = async () => new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=60' } });

function handlerFor(c: SpliceConfig) {
  return createEdgeHandler({ manifest, config: c, origin });
}

export interface Visit {
  status: number;
  title: string | null;
  href: string | null;
  assignments: Record<string, string> | null;
  setCookie: string | null;
  cacheControl: string | null;
  preview: string | null;
  experiments: string | null;
}

async function visit(handler: ReturnType<typeof handlerFor>, init: { cookie?: string; path?: string; headers?: Record<string, string> } = {}, e: Record<string, unknown> = env): Promise<Visit> {
  const headers = new Headers(init.headers ?? {});
  if (init.cookie !== undefined) headers.set('cookie', init.cookie);
  const res = await handler.fetch(new Request(`http://shop.test${init.path ?? '/'}`, { headers }), e);
  const body = await res.text();
  const bootstrap = /<script type="application\/json" id="__SPLICE__">(.*?)<\/script>/.exec(body)?.[1];
  return {
    status: res.status,
    title: /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1] ?? null,
    href: /data-href="([^"]*)"/.exec(body)?.[1] ?? null,
    assignments: bootstrap === undefined ? null : (JSON.parse(bootstrap) as { assignments: Record<string, string> }).assignments,
    setCookie: res.headers.get('set-cookie'),
    cacheControl: res.headers.get('cache-control'),
    preview: res.headers.get('x-splice-preview'),
    experiments: res.headers.get('x-splice-experiments'),
  };
}

/** The visitor id a Set-Cookie carries (read without verifying: the test made it). */
function visitorOf(setCookie: string | null): string | null {
  const payload = jar(setCookie)?.split('=')[1]?.split('.')[0];
  return payload === undefined ? null : (JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { v: string }).v;
}

/** `name=value` of a Set-Cookie header, for the next request. */
const jar = (setCookie: string | null) => (setCookie === null ? undefined : setCookie.split(';')[0]);

/** A signed assignment cookie as the handler writes it (for scenarios about old or foreign cookies). */
async function cookieOf(state: { v: string; a: Record<string, string>; i: number }, secret = SECRET): Promise<string> {
  return `splice=${await sign({ t: 'visitor', ...state }, secret)}`;
}

export const experimentScenarios: Record<string, () => Promise<unknown>> = {
  /**
   * The share of each variant. Through the handler, 2,000 new visitors: each one's variant must
   * be the one `assignVariant` gives its visitor id (exactly), and the shares roughly right. The
   * shares proper from `assignVariant` over 40,000 ids made as the handler makes them
   * (`crypto.randomUUID`): twice as tight as 10,000 requests through the handler pinned them, at
   * the same odds of a chance failure, in a fraction of the time (≈ 19 s in workerd before).
   */
  async distribution() {
    const handler = handlerFor(config);
    const experiment = config.experiments![0]!;
    const counts: Record<string, number> = {};
    let disagreed = 0;
    for (let i = 0; i < 2_000; i++) {
      const v = await visit(handler);
      const name = v.assignments?.hero ?? 'none';
      counts[name] = (counts[name] ?? 0) + 1;
      const id = visitorOf(v.setCookie);
      if (id === null || assignVariant(experiment, id)?.name !== name) disagreed++;
    }
    const shares: Record<string, number> = {};
    for (let i = 0; i < 40_000; i++) {
      const name = assignVariant(experiment, crypto.randomUUID())?.name ?? 'none';
      shares[name] = (shares[name] ?? 0) + 1;
    }
    return { counts, disagreed, shares };
  },
  /** 200 visitors, 20 requests each, the cookie carried: how many ever changed variant or got a second cookie. */
  async sticky() {
    const handler = handlerFor(config);
    let changed = 0;
    let recookied = 0;
    let mismatched = 0;
    for (let i = 0; i < 200; i++) {
      const first = await visit(handler);
      const cookie = jar(first.setCookie);
      for (let r = 1; r < 20; r++) {
        const next = await visit(handler, { cookie });
        if (next.assignments?.hero !== first.assignments?.hero) changed++;
        if (next.setCookie !== null) recookied++;
        const expected = { a: 'Hello', b: 'B', c: 'C' }[first.assignments!.hero!];
        if (next.title !== expected) mismatched++;
      }
    }
    return { changed, recookied, mismatched };
  },
  /** A cookie whose payload was edited (the MAC kept), one signed with another secret, one naming a weight-0 variant. */
  async tampered() {
    const handler = handlerFor(config);
    const first = await visit(handler);
    const cookie = jar(first.setCookie)!;
    const [name, value] = cookie.split('=') as [string, string];
    const [payload, mac] = value.split('.') as [string, string];
    const state = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { t: string; v: string; a: Record<string, string> };
    const other = first.assignments!.hero === 'b' ? 'c' : 'b';
    const edited = btoa(JSON.stringify({ ...state, a: { ...state.a, hero: other } })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const afterEdit = await visit(handler, { cookie: `${name}=${edited}.${mac}` });
    const foreign = await visit(handlerFor(config), { cookie }, { SPLICE_SECRET: 'another secret, also long enough' });
    return {
      first: first.assignments!.hero,
      forged: other,
      afterEdit: { hero: afterEdit.assignments?.hero, newCookie: afterEdit.setCookie !== null, sameVisitor: visitorOf(afterEdit.setCookie) === state.v },
      foreign: { newCookie: foreign.setCookie !== null },
    };
  },
  /** Preview tokens: a valid one forces a variant (and says so), an edited or expired one is ignored. */
  async preview() {
    const handler = handlerFor(config);
    const token = await createPreviewToken({ hero: 'b' }, SECRET, new Date(Date.now() + 3600_000));
    const expiredToken = await createPreviewToken({ hero: 'b' }, SECRET, new Date(Date.now() - 1000));
    const forged = await createPreviewToken({ hero: 'b' }, 'someone else\'s secret value', new Date(Date.now() + 3600_000));
    const thisHost = await createPreviewToken({ hero: 'b' }, SECRET, new Date(Date.now() + 3600_000), { host: 'shop.test' });
    const otherHost = await createPreviewToken({ hero: 'b' }, SECRET, new Date(Date.now() + 3600_000), { host: 'staging.shop.test' });
    const results: Record<string, { hero: string | undefined; header: string | null; title: string | null }> = {};
    for (const [label, t] of [['valid', token], ['expired', expiredToken], ['forged', forged], ['thisHost', thisHost], ['otherHost', otherHost]] as const) {
      const runs = [];
      for (let i = 0; i < 20; i++) runs.push(await visit(handler, { path: `/?splice-preview=${encodeURIComponent(t)}` }));
      results[label] = { hero: [...new Set(runs.map((r) => r.assignments?.hero))].join(','), header: runs[0]!.preview, title: runs[0]!.title };
    }
    return results;
  },
  /** Traffic allocation, path matcher and targeting. */
  async targeting() {
    const partial = handlerFor({ experiments: [{ id: 'half', traffic: 0.3, variants: [{ name: 'x', weight: 1, overrides: hero('X') }] }] });
    let inTraffic = 0;
    for (let i = 0; i < 2000; i++) if ((await visit(partial)).assignments?.half === 'x') inTraffic++;
    const targeted = handlerFor({
      experiments: [{
        id: 'mobile-de', paths: ['/shop/**'], targeting: { country: ['DE', 'AT'], device: ['mobile'], language: ['de'] },
        variants: [{ name: 'on', weight: 1, overrides: hero('Mobil') }],
      }],
    });
    const mobileDe = { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', 'cf-ipcountry': 'at', 'accept-language': 'en;q=0.5, de-AT' };
    return {
      inTraffic,
      match: (await visit(targeted, { path: '/shop/lamps/12', headers: mobileDe })).title,
      otherPath: (await visit(targeted, { path: '/blog', headers: mobileDe })).title,
      desktop: (await visit(targeted, { path: '/shop', headers: { ...mobileDe, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } })).title,
      otherCountry: (await visit(targeted, { path: '/shop', headers: { ...mobileDe, 'cf-ipcountry': 'FR' } })).title,
      otherLanguage: (await visit(targeted, { path: '/shop', headers: { ...mobileDe, 'accept-language': 'fr' } })).title,
    };
  },
  /** Returning visitors when the config changes: traffic lowered to 0, an experiment ended, a cookie near the end of its life. */
  async configChanges() {
    const v = 'visitor-0000-0001';
    const now = Math.floor(Date.now() / 1000);
    const noTraffic = handlerFor({ experiments: [{ id: 'hero', traffic: 0, variants: [{ name: 'a', weight: 1, overrides: [] }, { name: 'b', weight: 1, overrides: hero('B') }] }] });
    const out = await visit(noTraffic, { cookie: await cookieOf({ v, a: { hero: 'b' }, i: now }) });
    const ended = await visit(handlerFor(config), { cookie: await cookieOf({ v, a: { hero: 'b', gone: 'x' }, i: now }) });
    const old = await visit(handlerFor(config), { cookie: await cookieOf({ v, a: { hero: 'b', retired: 'on' }, i: now - 60 * 86400 }) });
    const fresh = await visit(handlerFor(config), { cookie: await cookieOf({ v, a: { hero: 'b', retired: 'on' }, i: now - 86400 }) });
    // A parent domain's cookie of the same name comes first: the one that verifies counts.
    const twice = await visit(handlerFor(config), { cookie: `splice=garbage; ${await cookieOf({ v, a: { hero: 'c', retired: 'on' }, i: now })}` });
    return {
      noTraffic: { title: out.title, hero: out.assignments?.hero ?? null, cookieHasHero: out.setCookie === null ? null : /"hero"/.test(atob(jar(out.setCookie)!.split('=')[1]!.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))) },
      ended: { hero: ended.assignments?.hero, cookieHasGone: ended.setCookie === null ? null : /"gone"/.test(atob(jar(ended.setCookie)!.split('=')[1]!.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))) },
      refreshedWhenOld: old.setCookie !== null,
      notRefreshedWhenFresh: fresh.setCookie === null,
      twice: { hero: twice.assignments?.hero, newCookie: twice.setCookie !== null },
    };
  },
  /** A personalization function that throws, HEAD requests, conditional requests, geography on Cloudflare. */
  async robustness() {
    const errors: string[] = [];
    const throwing = createEdgeHandler({
      manifest, origin, config: { ...config, personalize: () => { throw new Error('boom'); } },
      onError: (e) => errors.push(String(e)),
    });
    const first = await visit(handlerFor(config));
    const cookie = jar(first.setCookie);
    const kept = await visit(throwing, { cookie });
    const head = await handlerFor(config).fetch(new Request('http://shop.test/', { method: 'HEAD', headers: { cookie: cookie! } }), env);
    const conditional = createEdgeHandler({
      manifest, config,
      origin: async (r) => (r.headers.get('if-none-match') !== null ? new Response(null, { status: 304 }) : origin()),
    });
    const cond = await conditional.fetch(new Request('http://shop.test/', { headers: { cookie: cookie!, 'if-none-match': '"v1"' } }), env);
    const onCloudflare = new Request('http://shop.test/', { headers: { 'cf-ipcountry': 'DE' } });
    Object.defineProperty(onCloudflare, 'cf', { value: { country: 'US' } });
    const cf = await handlerFor(config).fetch(onCloudflare, env);
    return {
      kept: { hero: kept.assignments?.hero, same: kept.assignments?.hero === first.assignments?.hero, experiments: kept.experiments },
      errors,
      head: { status: head.status, body: head.body === null, cacheControl: head.headers.get('cache-control') },
      conditional: { status: cond.status, patched: (cond.headers.get('x-splice') ?? '').startsWith('planned') },
      cfWinsOverHeader: /data-href="\/a"/.test(await cf.text()),
    };
  },
  /** A geo rule, and what a visitor's response may be cached as. */
  async personalizeAndPrivacy() {
    const handler = handlerFor(config);
    const de = await visit(handler, { headers: { 'cf-ipcountry': 'DE' } });
    const fr = await visit(handler, { headers: { 'cf-ipcountry': 'FR' } });
    // A returning control visitor: nothing patched, no new cookie, but the bootstrap carries the assignment.
    let control: Visit | null = null;
    for (let i = 0; i < 200 && control === null; i++) {
      const first = await visit(handler);
      if (first.assignments?.hero === 'a') control = await visit(handler, { cookie: jar(first.setCookie) });
    }
    const noSecret = await visit(handler, {}, {});
    return {
      de: { href: de.href, cacheControl: de.cacheControl },
      fr: { href: fr.href },
      control: { title: control?.title, setCookie: control?.setCookie, cacheControl: control?.cacheControl, assignments: control?.assignments },
      firstVisit: { cacheControl: fr.cacheControl, setCookie: fr.setCookie?.replace(/=[^;]*/, '=…') },
      noSecret: { experiments: noSecret.experiments, title: noSecret.title, setCookie: noSecret.setCookie },
    };
  },
  /**
   * The bootstrap's `site` (decisions for client-side navigation) and `shown` (was each variant
   * shown whole on this page): experiments assigned wherever their non-path targeting holds,
   * with their paths; rules with their paths; a variant whose override was refused not shown.
   */
  async siteDecisions() {
    const siteConfig = defineConfig<{ Hero: { title: string; href: string } }>({
      experiments: [
        { id: 'hero', variants: [{ name: 'b', weight: 1, overrides: hero('B') }] },
        { id: 'checkout', paths: ['/checkout/**'], targeting: { device: ['mobile'], path: ['/checkout/pay'] }, variants: [{ name: 'one', weight: 1, overrides: [{ component: 'Hero', props: { href: '/pay' } }] }] },
        // Refused when planned (no such prop): the variant cannot be shown here.
        { id: 'broken', variants: [{ name: 'x', weight: 1, overrides: [{ component: 'Hero', props: { nope: 'x' } as never }] }] },
      ],
      personalize: [
        { when: { country: ['DE'], path: ['/de/**'] }, overrides: [{ component: 'Hero', props: { title: 'Hallo' } }] },
        { when: { country: ['FR'] }, overrides: [{ component: 'Hero', props: { title: 'Bonjour' } }] },
      ],
      onExposure() { /* a beacon is advertised only with a receiver */ },
    });
    const handler = createEdgeHandler({ manifest, origin, config: siteConfig });
    const bootstrapOf = async (res: Response) => JSON.parse(/id="__SPLICE__">(.*?)<\/script>/.exec(await res.text())?.[1] ?? 'null');
    const get = (path: string, headers: Record<string, string>) => handler.fetch(new Request(`http://shop.test${path}`, { headers }), env);
    const desktopDe = await get('/', { 'cf-ipcountry': 'DE', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' });
    const mobileRes = await get('/', { 'cf-ipcountry': 'DE', 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari' });
    const mobile = await bootstrapOf(mobileRes);
    // The same visitor, later, on the checkout page: the variant the landing page's site entry promised.
    const cookie = jar(mobileRes.headers.get('set-cookie'));
    const pay = await bootstrapOf(await get('/checkout/pay', { cookie: cookie!, 'cf-ipcountry': 'DE', 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari' }));
    const previewToken = await createPreviewToken({ hero: 'b' }, SECRET, new Date(Date.now() + 3_600_000));
    const preview = await bootstrapOf(await get(`/?splice-preview=${encodeURIComponent(previewToken)}`, {}));
    return { desktopDe: await bootstrapOf(desktopDe), mobile, pay: { assignments: pay.assignments, href: pay.overrides }, preview: { beacon: preview?.beacon ?? null } };
  },
  /** The exposure endpoint: what a beacon may claim, and what reaches onExposure. */
  async exposureEndpoint() {
    const received: unknown[] = [];
    const errors: string[] = [];
    let throwNext = false;
    const withExposure = defineConfig({
      ...config,
      onExposure(exposure) {
        if (throwNext) { throwNext = false; throw new Error('analytics down'); }
        received.push(exposure);
      },
    });
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => { pending.push(p); } };
    const handler = createEdgeHandler({ manifest, origin, config: withExposure, onError: (e) => errors.push(String(e)) });
    const first = await handler.fetch(new Request('http://shop.test/'), env, ctx);
    const html = await first.text();
    const boot = JSON.parse(/id="__SPLICE__">(.*?)<\/script>/.exec(html)?.[1] ?? 'null') as { assignments: Record<string, string>; beacon?: string };
    const cookie = jar(first.headers.get('set-cookie'))!;
    const mine = boot.assignments.hero!;
    const other = mine === 'b' ? 'c' : 'b';
    const post = async (body: string, headers: Record<string, string> = { cookie }) => {
      const res = await handler.fetch(new Request('http://shop.test/__splice/exposure', { method: 'POST', body, headers }), env, ctx);
      while (pending.length > 0) await pending.shift();
      return { status: res.status, cacheControl: res.headers.get('cache-control') };
    };
    const beacon = (experiments: unknown[], view = 0) => JSON.stringify({ path: '/', view, experiments });
    const results: Record<string, unknown> = {};
    results.valid = await post(beacon([{ experiment: 'hero', variant: mine }, { experiment: 'hero', variant: mine }, { experiment: 'nope', variant: 'x' }]));
    const afterValid = received.length;
    results.wrongVariant = await post(beacon([{ experiment: 'hero', variant: other }], 1));
    results.noCookie = await post(beacon([{ experiment: 'hero', variant: mine }], 2), {});
    const forged = (await cookieOf({ v: 'forged-visitor-1', a: { hero: mine }, i: Math.floor(Date.now() / 1000) }, 'another secret, long enough too'));
    results.forged = await post(beacon([{ experiment: 'hero', variant: mine }], 3), { cookie: forged });
    results.tooLarge = await post(beacon([{ experiment: 'hero', variant: mine, pad: 'x'.repeat(9000) }], 4));
    results.malformed = await post('{not json');
    results.badShape = await post(JSON.stringify({ path: 'no-slash', view: 0, experiments: [{ experiment: 'hero', variant: mine }] }));
    throwNext = true;
    results.throwing = await post(beacon([{ experiment: 'hero', variant: mine }], 5));
    // Without a receiver, the path is an ordinary request for the origin, and pages advertise no beacon.
    const plain = createEdgeHandler({ manifest, origin: async () => new Response('origin', { status: 404 }), config });
    const plainPost = await plain.fetch(new Request('http://shop.test/__splice/exposure', { method: 'POST', body: '{}' }), env);
    return {
      results,
      afterValid,
      received,
      mine,
      visitorMatches: received.every((r) => (r as { visitor: string }).visitor === visitorOf(first.headers.get('set-cookie'))),
      beacon: boot.beacon ?? null,
      errors,
      plainPost: plainPost.status,
    };
  },
  /**
   * Site decisions and the beacon at their edges (found by review): a query-conditioned rule or
   * experiment holds for the landing path only; a rule on paths alone keeps pages shareable;
   * beacons for a path the experiment does not run on, a control character, an impossible view
   * are dropped; rule values cannot break out of the bootstrap.
   */
  async siteEdges() {
    const queryConfig = defineConfig({
      experiments: [{ id: 'beta', targeting: { query: { beta: '1' } }, variants: [{ name: 'on', weight: 1, overrides: [{ component: 'Hero', props: { title: 'Beta' } }] }] }],
      personalize: [{ when: { query: { utm_campaign: 'spring' } }, overrides: [{ component: 'Hero', props: { href: '/spring' } }] }],
    });
    const landing = await decide(queryConfig, new Request('http://shop.test/?beta=1&utm_campaign=spring'), env);
    const fullLoadOther = await decide(queryConfig, new Request('http://shop.test/other'), env);
    const onPath = (path: string) => landing.site.filter((e) => entryApplies(e, path)).flatMap((e) => e.overrides);

    const pathOnly = createEdgeHandler({ manifest, origin, config: defineConfig({ personalize: [{ when: { path: ['/sale/**'] }, overrides: [{ component: 'Hero', props: { title: '</script><script>alert(1)</script><!--\u2028' } }] }] }) });
    const shared = await pathOnly.fetch(new Request('http://shop.test/'), env);
    const sharedHtml = await shared.text();
    const script = /id="__SPLICE__">(.*?)<\/script>/s.exec(sharedHtml)?.[1] ?? '';

    const received: { path: string; view: number }[] = [];
    const beaconConfig = defineConfig({
      experiments: [{ id: 'cart', paths: ['/cart'], variants: [{ name: 'x', weight: 1, overrides: [{ component: 'Hero', props: { title: 'X' } }] }] }],
      onExposure(e) { received.push({ path: e.path, view: e.view }); },
    });
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => { pending.push(p); } };
    const beaconHandler = createEdgeHandler({ manifest, origin, config: beaconConfig });
    const first = await beaconHandler.fetch(new Request('http://shop.test/'), env, ctx);
    const cookie = jar(first.headers.get('set-cookie'))!;
    const send = (path: string, view: number) => beaconHandler.fetch(new Request('http://shop.test/__splice/exposure', { method: 'POST', headers: { cookie }, body: JSON.stringify({ path, view, experiments: [{ experiment: 'cart', variant: 'x' }] }) }), env, ctx);
    await send('/not-the-cart', 0);
    await send('/cart\n<img src=x onerror=alert(1)>', 0);
    await send('/cart', 1e300);
    await send('/cart', 3);
    while (pending.length > 0) await pending.shift();
    return {
      clientOnOther: onPath('/other'),
      fullLoadOther: fullLoadOther.overrides,
      clientOnLanding: onPath('/').length,
      shared: { cacheControl: shared.headers.get('cache-control'), bootstrap: script !== '', unsafe: /<|\u2028/.test(script), title: (JSON.parse(script || 'null') as { site: { overrides: { props: { title: string } }[] }[] } | null)?.site[0]?.overrides[0]?.props.title ?? null },
      received,
    };
  },
};
