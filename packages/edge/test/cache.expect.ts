/** What each scenario of cache.ts must give, in any runtime. */

/** A miss on a source page (no index): stored once its stream shows it is of this build. */
const STORING = 'miss; storing if the page is of this build';
export const cacheExpectations: Record<string, (result: any) => void> = {
  missThenHit(r) {
    expect(r.first.cache).toBe(STORING);
    expect(r.second.cache).toBe('hit; age=5');
    expect(r.second.age).toBe('5');
    expect(r.originCalls).toBe(1);
    expect(r.storedEqualsOrigin).toBe(true);
    for (const v of [r.first, r.second]) {
      // The browser gets the origin's Cache-Control, never the edge's lifetime.
      expect(v.cacheControl).toBe('public, max-age=10');
      expect(v.surrogate).toEqual([]);
      expect(v.title).toBe('Hello');
    }
  },
  staleRevalidate(r) {
    expect(r.stale.cache).toBe('stale; age=70; revalidating');
    expect(r.stale.title).toBe('Hello');
    expect(r.revalidation.ifNoneMatch).toBe('"v1"');
    expect(r.fresh.cache).toBe('hit; age=1');
    expect(r.fresh.title).toBe('Hello again');
    expect(r.burst).toEqual(Array(5).fill('stale; age=71; revalidating'));
    expect(r.burstOriginCalls).toBe(1);
  },
  notModified(r) {
    expect(r.stale).toBe('stale; age=70; revalidating');
    expect(r.revalidationAsked).toBe('"v1"');
    expect(r.renewed.cache).toBe('hit; age=50');
    expect(r.renewed.title).toBe('Hello');
    expect(r.renewed.cacheControl).toBe('public, max-age=10');
    expect(r.originCalls).toBe(2);
  },
  expiredAndFailing(r) {
    expect(r.expired).toBe(STORING);
    expect(r.staleWhileFailing).toBe('stale; age=65; revalidating');
    expect(r.stillStale).toEqual({ cache: 'stale; age=66; revalidating', status: 200, title: 'Hello' });
  },
  headers(r) {
    expect(r.cdnHit).toEqual({ cache: 'hit; age=100', cacheControl: 'no-cache', surrogate: [] });
    expect(r.cfOverCdn).toEqual({ cache: 'miss; not stored (cloudflare-cdn-cache-control: no-store)', surrogate: [] });
    expect(r.plain).toEqual({ hit: 'hit; age=20', after: STORING, cacheControl: 'public, s-maxage=30, max-age=5' });
    expect(r.private).toEqual({ cache: 'miss; not stored (cache-control: private, max-age=600)', stored: false });
    expect(r.none.cache).toMatch(/^miss; not stored \(no edge lifetime/);
  },
  neverPersonalized(r) {
    expect(r.visits[0].cache).toBe(STORING);
    for (const v of r.visits.slice(1)) expect(v.cache).toMatch(/^hit; age=\d+$/);
    // Every response private: new visitors get a cookie, the returning one only an assignment.
    for (const v of r.visits) expect(v.cacheControl).toBe('private, no-store');
    expect(r.visits.slice(0, 6).every((v: any) => v.setCookie)).toBe(true);
    expect(r.visits.slice(6, 12).every((v: any) => !v.setCookie && v.bootstrap)).toBe(true);
    // Both variants were served from the one entry (the last two: previews of a and b), which stayed the origin's bytes.
    expect(r.visits.slice(12).map((v: any) => v.title)).toEqual(['Hello', 'B']);
    expect(r.entry).toEqual({ bodyIsOrigin: true, setCookie: false, hasB: false });
    expect(r.cookied).toEqual({ first: 'miss; not stored (the origin sets a cookie)', second: 'miss; not stored (the origin sets a cookie)', originCalls: 2, stored: false });
  },
  queryKey(r) {
    expect(r.results).toEqual({
      '/': STORING,
      '/?utm_source=mail': 'hit; age=0',
      '/?page=2&sort=price': STORING,
      '/?sort=price&page=2&gclid=x': 'hit; age=0',
      '/?page=3': STORING,
      '/#top': 'hit; age=0',
    });
    expect(r.originCalls).toBe(3);
  },
  pageChange(r) {
    expect(r.edited).toBe(true);
    expect(r.before).toEqual(['miss; storing', 'hit; age=0']);
    expect(r.after).toEqual(['miss; storing', 'hit; age=0']);
    expect(r.notice).toBe(true);
  },
  buildInvalidation(r) {
    expect(r.b1).toEqual(['miss; storing', 'hit; age=0']);
    expect(r.b2).toEqual(['miss; storing', 'hit; age=0']);
    expect(r.staleFirst).toBe('miss; not stored (a page of another build)');
    expect(r.staleSecond).toBe('miss; not stored (a page of another build)');
    expect(r.staleStored).toBe(false);
    expect(r.b1StillStored).toBe(true);
    expect(r.foundStale).toBe('hit; age=0; dropped (a page of another build)');
    expect(r.droppedAfterStale).toBe(true);
  },
  bypassAndFailures(r) {
    expect(r.auth).toBe('bypass; authorization');
    expect(r.head).toEqual(['miss; storing', 'hit; age=0', 0]);
    expect(r.notFound).toBe('miss; not stored (status 404)');
    expect(r.vary).toBe('miss; not stored (vary: accept-language)');
    expect(r.failing.status).toBe(200);
    expect(r.failing.title).toBe('Hello');
    expect(r.failing.errors).toEqual(['Error: cache unavailable', 'Error: cache full']);
    expect(r.off).toBe('off');
  },
  queryPoisoning(r) {
    // The visitor's parameters reach the origin; the answer is not stored under the shared key.
    expect(r.attack).toBe('miss; not stored (query parameters outside cache.query)');
    expect(r.victim).toBe(STORING);
    expect(r.again).toBe('hit; age=0');
    expect(r.originUrls).toEqual(['?q=%3Cscript%3E', '']);
  },
  revalidationRequests(r) {
    // The miss, the refresh that hung (asked for the key's URL, not the visitor's ?utm_source), the next refresh.
    expect(r.seen).toEqual([{ redirect: 'manual', search: '' }, { redirect: 'manual', search: '' }, { redirect: 'manual', search: '' }]);
    expect(r.hung).toBe('stale; age=70; revalidating');
    expect(r.next).toBe('stale; age=71; revalidating');
    expect(r.after).toBe('hit; age=1');
  },
  upstreamAge(r) {
    expect(r.first).toBe(STORING);
    expect(r.fresh).toEqual(['hit; age=58', '58']);
    expect(r.later).toBe(STORING);
    expect(r.tooOld).toBe('miss; not stored (already older than its lifetime (Age))');
  },
  renewal(r) {
    expect(r.stale).toBe('stale; age=70; revalidating');
    expect(r.renewed).toBe('hit; age=1');
    expect(r.dated).toBe(true);
  },
  sourcePageOfAnotherBuild(r) {
    expect([r.first, r.second, r.stored]).toEqual([STORING, STORING, false]);
    expect([r.okFirst, r.okSecond]).toEqual([STORING, 'hit; age=0']);
  },
  gzipLabelled(r) {
    expect(r.titles).toEqual(['Hello', 'Hello', 'Hello']);
    expect(r.caches).toEqual([STORING, 'hit; age=0', 'hit; age=1']);
    // What leaves is decoded and says so (no label); stored without the label, so no cache encodes it.
    expect(r.encodings).toEqual([null, null, null]);
    expect(r.storedLabel).toBeNull();
  },
  oddCaches(r) {
    expect(r.slow).toEqual([200, 'Hello', STORING]);
    expect(r.lateBodyCancelled).toBe(true);
    expect(r.afterSlow).toBe('hit; age=0');
    expect(r.throwing).toEqual([200, 'Hello', ['Error: sync put']]);
    expect(r.nulls).toEqual([200, 'Hello']);
  },
  stillEncoded(r) {
    for (const c of [r.gzip, r.gzipFirstByte, r.deflate]) {
      expect(c).toEqual({ titles: ['Hello', 'Hello'], missCache: STORING, cache: 'hit; age=0', sameBody: true });
    }
    // The miss does not promise a store the first bytes may rule out.
    expect(r.br.missCache).toBe('miss; storing if the body is decoded (brotli bytes are not stored)');
    expect(r.br.cache).toMatch(/^miss/);
    expect(r.br.sameBody).toBe(true);
  },
  headOnCachedSourcePage(r) {
    expect(r.caches).toEqual([STORING, 'hit; age=0', 'hit; age=0', 'stale; age=70; revalidating', 'hit; age=1']);
    expect(r.headBody).toBe('');
    expect(r.originCalls).toBe(2);
  },
  otherMethods(r) {
    expect(r.surrogate).toEqual([]);
  },
  otherMethodsOriginFails(r) {
    expect(r.outcomes).toEqual([[502, 'origin-error'], [502, 'origin-error; origin did not return a Response']]);
  },
};
