/**
 * The verdict of an instance's first re-render is kept with the page index (region.ts,
 * `verdicts`). A check that fails on a page whose bytes were edited between origin and edge must
 * not keep the instance as cached for every later request of that index: it is checked again
 * after a few requests, and less often each time it fails again.
 */
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override, RenderRequest, SpliceManifest, SpliceRenderer } from '@splice/manifest';
import { collect, dec, enc, splitBootstrap, streamOf } from '../helpers';
import { byKey, loadFixture, oraclePage, renderPage } from './harness';

const fixture = loadFixture('context-child-create-element');
const overrides = byKey(fixture, fixture.cases[0]!.overrides);
const base = dec.decode(preparePageSync(renderPage(fixture.App, [])).html);
// One letter of the tile's name changed in transit: every offset of the index still holds, the
// instance's bytes are not those its re-render gives.
const edited = base.replace('Bouilloire', 'Bouilloirf');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A renderer counting its calls, and the check renders among them (those with no override).
 * `render` answers them, given the real renderer (by default it is the answer).
 */
function counting(render: (r: RenderRequest, real: SpliceRenderer) => Promise<string> = (r, real) => real.render(r)): { renderer: SpliceRenderer; calls: () => number; checks: () => number } {
  const real = createRenderer();
  let n = 0;
  let checks = 0;
  const renderer: SpliceRenderer = {
    render: (r) => {
      n++;
      if (r.overrides.length === 0) checks++;
      return render(r, real);
    },
  };
  return { renderer, calls: () => n, checks: () => checks };
}

interface RequestOptions {
  /** The fixture's by default. */
  manifest?: SpliceManifest;
  overrides?: Override[];
  renderBudgetMs?: number;
  /** Waited after the response: what renders give back late is kept for the next request. */
  settleMs?: number;
}

async function request(page: string, index: ReturnType<typeof preparePageSync>['index'], renderer: SpliceRenderer, options: RequestOptions = {}) {
  let report: PatchReport | undefined;
  const out = dec.decode(await collect(patchHtml(streamOf([enc.encode(page)]), {
    manifest: options.manifest ?? fixture.manifest, overrides: options.overrides ?? overrides, index, renderer,
    ...(options.renderBudgetMs === undefined ? {} : { renderBudgetMs: options.renderBudgetMs }), onReport: (r) => { report = r; },
  })));
  if (options.settleMs !== undefined) await sleep(options.settleMs);
  return { out, report: report! };
}

it('an instance found untrusted on an edited page is checked again, and re-rendered once its bytes are the index\'s', async () => {
  expect(edited).not.toBe(base);
  const index = preparePageSync(renderPage(fixture.App, [])).index;
  const { renderer } = counting();
  const first = await request(edited, index, renderer);
  expect(first.report.rerendered).toBe(0);
  expect(first.report.skipped.map((s) => s.reason).join('\n') + first.report.problems.join('\n')).toMatch(/does not reproduce the cached page/);
  // The same index object, the page as cached now: left as cached for a few requests, then checked again and re-rendered.
  let clean = 0;
  let last = first;
  while (clean < 40) {
    clean++;
    last = await request(base, index, renderer);
    if (last.report.rerendered === 1) break;
  }
  expect(last.report.rerendered).toBe(1);
  expect(clean).toBeLessThanOrEqual(17);
  const { html, bootstrap } = splitBootstrap(last.out);
  expect(bootstrap?.overrides.length).toBe(1);
  expect(html).toBe(oraclePage(fixture.App, overrides));
  // Trusted from then on.
  const after = await request(base, index, renderer);
  expect(after.report.rerendered).toBe(1);
});

it('an instance that never reproduces its bytes is checked again less and less often', async () => {
  const index = preparePageSync(renderPage(fixture.App, [])).index;
  const { renderer, calls } = counting();
  for (let i = 0; i < 200; i++) {
    const r = await request(edited, index, renderer);
    expect(r.report.rerendered).toBe(0);
    expect(splitBootstrap(r.out).html).toBe(edited);
  }
  // Checks (two renders each: the override's and the check's) at the 1st, 18th, 51st and 116th
  // requests: the wait doubles from 16.
  expect(calls()).toBe(8);
});

it('an instance whose check fails and later passes on the same cached bytes renders differently each time: never trusted', async () => {
  const index = preparePageSync(renderPage(fixture.App, [])).index;
  // A renderer whose render with no override (the check) gives other bytes the first time only,
  // as a child choosing at random among two outputs would.
  const inner = createRenderer();
  let checks = 0;
  const renderer: SpliceRenderer = {
    render: async (r) => {
      const html = await inner.render(r);
      if (r.overrides.length === 0 && checks++ === 0) return html.replace('Bouilloire', 'Bouilloirf');
      return html;
    },
  };
  for (let i = 0; i < 60; i++) {
    const r = await request(base, index, renderer);
    expect(r.report.rerendered).toBe(0);
    expect(splitBootstrap(r.out).html).toBe(base);
  }
  // Checked twice: failed, then passed on the same bytes (the 18th request), then left as cached for good.
  expect(checks).toBe(2);
});

