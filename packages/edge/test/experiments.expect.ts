/** What each scenario of experiments.ts must give, in any runtime. */
export const experimentExpectations: Record<string, (result: any) => void> = {
  distribution(r: { counts: Record<string, number>; disagreed: number; shares: Record<string, number> }) {
    // Through the handler: every visitor got the variant its id hashes to, and no one none.
    expect(r.disagreed).toBe(0);
    expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(2_000);
    // Weights 1 : 1 : 2. Over 2,000 visitors, within five standard deviations (±4.9 points for a
    // quarter, ±5.6 for a half); over 40,000 ids, within ±1 point (4.6 standard deviations for a
    // quarter, 4 for a half: the odds the ±2 points over 10,000 requests had).
    for (const [name, share] of [['a', 0.25], ['b', 0.25], ['c', 0.5]] as const) {
      expect(Math.abs(r.counts[name]! / 2_000 - share)).toBeLessThanOrEqual(5 * Math.sqrt((share * (1 - share)) / 2_000));
      expect(Math.abs(r.shares[name]! / 40_000 - share)).toBeLessThanOrEqual(0.01);
    }
    expect(Object.keys(r.shares).sort()).toEqual(['a', 'b', 'c']);
  },
  sticky(r: { changed: number; recookied: number; mismatched: number }) {
    expect(r).toEqual({ changed: 0, recookied: 0, mismatched: 0 });
  },
  tampered(r: { first: string; forged: string; afterEdit: { hero: string; newCookie: boolean; sameVisitor: boolean }; foreign: { newCookie: boolean } }) {
    // The edited cookie is not read at all: a fresh visitor, whose variant is its own hash's.
    expect(r.afterEdit.newCookie).toBe(true);
    expect(r.afterEdit.sameVisitor).toBe(false);
    expect(r.foreign.newCookie).toBe(true);
  },
  preview(r: Record<string, { hero: string; header: string | null; title: string | null }>) {
    expect(r.valid).toEqual({ hero: 'b', header: 'hero=b', title: 'B' });
    expect(r.expired!.header).toBe('expired');
    expect(r.forged!.header).toBe('invalid');
    // Bound to a host: honoured there, not on another host sharing the secret.
    expect(r.thisHost).toEqual({ hero: 'b', header: 'hero=b', title: 'B' });
    expect(r.otherHost!.header).toBe('other-host');
    // Ignored tokens leave visitors to their own assignment: over 20 new visitors, not all b.
    expect(r.forged!.hero.split(',').length).toBeGreaterThan(1);
  },
  targeting(r: { inTraffic: number; match: string; otherPath: string; desktop: string; otherCountry: string; otherLanguage: string }) {
    // Visitors are random: within five standard deviations of a 30% share of 2,000 (±5.1
    // points; ±3 points was 2.9 of them, and failed about one run in 300).
    expect(Math.abs(r.inTraffic / 2000 - 0.3)).toBeLessThanOrEqual(5 * Math.sqrt((0.3 * 0.7) / 2000));
    expect(r.match).toBe('Mobil');
    expect([r.otherPath, r.desktop, r.otherCountry, r.otherLanguage]).toEqual(['Hello', 'Hello', 'Hello', 'Hello']);
  },
  personalizeAndPrivacy(r: any) {
    expect(r.de).toEqual({ href: '/de', cacheControl: 'private, no-store' });
    expect(r.fr.href).toBe('/a');
    // A returning visitor in the control: nothing patched, no cookie, and still never shareable.
    expect(r.control).toEqual({ title: 'Hello', setCookie: null, cacheControl: 'private, no-store', assignments: { hero: 'a' } });
    expect(r.firstVisit.cacheControl).toBe('private, no-store');
    expect(r.firstVisit.setCookie).toBe('splice=…; Path=/; Max-Age=7776000; HttpOnly; Secure; SameSite=Lax');
    expect(r.noSecret.experiments).toMatch(/^off; no signing secret in env\.SPLICE_SECRET/);
    expect(r.noSecret.title).toBe('Hello');
    expect(r.noSecret.setCookie).toBeNull();
  },
  configChanges(r: any) {
    // Traffic lowered to 0: the returning visitor leaves the experiment, and the cookie forgets it.
    expect(r.noTraffic).toEqual({ title: 'Hello', hero: null, cookieHasHero: false });
    expect(r.ended).toEqual({ hero: 'b', cookieHasGone: false });
    expect(r.refreshedWhenOld).toBe(true);
    expect(r.notRefreshedWhenFresh).toBe(true);
    expect(r.twice).toEqual({ hero: 'c', newCookie: false });
  },
  robustness(r: any) {
    expect(r.kept).toEqual({ hero: expect.any(String), same: true, experiments: null });
    expect(r.errors).toEqual(['Error: boom']);
    expect(r.head).toEqual({ status: 200, body: true, cacheControl: 'private, no-store' });
    expect(r.conditional).toEqual({ status: 200, patched: true });
    expect(r.cfWinsOverHeader).toBe(true);
  },
  siteDecisions(r: any) {
    // Desktop: the checkout test's device targeting fails, so it is not in the site at all.
    expect(r.desktopDe.site).toEqual([
      { experiment: 'hero', variant: 'b', touches: ['Hero'], overrides: [{ component: 'Hero', props: { title: 'B' } }] },
      // Its override refused (no such prop): left out for the client too, and never reported as exposed (no `touches`).
      { experiment: 'broken', variant: 'x', overrides: [], partial: true },
      // Path patterns compiled to regular expressions (`pathPattern`): '/de/**'.
      { paths: ['^(?:/de(?:/[^]*)?)$'], overrides: [{ component: 'Hero', props: { title: 'Hallo' } }] },
    ]);
    expect(r.desktopDe.assignments).toEqual({ hero: 'b', broken: 'x' });
    expect(r.desktopDe.shown).toEqual({ hero: true, broken: false });
    expect(r.desktopDe.beacon).toBe('/__splice/exposure');
    // Mobile: the checkout test is assigned here (for navigation), with both of its path conditions, but not applied on '/'.
    expect(r.mobile.site[1]).toEqual({ paths: ['^(?:/checkout(?:/[^]*)?)$', '^(?:/checkout/pay)$'], experiment: 'checkout', variant: 'one', touches: ['Hero'], overrides: [{ component: 'Hero', props: { href: '/pay' } }] });
    expect(r.mobile.assignments).toEqual({ hero: 'b', broken: 'x' });
    expect(r.pay.assignments).toEqual({ hero: 'b', checkout: 'one', broken: 'x' });
    // QA previews advertise no beacon: they are not the visitor's assignment.
    expect(r.preview.beacon).toBeNull();
  },
  exposureEndpoint(r: any) {
    for (const v of Object.values(r.results)) expect(v).toEqual({ status: 204, cacheControl: 'no-store' });
    // Only the valid beacon reached onExposure, each experiment once, the unknown one dropped.
    expect(r.received).toEqual([{ visitor: expect.any(String), path: '/', view: 0, experiments: [{ experiment: 'hero', variant: r.mine }] }]);
    expect(r.afterValid).toBe(1);
    expect(r.visitorMatches).toBe(true);
    expect(r.beacon).toBe('/__splice/exposure');
    // The receiver throwing is reported; malformed JSON from a client is not an error of yours.
    expect(r.errors).toEqual(['Error: analytics down']);
    expect(r.plainPost).toBe(404);
  },
  siteEdges(r: any) {
    // After a navigation to /other the client renders what a full load of /other renders: nothing.
    expect(r.clientOnOther).toEqual(r.fullLoadOther);
    expect(r.fullLoadOther).toEqual([]);
    expect(r.clientOnLanding).toBe(2);
    // A rule on paths alone is everyone's: the bootstrap carries it, the page stays shareable.
    expect(r.shared).toEqual({ cacheControl: 'public, max-age=60', bootstrap: true, unsafe: false, title: '</script><script>alert(1)</script><!--\u2028' });
    // Only the beacon for a path the experiment runs on, with a possible view.
    expect(r.received).toEqual([{ path: '/cart', view: 3 }]);
  },
};
