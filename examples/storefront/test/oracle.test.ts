/**
 * Contract 4 on the storefront itself: patching the cached page with overrides O gives, byte for
 * byte, the page React renders with O (markers removed, as a browser receives it), under every
 * way of cutting the page into chunks, in both forms the edge patches: the source page (scanned
 * on the way, as on a cache fill) and the base page the build serves, through its page index.
 */
import fc from 'fast-check';
import { patchHtml } from '@splice/edge';
import { loadBuild, streamOf, readAll, splitBootstrap, stripMarkers } from './helpers';
import { variants } from '../src/variants';

const { renderPage, manifest, basePage, pageIndex, createRenderer } = loadBuild();
// The server bundle's renderer: the same code as the edge module's, in Node.
const renderer = createRenderer();
const source = renderPage([]);
const base = stripMarkers(source);
const enc = new TextEncoder();
const expectedPage = (overrides: unknown[]) => stripMarkers(renderPage(overrides));

type Form = 'source' | 'base';
const forms: Form[] = ['source', 'base'];
const lengthOf = (form: Form) => enc.encode(form === 'source' ? source : basePage).length;

async function patch(overrides: unknown[], cuts: number[] = [], form: Form = 'source', assignments?: Record<string, string>) {
  const input = form === 'source' ? source : basePage;
  const options = form === 'source' ? { manifest, overrides, renderer } : { manifest, overrides, renderer, index: pageIndex };
  return splitBootstrap(await readAll(patchHtml(streamOf(input, cuts), assignments ? { ...options, assignments } : options)));
}

describe('the prerendered base page', () => {
  it('is the source page without its markers, and carries none', () => {
    expect(basePage).toBe(base);
    expect(basePage).not.toContain('data-splice');
  });

  it('has an index that gives each instance its byte range: its root element, start tag to end tag', () => {
    const bytes = enc.encode(basePage);
    const text = (from: number, to: number) => new TextDecoder().decode(bytes.subarray(from, to));
    const names = Object.fromEntries(Object.entries<any>(manifest.components).map(([k, c]) => [k, c.name]));
    expect(pageIndex.instances.map((i: any) => names[i.key])).toEqual(['Header', 'Hero', 'CartSummary', 'ProductGrid', ...Array(8).fill('ProductCard')]);
    for (const instance of pageIndex.instances) {
      const html = text(instance.start, instance.end);
      const tag = /^<([a-z]+)/.exec(html)![1];
      expect(html.endsWith(`</${tag}>`)).toBe(true);
    }
    const firstCard = pageIndex.instances[4];
    expect(text(firstCard.start, firstCard.end)).toMatch(/^<article class="card">[\s\S]*<\/article>$/);
    expect(text(firstCard.start, firstCard.end).match(/<article/g)).toHaveLength(1);
  });
});

const variantB = variants.b;