describe('an override whose re-render fails', () => {
  // A renderer whose render of the override fails in one of the ways a render can, while the
  // check render (no override) gives the real HTML.
  function failing(how: 'reject' | 'not HTML' | 'another instance'): ReturnType<typeof counting> {
    return counting(async (r, real) => {
      if (r.overrides.length === 0) return real.render(r);
      if (how === 'reject') throw new Error('boom');
      if (how === 'not HTML') return 42 as unknown as string;
      return '<p>not the instance</p>';
    });
  }

  it.each(['reject', 'not HTML', 'another instance'] as const)('(%s) is checked once and then not rendered again for the same override: the page stays as cached, told nothing', async (how) => {
    const index = preparePageSync(renderPage(fixture.App, [])).index;
    const { renderer, calls, checks } = failing(how);
    for (let i = 0; i < 12; i++) {
      const r = await request(base, index, renderer);
      expect(r.report.rerendered).toBe(0);
      const { html, bootstrap } = splitBootstrap(r.out);
      expect(html).toBe(base);
      expect(bootstrap?.overrides ?? []).toEqual([]);
      expect(r.report.problems.join('\n')).toMatch(/left default/);
    }
    // The first request: the override's render and the check; the check's verdict (trusted) and
    // the failure are kept, so no later request of the same override renders at all.
    expect(checks()).toBe(1);
    expect(calls()).toBe(2);
  });

  it('a kept failure is tried again after 16 requests: one that passed (the renderer\'s own error) does not hold the override off for good', async () => {
    const index = preparePageSync(renderPage(fixture.App, [])).index;
    let failing = true;
    const { renderer, calls } = counting(async (r, real) => {
      if (r.overrides.length > 0 && failing) throw new Error('a passing outage');
      return real.render(r);
    });
    const first = await request(base, index, renderer);
    expect(first.report.rerendered).toBe(0);
    expect(calls()).toBe(2);
    failing = false;
    // Requests 2 to 17 take the kept failure: no render, the page as cached.
    for (let i = 0; i < 16; i++) {
      const r = await request(base, index, renderer);
      expect(r.report.rerendered).toBe(0);
      expect(splitBootstrap(r.out).html).toBe(base);
    }
    expect(calls()).toBe(2);
    // The 18th renders again, and the override is applied (and kept: the 19th renders nothing).
    const again = await request(base, index, renderer);
    expect(again.report.rerendered).toBe(1);
    expect(splitBootstrap(again.out).html).toBe(oraclePage(fixture.App, overrides));
    expect(calls()).toBe(3);
    await request(base, index, renderer);
    expect(calls()).toBe(3);
  });

  it('on an edited page, the failed check is kept too: left as cached without rendering, checked again later', async () => {
    const index = preparePageSync(renderPage(fixture.App, [])).index;
    const { renderer, checks } = failing('reject');
    for (let i = 0; i < 17; i++) {
      const r = await request(edited, index, renderer);
      expect(splitBootstrap(r.out).html).toBe(edited);
    }
    // Checked at the first request, then left for the 16 after it (the first wait), as for a render that succeeds.
    expect(checks()).toBe(1);
    await request(edited, index, renderer);
    expect(checks()).toBe(2);
  });
});

describe('renders over their budget', () => {
  // Every render (the override's and the check) comes back 120 ms after its call, against a budget of 30.
  const slow = () => counting(async (r, real) => { await sleep(120); return real.render(r); });
  const slowRequest = (page: string, index: ReturnType<typeof preparePageSync>['index'], renderer: SpliceRenderer) => request(page, index, renderer, { renderBudgetMs: 30, settleMs: 200 });

  it('are kept when they come back: the check is made at the next request, and the override applied from the one after', async () => {
    const index = preparePageSync(renderPage(fixture.App, [])).index;
    const { renderer, calls, checks } = slow();
    // 1: both renders over the budget; the region stays as cached, told nothing.
    const first = await slowRequest(base, index, renderer);
    expect(first.report.rerendered).toBe(0);
    expect(first.report.problems.join('\n')).toMatch(/over its budget of 30 ms/);
    expect(splitBootstrap(first.out).html).toBe(base);
    expect(splitBootstrap(first.out).bootstrap?.overrides ?? []).toEqual([]);
    expect([calls(), checks()]).toEqual([2, 1]);
    // 2: the check comes from the first request (no check render): made on the cached bytes, the
    // instance is trusted; the override's render is over the budget again.
    const second = await slowRequest(base, index, renderer);
    expect(second.report.rerendered).toBe(0);
    expect(splitBootstrap(second.out).html).toBe(base);
    expect([calls(), checks()]).toEqual([3, 1]);
    // 3: trusted, and the override's render is kept: applied with no render at all.
    const third = await slowRequest(base, index, renderer);
    expect(third.report.rerendered).toBe(1);
    expect(third.report.problems).toEqual([]);
    const { html, bootstrap } = splitBootstrap(third.out);
    expect(html).toBe(oraclePage(fixture.App, overrides));
    expect(bootstrap?.overrides).toHaveLength(1);
    expect(calls()).toBe(3);
  });

  it('a late check on an edited page is kept as failed, as any check', async () => {
    const index = preparePageSync(renderPage(fixture.App, [])).index;
    const { renderer, calls, checks } = slow();
    await slowRequest(edited, index, renderer);
    const second = await slowRequest(edited, index, renderer);
    expect(splitBootstrap(second.out).html).toBe(edited);
    // One check render only: the second request's check was the first request's, and it failed:
    // the next request leaves the instance as cached for that reason, with no render.
    expect([calls(), checks()]).toEqual([3, 1]);
    const third = await slowRequest(edited, index, renderer);
    expect(splitBootstrap(third.out).html).toBe(edited);
    expect(third.report.skipped.map((s) => s.reason).join('\n') + third.report.problems.join('\n')).toMatch(/does not reproduce the cached page/);
    expect(calls()).toBe(3);
  });
});

