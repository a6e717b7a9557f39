/**
 * Package hooks recorded in a source page and replayed in an edge re-render (`useSpliceHook`):
 * what a record holds, that a replay gives back the same values and the same `useId`s, and that
 * anything the cached page did not record throws rather than render something else.
 */
import { createElement, useId } from 'react';
import { renderToString } from 'react-dom/server';
import fc from 'fast-check';
import { checkInstanceState, parseMarker } from '@splice/manifest';
import type { ComponentRef, HookRecord, JsonValue } from '@splice/manifest';
import { SpliceProvider, useSpliceHook, useSpliceProps } from '@splice/client';
import { argsKey, decode, localIdIndex } from '../src/hookReplay';

function componentOf(make: () => unknown, show: (v: unknown) => string, ids = 1) {
  // A package's hook: takes ids of its own, as libraries do, and returns what `make` builds.
  function usePackageValue(n: number): unknown {
    for (let i = 0; i < n; i++) useId();
    return make();
  }
  const ref: ComponentRef = { key: 'Probe.k', name: 'Probe', file: 'probe.tsx', render: { reads: null, contexts: () => [], component: () => Probe } };
  function Probe(props: { label: string }) {
    const splice = useSpliceProps(ref, props);
    const value = useSpliceHook(usePackageValue, ids);
    const after = useId();
    return splice.root(createElement('p', { 'data-splice': splice.marker(0), id: after }, `${splice.props.label}: ${show(value)}`));
  }
  return { ref, Probe };
}

/** Renders the source page and returns its HTML and the recorded calls. */
function record(Probe: (p: { label: string }) => unknown): { html: string; hooks: HookRecord[] } {
  const html = renderToString(createElement(SpliceProvider, null, createElement(Probe as never, { label: 'A' })));
  const marker = /data-splice="([^"]*)"/.exec(html)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const state = checkInstanceState(JSON.parse(parseMarker(marker)!.state!), 0);
  if (state === null || 'refused' in state) throw new Error(`no state: ${JSON.stringify(state)}`);
  return { html, hooks: state.hooks ?? [] };
}

/** The edge's render of the same instance, with its calls replayed (the renderer's provider). */
function replay(Probe: (p: { label: string }) => unknown, hooks: HookRecord[], label = 'A'): string {
  return renderToString(createElement(SpliceProvider, { markers: true, instanceState: false, replays: { _R_0_: hooks } }, createElement(Probe as never, { label })));
}

const strip = (html: string) => html.replace(/ data-splice="[^"]*"/g, '').replace(/<\/?splice-region>/g, '');

