/**
 * Package hooks recorded in a source page and replayed in an edge re-render (`useSpliceHook`):
 * the source page renders exactly as without recording; a replay gives back what the cached
 * render observed, with the same `useId`s; anything else fails the re-render, even inside a
 * `<Suspense>` boundary.
 */
import { Suspense, createElement, useId } from 'react';
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
  const session: ReplaySession = { id: '_R_0_', key: 'Probe.k', records: hooks, used: false, failed: null };
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

  it('records the value when the instance returns: a later hook that mutates it is seen', () => {
    const registry: string[] = [];
    function useRegistry() { return registry; }
    function useRegister(name: string) { registry.push(name); return name; }
    const Probe = component(() => {
      const r = useSpliceHook('reg#useRegistry', useRegistry);
      useSpliceHook('reg#useRegister', useRegister, 'x');
      return String(r.length);
    });
    const { hooks } = record(Probe);
    registry.length = 0;
    const oracle = full(Probe);
    registry.length = 0;
    expect(ok(replay(Probe, hooks))).toBe(oracle);
  });

  it('answers the calls of a returned function in order per arguments, and fails on any other', () => {
    function useCounter() { let n = 0; return Object.assign(() => `k${++n}`, { label: (s: string) => s.toUpperCase() }); }
    const Probe = component(({ extra }) => {
      const next = useSpliceHook('ids#useCounter', useCounter);
      return `${next()},${next()},${next()}${extra ? `,${next()}` : ''} ${next.label('a')}`;
    });
    const { hooks } = record(Probe);
    expect(ok(replay(Probe, hooks))).toBe(full(Probe));
    expect(ok(replay(Probe, hooks))).toContain('k1,k2,k3 A');
    expect(replay(Probe, hooks, { extra: true }).failed).toMatch(/calls it with \[\] a 4th time/);
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

  it('hands the source page the real value behind a proxy: getters live, classes, iterators, prototypes and identity as without Splice', () => {
    class Widget { constructor(public n: number) {} }
    let reads = 0;
    const shared = { get count() { return ++reads; }, make: (n: number) => new Widget(n), Widget, dict: Object.assign(Object.create(null) as Record<string, string>, { a: '1' }), params: new URLSearchParams('a=1&b=2') };
    function useThing() { return shared; }
    const Probe = component(() => {
      const a = useSpliceHook('pkg#useThing', useThing);
      const b = useSpliceHook('pkg#useThing', useThing);
      const w = new a.Widget(3);
      return [a.count, a.count, w instanceof Widget, a.make(2).n, [...a.params].length, 'toString' in a.dict, a === b].join(' ');
    });
    reads = 0;
    const { html } = record(Probe);
    reads = 0;
    expect(html.replace(/ data-splice="[^"]*"/g, '')).toBe(full(Probe));
    expect(full(Probe)).toContain('3 4 true 2 2 false true');
  });

  it('records a getter read twice with different values as unreadable, and fails the replay', () => {
    let n = 0;
    const thing = { get count() { return ++n; }, fn: () => 1 };
    const Probe = component(() => { const t = useSpliceHook('pkg#useThing', () => thing); return `${t.count}/${t.count}`; });
    const { hooks } = record(Probe);
    expect(replay(Probe, hooks).failed).toMatch(/\.count read twice with different values/);
  });

  it('fails, rather than guess, on what the cached render did not observe', () => {
    const api = { user: { name: 'Ada' }, tags: new Set(['x']), list: [1, , 3], greet: (s: string) => `hi ${s}` };
    const Probe = component(({ look }) => {
      const a = useSpliceHook('pkg#useApi', () => api);
      if (look === 'keys') return Object.keys(a).join();
      if (look === 'tags') return String(a.tags.has('x'));
      if (look === 'map') return a.list.map((x) => x ?? 0).join();
      if (look === 'greet2') return a.greet('bob');
      return `${a.user.name} ${a.greet('ada')}`;
    });
    const { hooks } = record(Probe);
    expect(ok(replay(Probe, hooks))).toBe(full(Probe));
    for (const look of ['keys', 'tags', 'map', 'greet2']) expect(replay(Probe, hooks, { look }).failed).not.toBeNull();
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

  it('records a cyclic or huge result without walking it, and refuses a state too large for the marker', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    cyclic.other = cyclic;
    const Probe = component(() => { const c = useSpliceHook('pkg#useC', () => cyclic) as { name: string }; return c.name; });
    expect(record(Probe).hooks[0]!.value).toEqual({ $splice: 'observed', kind: 'object', props: { name: 'c' }, calls: {} });
    const big = component(() => { const v = useSpliceHook('pkg#useBig', () => Array.from({ length: 3000 }, (_, i) => `item number ${i}`)); return v.join(','); });
    const marker = /data-splice="([^"]*)"/.exec(renderToString(createElement(SpliceProvider, null, createElement(big))))![1]!;
    expect(/refused.*more than 32 KB/.test(marker)).toBe(true);
    expect(marker.length).toBeLessThan(1000);
    // Read lazily: a huge result of which the render reads one property records that property.
    const lazy = component(() => { const v = useSpliceHook('pkg#useBig', () => Array.from({ length: 1500 }, (_, i) => `item number ${i}`)); return String(v.length); });
    expect(record(lazy).hooks[0]!.value).toEqual({ $splice: 'observed', kind: 'array', props: { length: 1500 }, calls: {} });
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
