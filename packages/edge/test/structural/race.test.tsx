/**
 * The race between a re-render and the stream (structural holes): both orders give the same
 * bytes; the stream waits only at the region whose render is unfinished, with every earlier
 * byte already delivered; a render that throws or overruns its budget leaves the region default
 * and its override out of the bootstrap.
 */
import { handleSpliceRequest, patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport, SpliceRenderer } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override } from '@splice/manifest';
import { dec, splitBootstrap, streamOf } from '../helpers';
import { loadFixture, oraclePage, renderPage } from './harness';

const fixture = loadFixture('product-card');
const source = renderPage(fixture.App, []);
const prepared = preparePageSync(source);
const card = prepared.index.instances[1]!;
const overrides: Override[] = [{ component: 'ProductCard', instance: 1, props: { badge: 'Hot', tags: ['x'] } }];
const expected = oraclePage(fixture.App, overrides);
const base = oraclePage(fixture.App, []);
const real = createRenderer();

/** A renderer whose renders finish when the test says so. */
function gated(): { renderer: SpliceRenderer; release(): void; calls: number; done: boolean } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => { open = resolve; });
  const state = {
    calls: 0,
    done: false,
    release: () => open(),
    renderer: {
      render: async (request: Parameters<SpliceRenderer['render']>[0]) => {
        state.calls++;
        await gate;
        const html = await real.render(request);
        state.done = true;
        return html;
      },
    },
  };
  return state;
}

/** A controllable input: chunks go in when the test pushes them. */
function manualInput(): { stream: ReadableStream<Uint8Array>; push(bytes: Uint8Array): void; close(): void } {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start(c) { ctl = c; } });
  return { stream, push: (b) => ctl.enqueue(b), close: () => ctl.close() };
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, into: Uint8Array[]): Promise<void> {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    into.push(value);
  }
}

