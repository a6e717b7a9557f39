import { planOverrides, effectiveProps } from '@splice/edge';
import type { SpliceManifest } from '@splice/manifest';
import { manifest } from './fixtures';

const clash: SpliceManifest = {
  schemaVersion: 4,
  buildId: 'b',
  components: {
    'Button.a1': { name: 'Button', file: 'src/a/Button.tsx', line: 1, props: { label: { tier: 'value' } }, elements: [] },
    'Button.b2': { name: 'Button', file: 'src/b/Button.tsx', line: 1, props: { label: { tier: 'value' } }, elements: [] },
  },
};

const reasons = (overrides: unknown, m: SpliceManifest = manifest) => planOverrides(m, overrides).skipped.map((s) => s.reason);

describe('planOverrides', () => {
  it('resolves names, file#Name and keys', () => {
    const { applied, skipped, plan } = planOverrides(manifest, [
      { component: 'Hero', props: { title: 'a' } },
      { component: 'src/Card.tsx#Card', props: { name: 'b' } },
      { component: 'Greeting.g1', props: { first: 'c' } },
    ]);
    expect(skipped).toEqual([]);
    expect(applied.map((a) => [a.index, a.key])).toEqual([[0, 'Hero.h1'], [1, 'Card.c1'], [2, 'Greeting.g1']]);
    expect([...plan.byKey.keys()]).toEqual(['Hero.h1', 'Card.c1', 'Greeting.g1']);
  });

  it('skips unknown components', () => {
    expect(reasons([{ component: 'Nope', props: {} }])).toEqual(['unknown component "Nope"']);
  });

  it('says why for an analyzed component with nothing patchable, instead of calling it unknown', () => {
    // The compiler lists such components (all props `none`, no elements) so that this is possible.
    const analyzed: SpliceManifest = {
      schemaVersion: 4,
      buildId: 'b',
      components: {
        'Clock.c1': {
          name: 'Clock', file: 'src/Clock.tsx', line: 3, elements: [],
          props: { zone: { tier: 'none', code: 'SPLICE030', reason: 'reads the clock (`new Date()`) during render: the edge would render another time' } },
        },
      },
    };
    expect(reasons([{ component: 'Clock', props: { zone: 'UTC' } }], analyzed)).toEqual([
      'prop "zone" of Clock is not patchable (SPLICE030: reads the clock (`new Date()`) during render: the edge would render another time)',
    ]);
  });

  it('applies structural props only with a renderer, and says which prop needs one', () => {
    const withRender: SpliceManifest = {
      schemaVersion: 4,
      buildId: 'b',
      components: {
        'List.l1': {
          name: 'List', file: 'src/List.tsx', line: 1, elements: [], render: { reads: ['items'], contexts: 0 },
          props: { items: { tier: 'structural', code: 'SPLICE010', reason: '`items` is rendered as a list at line 2: not a value hole' } },
        },
      },
    };
    const o = [{ component: 'List', props: { items: ['a'] } }];
    expect(reasons(o, withRender)).toEqual(['prop "items" of List needs a re-render (SPLICE010); pass the edge module\'s renderer']);
    const planned = planOverrides(withRender, o, { renderer: true });
    expect(planned.skipped).toEqual([]);
    expect(planned.plan.byKey.get('List.l1')?.[0]?.structural).toBe(true);
  });

  it('skips ambiguous names unless they are a key or a path', () => {
    expect(reasons([{ component: 'Button', props: { label: 'x' } }], clash)[0]).toMatch(/^ambiguous: .*name it path#Name.*src\/a\/Button\.tsx#Button/);
    const { applied } = planOverrides(clash, [
      { component: 'src/b/Button.tsx#Button', props: { label: 'x' } },
      { component: 'Button.a1', props: { label: 'y' } },
    ]);
    expect(applied.map((a) => a.key)).toEqual(['Button.b2', 'Button.a1']);
  });

  it('skips unknown props, including hostile keys, atomically', () => {
    const hostile = JSON.parse('[{"component":"Hero","props":{"title":"ok","__proto__":{"polluted":1}}},' +
      '{"component":"Hero","props":{"constructor":"x"}},{"component":"Hero","props":{"toString":"x"}},' +
      '{"component":"Hero","props":{"hasOwnProperty":"x"}}]');
    const { applied, skipped } = planOverrides(manifest, hostile);
    expect(applied).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual([
      'Hero has no prop "__proto__"', 'Hero has no prop "constructor"', 'Hero has no prop "toString"', 'Hero has no prop "hasOwnProperty"',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(reasons([{ component: 'Hero', props: { title: 'fine', nope: 1 } }])).toEqual(['Hero has no prop "nope"']);
  });

  it('hostile component names are not looked up on the prototype', () => {
    expect(reasons([{ component: '__proto__', props: {} }, { component: 'constructor', props: {} }])).toEqual([
      'unknown component "__proto__"', 'unknown component "constructor"',
    ]);
  });

  it('skips props that are not patchable, quoting the manifest', () => {
    expect(reasons([{ component: 'Hero', props: { title: 'a', tracking: 'x' } }])).toEqual([
      'prop "tracking" of Hero is not patchable (SPL201: tracking is passed to a child the analyzer cannot see into)',
    ]);
  });

  it('refuses javascript: URLs in any attribute and empty URLs', () => {
    expect(reasons([{ component: 'Hero', props: { href: 'javascript:alert(1)' } }])[0]).toMatch(/href.*javascript: URL/);
    expect(reasons([{ component: 'Hero', props: { href: ' \tJaVa\nScRiPt:alert(1)' } }])[0]).toMatch(/javascript: URL/);
    // title is not a URL attribute, but a javascript: value is refused anyway
    expect(reasons([{ component: 'Hero', props: { title: 'javascript:x' } }])[0]).toMatch(/"title" value is a javascript: URL/);
    expect(reasons([{ component: 'Hero', props: { href: '' } }])[0]).toMatch(/empty URL/);
    // null removes the attribute: fine
    expect(reasons([{ component: 'Hero', props: { href: null } }])).toEqual([]);
  });

  it('refuses objects and arrays as text or attribute values', () => {
    expect(reasons([{ component: 'Greeting', props: { first: { a: 1 } } }])[0]).toMatch(/text value must be/);
    expect(reasons([{ component: 'Greeting', props: { first: [1, 2] } }])[0]).toMatch(/text value must be/);
    expect(reasons([{ component: 'Hero', props: { href: [1] } }])[0]).toMatch(/must be a string, a number or null/);
    // A boolean leaves a plain attribute out, as React does (aria-* and data-* get "true"/"false"; see attributeOf).
    expect(reasons([{ component: 'Hero', props: { href: true } }])).toEqual([]);
    // booleans render nothing as text: accepted
    expect(reasons([{ component: 'Greeting', props: { first: false } }])).toEqual([]);
  });

  it('refuses values JSON cannot carry to the client', () => {
    const bad = [undefined, NaN, Infinity, () => 1, Symbol('s'), 10n, new Date(0), new Map(), { nested: { f: () => 1 } }];
    for (const value of bad) {
      expect(planOverrides(manifest, [{ component: 'Card', props: { badge: value } }]).applied).toEqual([]);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(reasons([{ component: 'Card', props: { badge: cyclic } }])[0]).toMatch(/nested too deeply/);
  });

  it('requires every prop a touched hole reads', () => {
    const m: SpliceManifest = {
      schemaVersion: 4, buildId: 'b',
      components: {
        'Name.n': {
          name: 'Name', file: 'n.tsx', line: 1,
          props: { first: { tier: 'value' }, last: { tier: 'value' } },
          elements: [{ tag: 'p', attrs: [], text: [{ kind: 'hole', expr: { kind: 'template', quasis: ['', ' ', ''], exprs: [{ kind: 'prop', path: ['first'] }, { kind: 'prop', path: ['last'] }] } }] }],
        },
      },
    };
    expect(reasons([{ component: 'Name', props: { first: 'a' } }], m)[0]).toMatch(/also reads "last"/);
    expect(reasons([{ component: 'Name', props: { first: 'a', last: 'b' } }], m)).toEqual([]);
    // A javascript: URL assembled from two props is caught on the evaluated value.
    const link: SpliceManifest = JSON.parse(JSON.stringify(m));
    link.components['Name.n']!.elements = [{ tag: 'a', attrs: [{ name: 'href', hole: { kind: 'template', quasis: ['', '', ''], exprs: [{ kind: 'prop', path: ['first'] }, { kind: 'prop', path: ['last'] }] } }] }];
    expect(reasons([{ component: 'Name', props: { first: 'java', last: 'script:alert(1)' } }], link)[0]).toMatch(/javascript: URL/);
  });

  it('rejects wrong shapes with their index, and keeps the rest', () => {
    const { applied, skipped } = planOverrides(manifest, [
      null, 'x', { component: 1, props: {} }, { component: 'Hero', props: [] }, { component: 'Hero', props: { title: 'ok' } },
      { component: 'Hero', props: {}, instance: -1 }, { component: 'Hero', props: {}, instance: 1.5 },
    ]);
    expect(applied.map((a) => a.index)).toEqual([4]);
    expect(skipped.map((s) => s.index)).toEqual([0, 1, 2, 3, 5, 6]);
    expect(skipped[1]!.override).toBe('x');
    expect(planOverrides(manifest, { component: 'Hero' }).skipped).toEqual([{ index: -1, override: { component: 'Hero' }, reason: 'overrides must be an array' }]);
    expect(planOverrides(manifest, undefined).applied).toEqual([]);
  });

  it('keeps instance numbers and strings, and merges in array order', () => {
    const { plan } = planOverrides(manifest, [
      { component: 'Card', props: { name: 'all', tone: 't' } },
      { component: 'Card', props: { name: 'one' }, instance: 1 },
      { component: 'Card', props: { tone: 'id' }, instance: '_R_x_' },
      { component: 'Card', props: { name: 'last' }, instance: 0 },
    ]);
    const planned = plan.byKey.get('Card.c1');
    const plain = (e: ReturnType<typeof effectiveProps>) => (e === null ? null : { ...e.props });
    expect(plain(effectiveProps(planned, 0, '_R_a_'))).toEqual({ name: 'last', tone: 't' });
    expect(plain(effectiveProps(planned, 1, '_R_b_'))).toEqual({ name: 'one', tone: 't' });
    expect(plain(effectiveProps(planned, 2, '_R_x_'))).toEqual({ name: 'all', tone: 'id' });
    expect(effectiveProps(planned, 3, '1')?.props.name).toBe('all'); // "1" is an id, not ordinal 1
    const only = planOverrides(manifest, [{ component: 'Card', props: { name: 'x' }, instance: 2 }]).plan.byKey.get('Card.c1');
    expect(effectiveProps(only, 0, 'a')).toBeNull();
  });
});
