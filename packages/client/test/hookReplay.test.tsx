/**
 * Package hooks recorded in a source page and replayed in an edge re-render (`useSpliceHook`):
 * the source page renders exactly as without recording; a replay gives back what the cached
 * render observed, with the same `useId`s; anything else fails the re-render, even inside a
 * `<Suspense>` boundary.
 */
import { Suspense, createElement, useId, useState } from 'react';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import fc from 'fast-check';
import { checkInstanceState, parseMarker } from '@splice/manifest';
import type { ComponentRef, HookRecord } from '@splice/manifest';
import { SpliceProvider, useSpliceHook, useSpliceProps } from '@splice/client';
import { argsKey, replaying } from '../src/hookReplay';
import type { ReplaySession } from '../src/hookReplay';

type Body = (props: Record<string, unknown>) => ReactNode;

/** A re-renderable component whose body is `body` (hooks included), rendered inside a host root. */
function component(body: Body) {
  const ref: ComponentRef = { key: 'Probe.k', name: 'Probe', file: 'probe.tsx', render: { reads: null, contexts: () => [], component: () => Probe } };
  function Probe(props: Record<string, unknown>) {
    const splice = useSpliceProps(ref, props);
    const child = body(splice.props);
    return splice.root(createElement('div', { 'data-splice': splice.marker(0) }, child));
  }
  return Probe;
}

/** The source page of one instance and the calls it recorded. */
function record(Probe: (p: Record<string, unknown>) => ReactNode, props: Record<string, unknown> = {}): { html: string; hooks: HookRecord[] } {
  const html = renderToString(createElement(SpliceProvider, null, createElement(Probe, props)));
  const marker = /data-splice="([^"]*)"/.exec(html)![1]!.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const state = checkInstanceState(JSON.parse(parseMarker(marker)!.state!), 0);
  if (state === null || 'refused' in state) throw new Error(`no state: ${JSON.stringify(state)}`);
  return { html, hooks: state.hooks ?? [] };
}

/** What the browser renders (the oracle): no markers, hooks called for real. */
const full = (Probe: (p: Record<string, unknown>) => ReactNode, props: Record<string, unknown> = {}) =>
  renderToString(createElement(SpliceProvider, { markers: false }, createElement(Probe, props)));