const join = (parts: Uint8Array[]) => dec.decode(Uint8Array.from(parts.flatMap((p) => [...p])));
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('structural race', () => {
  it('a slow render: the stream delivers every byte before the region, waits there, then the same page as a full render', async () => {
    const g = gated();
    const input = manualInput();
    let report: PatchReport | undefined;
    // The budget is not the subject: a loaded machine must not turn the wait into an overrun.
    const out = patchHtml(input.stream, { manifest: fixture.manifest, overrides, index: prepared.index, renderer: g.renderer, renderBudgetMs: 60_000, onReport: (r) => { report = r; } });
    const reader = out.getReader();
    const received: Uint8Array[] = [];
    const reading = readAll(reader, received);
    // The whole base page is there; the render is not.
    input.push(prepared.html);
    input.close();
    // Until the bytes before the region have left (however slow the machine), then a little more
    // for anything that would wrongly follow them.
    for (let i = 0; i < 400 && join(received).length < card.start; i++) await tick();
    await tick();
    await tick();
    expect(g.calls).toBeGreaterThan(0); // started before the stream reached the card
    expect(g.done).toBe(false);
    // Everything before the region has left, and nothing of it or after it.
    expect(join(received)).toBe(dec.decode(prepared.html.subarray(0, card.start)));
    g.release();
    await reading;
    const { html } = splitBootstrap(join(received));
    expect(html).toBe(expected);
    expect(report?.rerendered).toBe(1);
  });

  it('a fast render: it waits for the stream, and the output is the same bytes', async () => {
    const input = manualInput();
    let renderedAt = -1;
    let pushed = 0;
    const renderer: SpliceRenderer = { render: async (r) => { const html = await real.render(r); renderedAt = pushed; return html; } };
    const out = patchHtml(input.stream, { manifest: fixture.manifest, overrides, index: prepared.index, renderer });
    const received: Uint8Array[] = [];
    const reading = readAll(out.getReader(), received);
    // The page arrives in small pieces, slowly: the render is done long before the card comes.
    for (let at = 0; at < prepared.html.length; at += 16) {
      input.push(prepared.html.subarray(at, at + 16));
      pushed++;
      await tick();
    }
    input.close();
    await reading;
    expect(renderedAt).toBeGreaterThanOrEqual(0);
    expect(renderedAt * 16).toBeLessThan(card.start); // finished before the stream reached the card
    expect(splitBootstrap(join(received)).html).toBe(expected);
  });

  it('over budget: the region stays default, the override is not in the bootstrap, the report says why', async () => {
    const never: SpliceRenderer = { render: () => new Promise<string>(() => undefined) };
    let report: PatchReport | undefined;
    const started = Date.now();
    const out = await new Response(patchHtml(streamOf([prepared.html]), {
      manifest: fixture.manifest, overrides, index: prepared.index, renderer: never, renderBudgetMs: 30,
      assignments: { exp: 'x' }, onReport: (r) => { report = r; },
    })).text();
    expect(Date.now() - started).toBeLessThan(2000);
    const { html, bootstrap } = splitBootstrap(out);
    expect(html).toBe(base);
    expect(bootstrap?.overrides).toEqual([]);
    expect(report?.problems.join('\n')).toMatch(/over its budget of 30 ms; left default/);
  });

  it('a render back before the stream reaches its region is used, however long it took: the budget bounds the wait', async () => {
    // Behind the handler the render runs while the page is fetched; nothing waits on it.
    const slow: SpliceRenderer = {
      render: (request) => {
        const until = performance.now() + 60;
        while (performance.now() < until) { /* a render that takes 60 ms */ }
        return real.render(request);
      },
    };
    let report: PatchReport | undefined;
    const response = await handleSpliceRequest(new Request('https://shop.test/'), {
      manifest: fixture.manifest, overrides, index: prepared.index, renderer: slow, renderBudgetMs: 30, onReport: (r) => { report = r; },
      fetchBase: async () => { await tick(); return new Response(streamOf([prepared.html]), { headers: { 'content-type': 'text/html; charset=utf-8' } }); },
    });
    const { html, bootstrap } = splitBootstrap(await response.text());
    expect(html).toBe(expected);
    expect(bootstrap?.overrides).toHaveLength(1);
    expect(report?.problems).toEqual([]);
    expect(report?.rerendered).toBe(1);
  });

  it('a render done before the stream reaches its region arms no budget timer', async () => {
    const budgetTimers = jest.fn();
    const setTimeoutOf = globalThis.setTimeout;
    const spy = jest.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number, ...rest: unknown[]) => {
      if (ms === 4321) budgetTimers();
      return setTimeoutOf(fn, ms, ...rest);
    }) as typeof setTimeout);
    try {
      const response = await handleSpliceRequest(new Request('https://shop.test/'), {
        manifest: fixture.manifest, overrides, index: prepared.index, renderer: real, renderBudgetMs: 4321,
        fetchBase: async () => { await tick(); return new Response(streamOf([prepared.html]), { headers: { 'content-type': 'text/html; charset=utf-8' } }); },
      });
      expect(splitBootstrap(await response.text()).html).toBe(expected);
    } finally {
      spy.mockRestore();
    }
    expect(budgetTimers).not.toHaveBeenCalled();
  });

  it('behind handleSpliceRequest, each synchronous render is charged its own duration, not the renders of the regions after it', async () => {
    // The renders run one after another before the fetch is awaited: the first region's result
    // is only looked at once the last region's render has returned too.
    const fresh = preparePageSync(source); // its own verdicts: every region also renders its check
    // Each call: 100 ms of synchronous work. The first region's two calls (its render and its
    // check, the first two made) then take 500 ms more before their HTML is back, so that the
    // stream, which arrives once all six calls have returned (≈ 600 ms), waits at that region.
    let calls = 0;
    const busy: SpliceRenderer = {
      render: async (request) => {
        const first = calls++ < 2;
        const until = performance.now() + 100;
        while (performance.now() < until) { /* a render that takes 100 ms */ }
        if (first) await new Promise((r) => setTimeout(r, 500));
        return real.render(request);
      },
    };
    const all: Override[] = [0, 1, 2].map((instance) => ({ component: 'ProductCard', instance, props: { badge: `B${instance}` } }));
    let report: PatchReport | undefined;
    const response = await handleSpliceRequest(new Request('https://shop.test/'), {
      manifest: fixture.manifest, overrides: all, index: fresh.index, renderer: busy, renderBudgetMs: 550, onReport: (r) => { report = r; },
      fetchBase: async () => { await tick(); return new Response(streamOf([fresh.html]), { headers: { 'content-type': 'text/html; charset=utf-8' } }); },
    });
    const { html } = splitBootstrap(await response.text());
    // The first region's two calls took ≈ 200 ms of their own, the other regions' 400 ms more:
    // when the stream waits there (≈ 605 ms after the first call) it has spent ≈ 205 ms of its
    // 550, and its HTML is back at ≈ 700 ms. Charged the others' calls too, it would be over its
    // budget already (at least 600 ms) and left default. (≈ 250 ms to spare for a busy machine.)
    expect(report?.problems).toEqual([]);
    expect(report?.rerendered).toBe(3);
    expect(html).toBe(oraclePage(fixture.App, all));
  });

  it('the stream waiting at a region counts the budget from the render\'s call: a render that started late and took less is applied', async () => {
    // The stream reaches the region before its render is called (renders start on a later turn,
    // after other work queued before them: another request's render, say).
    const fresh = preparePageSync(source);
    const quick: SpliceRenderer = { render: async (request) => { await new Promise((r) => setTimeout(r, 20)); return real.render(request); } };
    setImmediate(() => {
      const until = performance.now() + 170;
      while (performance.now() < until) { /* 170 ms of another request's work */ }
    });
    let report: PatchReport | undefined;
    const out = await new Response(patchHtml(streamOf([fresh.html]), {
      manifest: fixture.manifest, overrides, index: fresh.index, renderer: quick, renderBudgetMs: 160, onReport: (r) => { report = r; },
    })).text();
    // Its own duration was ≈ 20 ms of 160 (counted from the stream's wait, over 170).
    expect(report?.problems).toEqual([]);
    expect(splitBootstrap(out).html).toBe(expected);
  });

  it.each([
    ['rejects', { render: () => Promise.reject(new Error('boom')) }],
    ['throws synchronously', { render: () => { throw new Error('boom'); } }],
    ['returns something else', { render: () => Promise.resolve(42 as unknown as string) }],
    ['returns another component', { render: () => Promise.resolve('<p>hi</p>') }],
  ] as [string, SpliceRenderer][])('a renderer that %s: default region, override not told', async (_, renderer) => {
    let report: PatchReport | undefined;
    const out = await new Response(patchHtml(streamOf([prepared.html]), {
      manifest: fixture.manifest, overrides, index: prepared.index, renderer, assignments: { exp: 'x' }, onReport: (r) => { report = r; },
    })).text();
    const { html, bootstrap } = splitBootstrap(out);
    expect(html).toBe(base);
    expect(bootstrap?.overrides).toEqual([]);
    expect(report?.problems).toHaveLength(1);
    expect(report?.rerendered).toBe(0);
  });

  it('a renderer that returns a promise for the render, then throws on the check render: default region, and the promise rejecting later is handled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      let calls = 0;
      const renderer: SpliceRenderer = {
        render: () => {
          calls++;
          if (calls === 1) return new Promise<string>((_, reject) => setTimeout(() => reject(new Error('late')), 5));
          throw new Error('boom');
        },
      };
      const fresh = preparePageSync(source); // no verdict yet: the check render is asked for too
      let report: PatchReport | undefined;
      const out = await new Response(patchHtml(streamOf([fresh.html]), { manifest: fixture.manifest, overrides, index: fresh.index, renderer, onReport: (r) => { report = r; } })).text();
      expect(splitBootstrap(out).html).toBe(base);
      expect(report?.problems.join('\n')).toMatch(/re-render failed: boom/);
      await new Promise((r) => setTimeout(r, 30));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a check render that returns junk, not even a string, beside a render with kept slots: default region, a complete page, nothing unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      const alerts = loadFixture('slots-icon-and-text-children');
      const title: Override[] = [{ component: 'Alert', instance: 0, props: { title: 'Good news' } }];
      // The render with the override holds the alert's slots; the check render is an object that has no string form.
      const renderer: SpliceRenderer = { render: (r) => (r.overrides.length === 0 ? Promise.resolve(Object.create(null) as string) : real.render(r)) };
      for (const via of ['patchHtml', 'handleSpliceRequest']) {
        const fresh = preparePageSync(renderPage(alerts.App, [])); // no verdict yet: the check render is asked for
        let report: PatchReport | undefined;
        const onReport = (r: PatchReport) => { report = r; };
        const body = via === 'patchHtml'
          ? patchHtml(streamOf([fresh.html]), { manifest: alerts.manifest, overrides: title, index: fresh.index, renderer, onReport })
          : (await handleSpliceRequest(new Request('https://shop.test/'), {
            manifest: alerts.manifest, overrides: title, index: fresh.index, renderer, onReport,
            fetchBase: async () => new Response(streamOf([fresh.html]), { headers: { 'content-type': 'text/html; charset=utf-8' } }),
          })).body!;
        const out = await new Response(body).text();
        expect(splitBootstrap(out).html).toBe(oraclePage(alerts.App, []));
        expect(report?.problems.join('\n')).toMatch(/re-render did not return HTML; left default/);
      }
      await new Promise((r) => setTimeout(r, 30));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('one region failing does not hold back the others, and the bootstrap names only what was applied', async () => {
    const failing = prepared.index.instances[2]!.id;
    const renderer: SpliceRenderer = { render: (r) => (r.id === failing ? Promise.reject(new Error('no')) : real.render(r)) };
    const both: Override[] = [
      { component: 'ProductCard', instance: 0, props: { badge: 'A' } },
      { component: 'ProductCard', instance: 2, props: { badge: 'C' } },
    ];
    const out = await new Response(patchHtml(streamOf([prepared.html]), { manifest: fixture.manifest, overrides: both, index: prepared.index, renderer })).text();
    const { html, bootstrap } = splitBootstrap(out);
    expect(html).toBe(oraclePage(fixture.App, [both[0]!]));
    expect(bootstrap?.overrides).toEqual([{ component: expect.stringMatching(/^ProductCard\./), props: { badge: 'A' }, instance: prepared.index.instances[0]!.id }]);
  });

  it('the first chunk reaches the reader before the render is even called (renders start on a later turn)', async () => {
    const events: string[] = [];
    const renderer: SpliceRenderer = { render: async (r) => { events.push('render called'); const html = await real.render(r); events.push('render done'); return html; } };
    const reader = patchHtml(streamOf([prepared.html.subarray(0, 16), prepared.html.subarray(16)]), { manifest: fixture.manifest, overrides, index: prepared.index, renderer }).getReader();
    const first = await reader.read();
    events.push('first chunk');
    expect(first.value?.length).toBeGreaterThan(0);
    const rest: Uint8Array[] = [first.value!];
    await readAll(reader, rest);
    expect(events.indexOf('first chunk')).toBeLessThan(events.indexOf('render called'));
    expect(splitBootstrap(join(rest)).html).toBe(expected);
  });

  it('the same overrides on the same cached instance render once: later requests reuse the bytes', async () => {
    let calls = 0;
    const counting: SpliceRenderer = { render: (r) => { calls++; return real.render(r); } };
    const fresh = preparePageSync(source); // a new index object: its own verdicts and reuse
    const once = async () => splitBootstrap(await new Response(patchHtml(streamOf([fresh.html]), { manifest: fixture.manifest, overrides, index: fresh.index, renderer: counting })).text()).html;
    expect(await once()).toBe(expected);
    expect(calls).toBe(2); // the render, and the check of the instance against the cached bytes
    expect(await once()).toBe(expected);
    expect(await once()).toBe(expected);
    expect(calls).toBe(2);
    const other: Override[] = [{ component: 'ProductCard', instance: 1, props: { badge: 'Other' } }];
    await new Response(patchHtml(streamOf([fresh.html]), { manifest: fixture.manifest, overrides: other, index: fresh.index, renderer: counting })).text();
    expect(calls).toBe(3);
  });

  it('without a renderer a structural override is skipped up front, with the reason', async () => {
    let report: PatchReport | undefined;
    const out = await new Response(patchHtml(streamOf([prepared.html]), { manifest: fixture.manifest, overrides, index: prepared.index, onReport: (r) => { report = r; } })).text();
    expect(out).toBe(base);
    expect(report?.skipped[0]?.reason).toMatch(/needs a re-render \(SPLICE010\); pass the edge module's renderer/);
  });

  it('behind handleSpliceRequest with an index, the render runs while the page is fetched, and the page is a full render\'s', async () => {
    const events: string[] = [];
    const renderer: SpliceRenderer = { render: (request) => { events.push('render called'); return real.render(request); } };
    const pending = handleSpliceRequest(new Request('https://shop.test/'), {
      manifest: fixture.manifest,
      overrides,
      index: prepared.index,
      renderer,
      fetchBase: async () => {
        events.push('fetch started');
        await tick();
        events.push('page arrived');
        return new Response(streamOf([prepared.html]), { headers: { 'content-type': 'text/html; charset=utf-8' } });
      },
    });
    // Before handleSpliceRequest first awaits: the fetch started, then the render ran.
    expect(events).toEqual(['fetch started', 'render called']);
    const response = await pending;
    const html = await response.text();
    expect(events).toEqual(['fetch started', 'render called', 'page arrived']);
    expect(splitBootstrap(html).html).toBe(expected);
    expect(response.headers.get('x-splice')).toMatch(/^patched; /);
  });

  it('a render started for a page that turns out not to be patched (not HTML) changes nothing', async () => {
    let calls = 0;
    const renderer: SpliceRenderer = { render: (request) => { calls++; return real.render(request); } };
    const response = await handleSpliceRequest(new Request('https://shop.test/'), {
      manifest: fixture.manifest, overrides, index: prepared.index, renderer,
      fetchBase: async () => { await tick(); return new Response('{"not":"html"}', { headers: { 'content-type': 'application/json' } }); },
    });
    expect(await response.text()).toBe('{"not":"html"}');
    expect(response.headers.get('x-splice')).toBe('pass-through; not-html-200');
    expect(calls).toBeGreaterThan(0);
  });
});
