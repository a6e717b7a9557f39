/** What each scenario of cache.ts must give, in any runtime. */
export const cacheExpectations: Record<string, (result: any) => void> = {
  missThenHit(r) {
    expect(r.first.cache).toBe('miss; storing');
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
    expect(r.expired).toBe('miss; storing');
    expect(r.staleWhileFailing).toBe('stale; age=65; revalidating');
    expect(r.stillStale).toEqual({ cache: 'stale; age=66; revalidating', status: 200, title: 'Hello' });
  },
  headers(r) {
    expect(r.cdnHit).toEqual({ cache: 'hit; age=100', cacheControl: 'no-cache', surrogate: [] });
    expect(r.cfOverCdn).toEqual({ cache: 'miss; not stored (cloudflare-cdn-cache-control: no-store)', surrogate: [] });
    expect(r.plain).toEqual({ hit: 'hit; age=20', after: 'miss; storing', cacheControl: 'public, s-maxage=30, max-age=5' });
    expect(r.private).toEqual({ cache: 'miss; not stored (cache-control: private, max-age=600)', stored: false });
    expect(r.none.cache).toMatch(/^miss; not stored \(no edge lifetime/);
  },
  neverPersonalized(r) {
    expect(r.visits[0].cache).toBe('miss; storing');
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
      '/': 'miss; storing',
      '/?utm_source=mail': 'hit; age=0',
      '/?page=2&sort=price': 'miss; storing',
      '/?sort=price&page=2&gclid=x': 'hit; age=0',
      '/?page=3': 'miss; storing',
      '/#top': 'hit; age=0',
    });
    expect(r.originCalls).toBe(3);
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
};