describe('renders over their budget, of an instance that received elements (slots)', () => {
  // README ("Trust, checked on the first re-render"): a render that always takes longer than the
  // budget is checked at the second request and applied from the third. A panel's children are
  // slots in its re-render: what came back late must be kept for it too.
  const panels = loadFixture('children-kept-panel');
  const collapse = byKey(panels, panels.cases[0]!.overrides);

  it('are kept when they come back: checked at the second request, applied from the third', async () => {
    const prepared = preparePageSync(renderPage(panels.App, []));
    const page = dec.decode(prepared.html);
    const { renderer, calls } = counting(async (r, real) => { await sleep(120); return real.render(r); });
    const run = () => request(page, prepared.index, renderer, { manifest: panels.manifest, overrides: collapse, renderBudgetMs: 30, settleMs: 250 });
    const first = await run();
    expect(first.report.rerendered).toBe(0);
    expect(splitBootstrap(first.out).html).toBe(page);
    expect(calls()).toBe(2);
    const second = await run();
    expect(second.report.rerendered).toBe(0);
    expect(splitBootstrap(second.out).html).toBe(page);
    // The second request renders the override only (its check is the first request's).
    expect(calls()).toBe(3);
    const third = await run();
    expect(third.report.problems).toEqual([]);
    expect(third.report.rerendered).toBe(1);
    const { html, bootstrap } = splitBootstrap(third.out);
    expect(html).toBe(oraclePage(panels.App, collapse));
    expect(bootstrap?.overrides).toHaveLength(1);
    expect(calls()).toBe(3);
  });
});

describe('check renders kept for the next request (MemoStore.checks)', () => {
  it('are let go once used: a used check does not keep another instance\'s late check from being kept', async () => {
    const cards = loadFixture('product-card');
    const prepared = preparePageSync(renderPage(cards.App, []));
    const page = dec.decode(prepared.html);
    const inner = createRenderer();
    const checks = new Map<string, number>();
    // Every check render 5 MiB (a comment before the instance, its preamble) and over the budget:
    // the store of kept checks (8 MiB) holds one at a time.
    const pad = `<!--${'x'.repeat(5 * 1024 * 1024)}-->`;
    const renderer: SpliceRenderer = {
      render: async (r) => {
        const html = await inner.render(r);
        await sleep(120);
        if (r.overrides.length > 0) return html;
        checks.set(r.id, (checks.get(r.id) ?? 0) + 1);
        return pad + html;
      },
    };
    const run = async (instance: number) => {
      await collect(patchHtml(streamOf([enc.encode(page)]), {
        manifest: cards.manifest, overrides: [{ component: 'ProductCard', instance, props: { badge: `B${instance}` } }], index: prepared.index, renderer,
        renderBudgetMs: 30, limits: { renderBytes: 16 * 1024 * 1024 },
      }));
      await sleep(250);
    };
    // Card 0: its late check is kept, then used (its verdict kept) by the second request.
    await run(0);
    await run(0);
    expect([...checks.values()]).toEqual([1]);
    // Card 1: its late check is kept in turn, and the next request uses it instead of rendering it again.
    await run(1);
    await run(1);
    expect([...checks.values()]).toEqual([1, 1]);
  });
});

describe('an override whose re-render fails, of an instance that received elements (slots)', () => {
  // README: an override that fails every time costs one check, not two renders per request. A
  // panel's check render leaves its children's slots empty: it is read once they are filled.
  const panels = loadFixture('children-kept-panel');
  const collapse = byKey(panels, panels.cases[0]!.overrides);

  it('is checked once, then not rendered again: the page stays as cached, told nothing', async () => {
    const prepared = preparePageSync(renderPage(panels.App, []));
    const page = dec.decode(prepared.html);
    const { renderer, calls, checks } = counting(async (r, real) => {
      if (r.overrides.length === 0) return real.render(r);
      throw new Error('boom');
    });
    for (let i = 0; i < 6; i++) {
      const { out, report } = await request(page, prepared.index, renderer, { manifest: panels.manifest, overrides: collapse });
      expect(report.rerendered).toBe(0);
      const { html, bootstrap } = splitBootstrap(out);
      expect(html).toBe(page);
      expect(bootstrap?.overrides ?? []).toEqual([]);
    }
    expect([calls(), checks()]).toEqual([2, 1]);
  });
});