describe('the storefront manifest', () => {
  it('knows the components and how each prop can be changed', () => {
    const byName = Object.fromEntries(Object.values<any>(manifest.components).map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(expect.arrayContaining(['CartSummary', 'Header', 'Hero', 'ProductCard', 'ProductGrid']));
    const tiers = (name: string) => Object.fromEntries(Object.entries<any>(byName[name].props).map(([p, e]) => [p, e.tier]));
    expect(tiers('Hero')).toEqual({ title: 'value', subtitle: 'value', ctaLabel: 'value', ctaHref: 'value' });
    // The layout experiment's props are structural: a condition, a list, a price computed from cents.
    expect(tiers('ProductCard')).toEqual({ name: 'value', priceCents: 'structural', image: 'structural', badge: 'structural', features: 'structural', onAdd: 'none' });
    // An event handler: renders nothing, so not a rendered prop.
    expect(byName.ProductCard.props.onAdd.code).toBe('SPLICE036');
    // `{label}: <output>…` mixes text and an element: not a value hole, but the summary re-renders.
    expect(byName.CartSummary.props.label).toMatchObject({ tier: 'structural', code: 'SPLICE012' });
    expect(byName.ProductCard.render).toEqual({ reads: ['name', 'priceCents', 'image', 'badge', 'features', 'onAdd'], contexts: 0 });
  });
});

describe.each(forms)('oracle: patch(render([]), O) === render(O), from the %s page', (form) => {
  const length = lengthOf(form);

  it('holds for variant B (text, attributes, escaping, instances), whole and in 1-byte chunks', async () => {
    const expected = expectedPage(variantB);
    expect(expected).not.toBe(base);
    const whole = await patch(variantB, [], form);
    expect(whole.page).toBe(expected);
    const bytewise = await patch(variantB, Array.from({ length }, (_, i) => i), form);
    expect(bytewise.page).toBe(expected);
    expect(whole.bootstrap.overrides).toHaveLength(3);
  });

  it('holds for variant C (re-rendered cards: a badge, a list, a price from cents), whole and in 1-byte chunks', async () => {
    const variantC = variants.c;
    const expected = expectedPage(variantC);
    expect(expected).not.toBe(base);
    expect(expected).toContain('<li>Ships today</li>');
    expect(expected).toContain('<span class="badge">Best seller</span>');
    expect(expected).toContain('Only <!-- -->€33.00');
    const whole = await patch(variantC, [], form);
    expect(whole.page).toBe(expected);
    const bytewise = await patch(variantC, Array.from({ length }, (_, i) => i), form);
    expect(bytewise.page).toBe(expected);
    // Contract 6: the bootstrap names what was applied, each instance by id.
    expect(whole.bootstrap.overrides.map((o: any) => o.instance ?? 'all')).toEqual(['all', expect.stringMatching(/^_R_/), expect.stringMatching(/^_R_/)]);
  });

  it('escapes exactly as React does: markup, entities, quotes and </script> in text and attributes', async () => {
    const hostile = [
      { component: 'Hero', props: { title: '</script><script>alert(1)</script>', subtitle: `a & b < c > d "e" 'f' &amp;`, ctaHref: '/x?a=1&b="2"</script>' } },
      { component: 'ProductCard', instance: 1, props: { name: '<img src=x onerror=alert(1)>', badge: '\u2028</body>' } },
    ];
    const expected = expectedPage(hostile);
    for (const cuts of [[], [...Array(length).keys()]]) {
      const { page, bootstrap } = await patch(hostile, cuts, form);
      expect(page).toBe(expected);
      expect(bootstrap.overrides[0].props.title).toBe('</script><script>alert(1)</script>');
    }
    expect(expected).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(expected).not.toContain('<script>alert');
  });

  it('passes a page with no overrides and no assignments through with no bootstrap', async () => {
    const { page, bootstrap } = await patch([], [], form);
    expect(page).toBe(base);
    expect(bootstrap).toBeNull();
  });

  it('hands the client its assignments even when no override applies', async () => {
    const { page, bootstrap } = await patch([], [], form, { home: 'a' });
    expect(page).toBe(base);
    expect(bootstrap).toEqual({ buildId: manifest.buildId, assignments: { home: 'a' }, overrides: [] });
  });

  it('skips overrides it cannot apply and keeps the page default and consistent', async () => {
    const bad: unknown[] = [
      { component: 'ProductCard', props: { onAdd: 'x' } },
      { component: 'Hero', props: { ctaHref: 'javascript:alert(1)' } },
      { component: 'Nope', props: { x: 1 } },
      { component: 'Hero', props: { title: { toString: 'x' } } },
      { component: 'Hero', props: { __proto__: 'x', constructor: 'y' } },
    ];
    const { page, bootstrap } = await patch(bad, [], form, { home: 'a' });
    expect(page).toBe(base);
    expect(bootstrap.overrides).toEqual([]);
  });

  const text = fc.string({ unit: 'grapheme', maxLength: 24 }).map((s) => s.replace(/^[\u0000-\u001f ]*j/i, 'x'));
  const overridesArb = fc.record({
    hero: fc.record({ title: text, subtitle: fc.oneof(text, fc.constant(null)), ctaLabel: text, ctaHref: text.filter((s) => s !== '') }, { requiredKeys: [] }),
    tagline: fc.option(fc.oneof(text, fc.integer()), { nil: undefined }),
    card: fc.option(fc.record({
      instance: fc.nat(9), name: text, priceCents: fc.integer({ min: 0, max: 10_000_000 }), badge: fc.oneof(text, fc.constant(null)),
      features: fc.uniqueArray(text, { maxLength: 4 }),
    }, { requiredKeys: ['instance'] }), { nil: undefined }),
    count: fc.option(fc.integer(), { nil: undefined }),
  });

  it('holds for random overrides under random chunkings (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(overridesArb, fc.array(fc.nat(length), { maxLength: 40 }), async (o, cuts) => {
        const overrides: any[] = [{ component: 'Hero', props: o.hero }];
        if (o.tagline !== undefined) overrides.push({ component: 'Header', props: { tagline: o.tagline } });
        if (o.card !== undefined) {
          const { instance, ...props } = o.card;
          overrides.push({ component: 'ProductCard', instance, props });
        }
        if (o.count !== undefined) overrides.push({ component: 'CartSummary', props: { count: o.count } });
        const { page } = await patch(overrides, cuts, form);
        expect(page).toBe(expectedPage(overrides));
      }),
      { numRuns: 100 },
    );
    // A hundred renders and patches: about a second alone, past jest's 5 s default on a loaded machine.
  }, 60_000);
});