describe('useSpliceHook', () => {
  it('records a call and replays it with the same ids, without calling the hook', () => {
    let calls = 0;
    const { Probe } = componentOf(() => { calls++; return { city: 'Köln', tags: ['a', 'b'], n: 3 }; }, (v) => JSON.stringify(v), 2);
    const { html, hooks } = record(Probe);
    expect(hooks).toEqual([{ args: '[2]', ids: 3, value: { city: 'Köln', tags: ['a', 'b'], n: 3 } }]);
    expect(calls).toBe(1);
    const edge = replay(Probe, hooks);
    expect(calls).toBe(1);
    expect(strip(edge)).toBe(strip(html));
  });

  it('records the calls of a returned function and its properties, and answers only those', () => {
    const t = Object.assign((key: string, values?: { n: number }) => `${key}${values?.n ?? ''}`, { has: (key: string) => key === 'a' });
    const { Probe } = componentOf(() => t, (v) => {
      const f = v as typeof t;
      return `${f('a')} ${f('b', { n: 2 })} ${String(f.has('a'))}`;
    });
    const { html, hooks } = record(Probe);
    expect(hooks[0]!.value).toEqual({ $splice: 'fn', calls: { '["a"]': 'a', '["b",{"n":2}]': 'b2' }, props: { has: { $splice: 'fn', calls: { '["a"]': true }, props: {} } } });
    expect(strip(replay(Probe, hooks))).toBe(strip(html));
    // The same function asked for something the cached page never asked: the re-render fails.
    const other = componentOf(() => t, (v) => (v as typeof t)('c')).Probe;
    expect(() => replay(other, hooks)).toThrow(/arguments the cached page never used: \["c"\]/);
  });

  it('keeps undefined, non-finite numbers, URL search params and "$splice" keys apart from JSON', () => {
    const value = { u: undefined, inf: -Infinity, zero: -0, q: new URLSearchParams('a=1&b=2'), nested: { $splice: 'mine' } };
    const { Probe } = componentOf(() => value, () => '');
    const { hooks } = record(Probe);
    const back = decode(hooks[0]!.value, 0) as typeof value;
    expect(Object.keys(back)).toEqual(['u', 'inf', 'zero', 'q', 'nested']);
    expect(back.u).toBeUndefined();
    expect(back.inf).toBe(-Infinity);
    expect(Object.is(back.zero, -0)).toBe(true);
    expect(back.q.get('b')).toBe('2');
    expect(back.nested).toEqual({ $splice: 'mine' });
  });

  it('gives a value JSON cannot hold back as one that throws when looked at, never as something else', () => {
    class Session { user = 'ada'; }
    const { Probe } = componentOf(() => ({ session: new Session(), when: new Date(0) }), () => '');
    const { hooks } = record(Probe);
    const back = decode(hooks[0]!.value, 0) as { session: Session; when: Date };
    expect(typeof back.session).toBe('object');
    expect(Boolean(back.session)).toBe(true);
    expect(() => back.session.user).toThrow(/could not record: it is not plain data/);
    expect(() => back.when instanceof Date).toThrow();
    expect(() => String(back.when)).toThrow();
  });

  it('fails a replay called with other arguments, or more often than the cached page called it', () => {
    const hooks: HookRecord[] = [{ args: '["x"]', ids: 1, value: 'v' }];
    const ref: ComponentRef = { key: 'K.k', name: 'K', file: 'k.tsx', render: { reads: null, contexts: () => [], component: () => K } };
    function K({ arg, twice }: { arg: string; twice: boolean }) {
      const splice = useSpliceProps(ref, { arg, twice });
      const a = useSpliceHook((s: string) => s, arg);
      const b = twice ? useSpliceHook((s: string) => s, arg) : '';
      return splice.root(createElement('i', null, a + b));
    }
    const render = (arg: string, twice: boolean) => renderToString(createElement(SpliceProvider, { instanceState: false, replays: { _R_0_: hooks } }, createElement(K, { arg, twice })));
    expect(render('x', false)).toContain('>v<');
    expect(() => render('y', false)).toThrow(/other arguments than in the cached page: \["y"\]/);
    expect(() => render('x', true)).toThrow(/was not called by this instance in the cached page/);
  });

  it('is the plain call in the browser-shaped render (markers off) and outside a re-renderable instance', () => {
    let calls = 0;
    const { Probe } = componentOf(() => { calls++; return 'live'; }, (v) => String(v));
    const html = renderToString(createElement(SpliceProvider, { markers: false }, createElement(Probe, { label: 'A' })));
    // Ids: useSpliceProps 0, the hook's own 1, the wrapper's 2, the component's 3.
    expect(html).toBe('<p id="_R_0H3_">A: live</p>');
    expect(calls).toBe(1);
    function Plain() { return createElement('b', null, String(useSpliceHook(() => 'direct'))); }
    expect(renderToString(createElement(SpliceProvider, { instanceState: false, replays: {} }, createElement(Plain)))).toBe('<b>direct</b>');
  });

  it('refuses the instance when the recorded results are too large to carry', () => {
    const { Probe } = componentOf(() => 'x'.repeat(70_000), () => '');
    const html = renderToString(createElement(SpliceProvider, null, createElement(Probe, { label: 'A' })));
    expect(html).toContain('refused');
    expect(html).toContain('more than 64 KB');
  });
});

describe('argsKey', () => {
  it('keys exactly what JSON holds, and nothing else', () => {
    expect(argsKey(['a', 1, { b: [true, null] }])).toBe('["a",1,{"b":[true,null]}]');
    for (const bad of [[undefined], [() => 1], [new Date(0)], [{ a: undefined }], [NaN], [-0], [Symbol('s')], [1n]]) expect(argsKey(bad)).toBeNull();
  });

  it('is injective on JSON values (fast-check): two different argument lists never share a key', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue()), fc.array(fc.jsonValue()), (a, b) => {
      const ka = argsKey(a);
      const kb = argsKey(b);
      if (ka !== null && kb !== null && ka === kb) expect(JSON.parse(ka)).toEqual(JSON.parse(kb));
    }));
  });
});

describe('localIdIndex', () => {
  it('reads React 19 ids, with and without an identifier prefix', () => {
    expect(localIdIndex('_R_1_')).toBe(0);
    expect(localIdIndex('_R_1H4_')).toBe(4);
    expect(localIdIndex('_R_5lH1v_')).toBe(63);
    expect(localIdIndex('_appHR_3H2_')).toBe(2);
    expect(localIdIndex(':R1:')).toBeNull();
  });
});

describe('decode', () => {
  it('throws on malformed records from a page (untrusted)', () => {
    for (const bad of [{ $splice: 'nope' }, { $splice: 'fn', calls: [], props: {} }, { $splice: 'object', value: 3 }] as JsonValue[]) {
      expect(() => decode(bad, 0)).toThrow();
    }
    let deep: JsonValue = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => decode(deep, 0)).toThrow(/nested too deeply/);
  });
});