/** The edge's render of the instance (as @splice/client/render does it, without the tree position). */
function replay(Probe: (p: Record<string, unknown>) => ReactNode, hooks: HookRecord[], props: Record<string, unknown> = {}): { html: string; failed: string | null } {
  const session: ReplaySession = { id: '_R_0_', key: 'Probe.k', records: hooks, failed: null };
  let html = '';
  try {
    html = replaying(session, () => renderToString(createElement(SpliceProvider, { instanceState: false }, createElement(Probe, props))));
  } catch (error) {
    session.failed ??= String(error);
  }
  return { html: html.replace(/ data-splice="[^"]*"/g, ''), failed: session.failed };
}

const ok = (r: { html: string; failed: string | null }) => {
  expect(r.failed).toBeNull();
  return r.html;
};

describe('useSpliceHook', () => {
  it('replays plain data without calling the hook, with the ids the hook took, from the same position only', () => {
    let calls = 0;
    function useField(name: string) { calls++; useId(); useId(); return { name, required: true, tags: ['a', 'b'] }; }
    const Probe = component(({ early }) => {
      const before = early ? useId() : 'none';
      const field = useSpliceHook('forms#useField', useField, 'email');
      const after = useId();
      return `${String(before)} ${field.name} ${String(field.required)} ${field.tags.join('')} ${after}`;
    });
    const { hooks } = record(Probe, { early: false });
    expect(hooks).toEqual([{ hook: 'forms#useField', args: '["email"]', ids: 2, at: 1, value: { name: 'email', required: true, tags: ['a', 'b'] } }]);
    calls = 0;
    expect(ok(replay(Probe, hooks, { early: false }))).toBe(full(Probe, { early: false }));
    expect(calls).toBe(1); // the oracle render; the replay called nothing
    // An id taken before it moves the hook's ids, which its result may hold: refused.
    expect(replay(Probe, hooks, { early: true }).failed).toMatch(/takes ids from another position/);
  });

  it('records plain data as handed over; a value changed during the render is unreadable, and its replay fails', () => {
    const registry: string[] = [];
    function useRegistry() { return registry; }
    function useRegister(name: string) { registry.push(name); return name; }
    const Probe = component(({ count }) => {
      const r = useSpliceHook('reg#useRegistry', useRegistry);
      const before = count ? r.length : -1;
      useSpliceHook('reg#useRegister', useRegister, 'x');
      return count ? String(before) : 'n';
    });
    const { hooks } = record(Probe);
    expect(hooks[0]!.value).toMatchObject({ $splice: 'opaque', why: 'changed during the render' });
    registry.length = 0;
    expect(replay(Probe, hooks, { count: true }).failed).toMatch(/changed during the render/);
    // Not looked at: nothing to fail.
    registry.length = 0;
    expect(ok(replay(Probe, hooks, { count: false }))).toBe(full(Probe, { count: false }));
  });

  it('answers the calls of a returned function in order per arguments, and fails on any other', () => {
    function useCounter() { let n = 0; return Object.assign(() => `k${++n}`, { prefix: 'id', label: (s: string) => s.toUpperCase() }); }
    const Probe = component(({ extra, label }) => {
      const next = useSpliceHook('ids#useCounter', useCounter);
      return `${next.prefix}: ${next()},${next()},${next()}${extra ? `,${next()}` : ''}${label ? next.label('a') : ''}`;
    });
    const { hooks } = record(Probe);
    expect(ok(replay(Probe, hooks))).toBe(full(Probe));
    expect(ok(replay(Probe, hooks))).toContain('id: k1,k2,k3');
    expect(replay(Probe, hooks, { extra: true }).failed).toMatch(/with \[\] as call 4: the cached page made 3 calls/);
    // Its function-valued properties are not recorded: a re-render that calls one fails.
    expect(replay(Probe, hooks, { label: true }).failed).toMatch(/reads \.label of a function a package hook returned, which the cached page did not record/);
  });

  it('fails a replay of another hook, other arguments, or more calls than the cached page made', () => {
    const useA = (s: string) => `a:${s}`;
    const useB = (s: string) => `b:${s}`;
    const Probe = component(({ which, arg, twice }) => {
      const v = which === 'b' ? useSpliceHook('pkg#useB', useB, String(arg)) : useSpliceHook('pkg#useA', useA, String(arg));
      const w = twice ? useSpliceHook('pkg#useA', useA, String(arg)) : '';
      return v + w;
    });
    const { hooks } = record(Probe, { which: 'a', arg: 'x', twice: false });
    expect(replay(Probe, hooks, { which: 'b', arg: 'x' }).failed).toMatch(/pkg#useB\(\) is called where the cached page called pkg#useA\(\)/);
    expect(replay(Probe, hooks, { which: 'a', arg: 'y' }).failed).toMatch(/other arguments than in the cached page: \["y"\]/);
    expect(replay(Probe, hooks, { which: 'a', arg: 'x', twice: true }).failed).toMatch(/was not called by this instance in the cached page/);
  });

  it('hands the source page the hook values themselves: identity, getters, classes, private fields and iterators as without Splice', () => {
    class Money { #cents: number; constructor(c: number) { this.#cents = c; } plus(o: Money) { return new Money(this.#cents + o.#cents); } get cents() { return this.#cents; } }
    let reads = 0;
    const dark = { name: 'dark' };
    const shared = { get count() { return ++reads; }, price: new Money(100), fee: new Money(5), params: new URLSearchParams('a=1&b=2'), list: [dark] };
    const Probe = component(() => {
      const a = useSpliceHook('pkg#useThing', () => shared);
      const b = useSpliceHook('pkg#useThing', () => shared);
      const theme = useSpliceHook('pkg#useTheme', () => dark);
      return [a.count, a.count, a.price.plus(a.fee).cents, [...a.params].length, a === b, theme === dark, a.list.indexOf(theme)].join(' ');
    });
    reads = 0;
    const { html } = record(Probe);
    reads = 0;
    expect(html.replace(/ data-splice="[^"]*"/g, '')).toBe(full(Probe));
    expect(full(Probe)).toContain('3 4 105 2 true true 0');
  });

  it('keeps the identity of a value two calls returned; a value that is not plain data fails when looked at, with its typeof', () => {
    const plain = { n: 1 };
    const frozen = Object.freeze({ format: (x: number) => `#${x}` });
    const Probe = component(({ look }) => {
      const a = useSpliceHook('pkg#usePlain', () => plain);
      const b = useSpliceHook('pkg#usePlain', () => plain);
      const cfg = useSpliceHook('pkg#useCfg', () => frozen);
      if (look === 'format') return cfg.format(1);
      return `${String(a === b)} ${typeof cfg}`;
    });
    const { hooks } = record(Probe);
    expect(ok(replay(Probe, hooks))).toBe(full(Probe));
    expect(replay(Probe, hooks, { look: 'format' }).failed).toMatch(/could not record: it is not plain data/);
  });

  it('records URLSearchParams, URL and Date by value and rebuilds them at the edge', () => {
    const Probe = component(() => {
      const q = useSpliceHook('next/navigation#useSearchParams', () => new URLSearchParams('ref=mail&x=1'));
      const u = useSpliceHook('pkg#useUrl', () => new URL('https://shop.test/a?b=c'));
      const d = useSpliceHook('pkg#useNow', () => new Date(Date.UTC(2026, 10, 28)));
      return `${q.get('ref')} ${[...q.keys()].join()} ${u.pathname} ${d.toISOString()}`;
    });
    const { hooks } = record(Probe);
    expect(hooks.map((h) => h.value)).toEqual([{ $splice: 'params', value: 'ref=mail&x=1' }, { $splice: 'url', value: 'https://shop.test/a?b=c' }, { $splice: 'date', value: Date.UTC(2026, 10, 28) }]);
    expect(ok(replay(Probe, hooks))).toBe(full(Probe));
  });

  it('fails, rather than guess, on what the cached render did not read', () => {
    const api = { user: { name: 'Ada' }, tags: ['x'], greet: (s: string) => `hi ${s}` };
    const Probe = component(({ look }) => {
      const greet = useSpliceHook('pkg#useGreet', () => api.greet);
      const user = useSpliceHook('pkg#useUser', () => api.user);
      if (look === 'greet2') return greet('bob');
      if (look === 'apply') return greet.call(null, 'ada');
      return `${user.name} ${greet('ada')}`;
    });
    const { hooks } = record(Probe);
    expect(ok(replay(Probe, hooks))).toBe(full(Probe));
    expect(replay(Probe, hooks, { look: 'greet2' }).failed).toMatch(/\["bob"\] as call 1: the cached page made call 1 with \["ada"\]/);
  });

  it('replays a function that keeps state across different arguments in call order only', () => {
    function useSeq() { let n = 0; return (p: string) => `${p}${++n}`; }
    const Probe = component(({ showA }) => {
      const id = useSpliceHook('pkg#useSeq', useSeq);
      const a = showA ? id('a') : '';
      return `${a} ${id('b')}`;
    });
    const { hooks } = record(Probe, { showA: true });
    expect(ok(replay(Probe, hooks, { showA: true }))).toBe(full(Probe, { showA: true }));
    // Without the first call, the second would be answered out of order: refused.
    expect(replay(Probe, hooks, { showA: false }).failed).toMatch(/as call 1: the cached page made call 1 with \["a"\]/);
  });

  it('hands over objects holding functions as they are (unreadable at the edge), and does not wrap classes or functions with hidden properties', () => {
    const ctx = { count: 0, next() { return ++this.count; } };
    class Badge { static label = 'b'; render() { return 'x'; } }
    const action = Object.defineProperty(() => 'act', '$$FORM_ACTION', { value: () => ({}), enumerable: false });
    const Probe = component(() => {
      const c = useSpliceHook('pkg#useCounter', () => ctx);
      const B = useSpliceHook('pkg#useBadge', () => Badge);
      const a = useSpliceHook('pkg#useAction', () => action);
      return `${c.next()} ${c.count} ${ctx.count} ${String(B === Badge)} ${String(a === action)}`;
    });
    ctx.count = 0;
    const { html } = record(Probe);
    ctx.count = 0;
    const oracle = full(Probe);
    expect(html.replace(/ data-splice="[^"]*"/g, '')).toBe(oracle);
    expect(oracle).toContain('1 1 1 true true');
  });

  it('records a subclass of Date as unreadable (it may read differently), and a value changed after a call returned it', () => {
    class Shifted extends Date { override getHours() { return super.getHours() + 5; } }
    const items: string[] = [];
    const Dated = component(({ look }) => {
      const d = useSpliceHook('pkg#useDate', () => new Shifted(0));
      return look ? String(d.getHours()) : 'n';
    });
    expect(replay(Dated, record(Dated).hooks, { look: true }).failed).toMatch(/class instance/);
    const Listed = component(({ look }) => {
      const list = useSpliceHook('pkg#useItems', () => () => items)();
      useSpliceHook('pkg#useAdd', () => { items.push('x'); return null; });
      return look ? String(list.length) : 'n';
    });
    items.length = 0;
    const { hooks } = record(Listed);
    items.length = 0;
    expect(replay(Listed, hooks, { look: true }).failed).toMatch(/changed during the render/);
  });

  it('checks again at close what calls returned (a URLSearchParams changed later) and what a function carries (t.locale changed by a call)', () => {
    const shared = new URLSearchParams('a=1');
    const t = Object.assign((k: string) => k, { locale: 'en', switchTo(l: string) { t.locale = l; } });
    const QProbe = component(({ look }) => {
      const q = useSpliceHook('pkg#useQ', () => () => shared)();
      shared.set('a', '2');
      return look ? String(q.get('a')) : 'n';
    });
    expect(replay(QProbe, record(QProbe).hooks, { look: true }).failed).toMatch(/changed during the render/);
    // Recorded as it was handed over, and the same at close: replayed.
    const TProbe = component(({ look }) => { const tt = useSpliceHook('pkg#useT', () => t); return look ? tt.locale : 'n'; });
    expect(ok(replay(TProbe, record(TProbe).hooks, { look: true }))).toBe(full(TProbe, { look: true }));
    const Switching = component(() => { const tt = useSpliceHook('pkg#useT', () => t); tt.switchTo('de'); return tt.locale; });
    t.locale = 'en';
    const { html, hooks: h2 } = record(Switching);
    t.locale = 'en';
    // The source page reads through to the function itself: 'de', as without Splice.
    expect(html.replace(/ data-splice="[^"]*"/g, '')).toBe(full(Switching));
    expect(h2[0]!.value).toMatchObject({ $splice: 'opaque', why: 'changed during the render' });
  });

  it('keeps a function as itself in the source page (a proxy of it), and replays only what the render did with it', () => {
    const chalkLike = Object.setPrototypeOf((s: string) => s, { get bold() { return 'B'; } }) as ((s: string) => string) & { bold: string };
    function Thing(this: { x: number }) { this.x = 1; }
    const self: () => unknown = () => self;
    const logged = Object.assign((s: string) => { logged.last = s; return s; }, { last: '' });
    const Probe = component(({ look }) => {
      const t = useSpliceHook('pkg#useT', () => function translate(a: string, b: string) { return a + b; });
      const c = useSpliceHook('pkg#useChalk', () => chalkLike);
      const T = useSpliceHook('pkg#useThing', () => Thing as unknown as new () => { x: number });
      const f = useSpliceHook('pkg#useSelf', () => self);
      const l = useSpliceHook('pkg#useLogged', () => logged);
      l('a');
      if (look === 'added') return l.last;
      return `${t.name} ${t.length} ${c.bold} ${String(new T() instanceof T)} ${String(f() === f)} ${l.last}`;
    });
    const { html, hooks } = record(Probe);
    expect(html.replace(/ data-splice="[^"]*"/g, '')).toBe(full(Probe));
    expect(full(Probe)).toContain('translate 2 B true true a');
    const Owning = component(({ look }) => {
      const t = useSpliceHook('pkg#useT', () => function translate(a: string) { return a; });
      return look ? String(Object.hasOwn(t, 'name')) : t.name;
    });
    const owned = record(Owning).hooks;
    expect(ok(replay(Owning, owned))).toBe(full(Owning));
    expect(replay(Owning, owned, { look: true }).failed).toMatch(/reads a property descriptor/);
    // `last` was set by a call after the hand-over: not recorded, so reading it fails.
    expect(replay(Probe, hooks, { look: 'added' }).failed).toMatch(/changed during the render|did not record/);
  });

  it('catches a value that changes and changes back between two reads, and calls of two functions in another interleaving', () => {
    const toggle = Object.assign(() => { toggle.on = !toggle.on; return null; }, { on: false });
    const Toggling = component(({ look }) => {
      const f = useSpliceHook('pkg#useToggle', () => toggle);
      f();
      const mid = f.on;
      f();
      return look ? String(mid) : 'n';
    });
    expect(replay(Toggling, record(Toggling).hooks, { look: true }).failed).toMatch(/changed during the render/);
    function useIds() { let n = 0; return (p: string) => { n++; return (q: string) => `${p}${q}${++n}`; }; }
    const Scoped = component(({ swap }) => {
      const scope = useSpliceHook('pkg#useIds', useIds);
      if (swap) { const a = scope('a'); const b = scope('b'); return `${a('x')} ${b('y')}`; }
      const a = scope('a'); const ax = a('x'); const b = scope('b'); return `${ax} ${b('y')}`;
    });
    const { hooks } = record(Scoped, { swap: false });
    expect(ok(replay(Scoped, hooks, { swap: false }))).toBe(full(Scoped, { swap: false }));
    expect(replay(Scoped, hooks, { swap: true }).failed).toMatch(/another order/);
  });

  it('ends the record of a function at a call on an object, a call that throws, or a call that takes ids; keys arguments without running their getters', () => {
    const f = function (this: { v?: string } | undefined) { return this?.v ?? 'none'; };
    const OnObject = component(({ v }) => String(useSpliceHook('pkg#useG', () => f).call({ v: v as string })));
    expect(replay(OnObject, record(OnObject, { v: 'a' }).hooks, { v: 'b' }).failed).toMatch(/was called on an object/);
    function useFlaky() { let n = 0; return (k: string) => { if (n++ === 0) throw new Error('not ready'); return `ok:${k}`; }; }
    const Retrying = component(() => { const g = useSpliceHook('pkg#useFlaky', useFlaky); let r: string; try { r = g('x'); } catch { r = `retry ${g('x')}`; } return r; });
    expect(replay(Retrying, record(Retrying).hooks).failed).toMatch(/threw/);
    const Factory = component(() => { const field = useSpliceHook('pkg#useFields', () => (name: string) => `${name}:${useId()}`); return `${field('email')} ${useId()}`; });
    expect(replay(Factory, record(Factory).hooks).failed).toMatch(/took React ids/);
    let reads = 0;
    const arg = { get n() { return ++reads; } };
    const Getter = component(() => { const t = useSpliceHook('pkg#useT', () => (a: { n: number }) => `n=${a.n}`); return `${t(arg)} reads=${reads}`; });
    reads = 0;
    const { html } = record(Getter);
    reads = 0;
    expect(html.replace(/ data-splice="[^"]*"/g, '')).toBe(full(Getter));
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const Revoked = component(() => typeof useSpliceHook('pkg#useR', () => revoked.proxy));
    expect(record(Revoked).html).toContain('>object<');
  });

  it('refuses plain data holding an object handed over earlier, and replays an instance that renders its body twice (state set during render)', () => {
    const a = { id: 1, name: 'A' };
    const store = { items: [a, { id: 2, name: 'B' }], selected: a };
    const Shop = component(() => {
      const selected = useSpliceHook('shop#useSelected', () => store.selected);
      const items = useSpliceHook('shop#useItems', () => store.items);
      return items.map((i) => (i === selected ? `[${i.name}]` : i.name)).join(' ');
    });
    expect(replay(Shop, record(Shop).hooks).failed).toMatch(/shares an object with a value handed over earlier/);
    const Twice = component(({ q }) => {
      const t = useSpliceHook('next-intl#useTranslations', (ns: string) => (k: string) => `${ns}.${k}`, 'Cart');
      const [prev, setPrev] = useState<unknown>(null);
      if (prev !== q) setPrev(q);
      return `${t('title')} ${String(q)}`;
    });
    const { hooks } = record(Twice, { q: 'x' });
    expect(ok(replay(Twice, hooks, { q: 'x' }))).toBe(full(Twice, { q: 'x' }));
  });

  it('fails a replay that happens inside a Suspense boundary, though React turns the error into a fallback', () => {
    const Probe = component(({ arg }) => createElement(Suspense, { fallback: 'loading' }, createElement(() => useSpliceHook('pkg#useX', (s: string) => s, String(arg)))));
    // Called from a component inside the instance: outside its own window.
    const { hooks } = record(Probe, { arg: 'a' });
    const r = replay(Probe, hooks, { arg: 'a' });
    expect(r.failed).toMatch(/outside the re-rendered instance's own render/);
  });

  it('does not record a wrapped call made inside another (a compiled package): the outer result covers it', () => {
    const useInner = () => 'inner';
    function useOuter() { return `outer+${useSpliceHook('pkg#useInner', useInner)}`; }
    const Probe = component(() => `${useSpliceHook('pkg#useOuter', useOuter)} ${useSpliceHook('pkg#useInner', useInner)}`);
    const { hooks } = record(Probe);
    expect(hooks.map((h) => h.hook)).toEqual(['pkg#useOuter', 'pkg#useInner']);
    expect(ok(replay(Probe, hooks))).toBe(full(Probe));
  });

  it('is the plain call outside a re-renderable instance and in a render without markers; takes no id of its own', () => {
    let calls = 0;
    const Probe = component(() => { useSpliceHook('pkg#useX', () => { calls++; return 1; }); return useId(); });
    expect(full(Probe)).toBe('<div>_R_0H1_</div>');
    expect(calls).toBe(1);
    function Plain() { return createElement('b', null, String(useSpliceHook('pkg#useX', () => 'direct'))); }
    expect(renderToString(createElement(SpliceProvider, null, createElement(Plain)))).toBe('<b>direct</b>');
  });

  it('records a cyclic, shared or large result as unreadable without walking it, and refuses a state too large for the marker', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const item = { id: 1 };
    const shared = { items: [item], selected: item };
    const Probe = component(() => {
      useSpliceHook('pkg#useC', () => cyclic);
      useSpliceHook('pkg#useS', () => shared);
      useSpliceHook('pkg#useBig', () => Array.from({ length: 3000 }, (_, i) => `item number ${i}`));
      return 'x';
    });
    expect(record(Probe).hooks.map((h) => (h.value as { $splice?: string }).$splice)).toEqual(['opaque', 'opaque', 'opaque']);
    const big = component(() => { const t = useSpliceHook('pkg#useT', () => (k: number) => `${'text '.repeat(200)}${k}`); return Array.from({ length: 50 }, (_, k) => t(k)).join(''); });
    const marker = /data-splice="([^"]*)"/.exec(renderToString(createElement(SpliceProvider, null, createElement(big))))![1]!;
    expect(/refused.*more than 32 KB/.test(marker)).toBe(true);
    expect(marker.length).toBeLessThan(1000);
  });
});

describe('argsKey', () => {
  it('keys exactly what JSON holds, and nothing else', () => {
    expect(argsKey(['a', 1, { b: [true, null] }])).toBe('["a",1,{"b":[true,null]}]');
    // eslint-disable-next-line no-sparse-arrays
    for (const bad of [[undefined], [() => 1], [new Date(0)], [{ a: undefined }], [NaN], [-0], [Symbol('s')], [1n], [[1, , 2]], [Object.create(null)]]) expect(argsKey(bad)).toBeNull();
  });

  it('is injective on JSON values (fast-check): two different argument lists never share a key', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue()), fc.array(fc.jsonValue()), (a, b) => {
      const ka = argsKey(a);
      const kb = argsKey(b);
      if (ka !== null && kb !== null && ka === kb) expect(JSON.parse(ka)).toEqual(JSON.parse(kb));
    }));
  });
});
