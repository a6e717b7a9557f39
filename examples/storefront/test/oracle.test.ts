/**
 * Contract 4 on the storefront itself: patching the cached page with overrides O gives, byte for
 * byte, the page React renders with O, under every way of cutting the page into chunks.
 */
import fc from 'fast-check';
import { patchHtml } from '@splice/edge';
import { loadBuild, streamOf, readAll, splitBootstrap } from './helpers';
import { variants } from '../src/variants';

const { renderPage, manifest } = loadBuild();
const base = renderPage([]);
const baseLength = new TextEncoder().encode(base).length;

async function patch(overrides: unknown[], cuts: number[] = []) {
  return splitBootstrap(await readAll(patchHtml(streamOf(base, cuts), { manifest, overrides })));
}

const variantB = variants.b;

describe('the storefront manifest', () => {
  it('knows the components and which props are patchable', () => {
    const byName = Object.fromEntries(Object.values<any>(manifest.components).map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(expect.arrayContaining(['CartSummary', 'Header', 'Hero', 'ProductCard']));
    expect(byName.Hero.props.title.patchable).toBe(true);
    expect(byName.Hero.props.ctaHref.patchable).toBe(true);
    expect(byName.ProductCard.props.name.patchable).toBe(true);
    expect(byName.ProductCard.props.onAdd.patchable).toBe(false);
    // `{label}: <output>…` mixes text and an element: not patchable in this slice, and it says why.
    expect(byName.CartSummary.props.label.patchable).toBe(false);
    expect(byName.CartSummary.props.label.code).toMatch(/^SPLICE0\d\d$/);
  });
});

describe('oracle: patch(render([]), O) === render(O)', () => {
  it('holds for variant B (text, attributes, escaping, instances), whole and in 1-byte chunks', async () => {
    const expected = renderPage(variantB);
    expect(expected).not.toBe(base);
    const whole = await patch(variantB);
    expect(whole.page).toBe(expected);
    const bytewise = await patch(variantB, Array.from({ length: baseLength }, (_, i) => i));
    expect(bytewise.page).toBe(expected);
    expect(whole.bootstrap.overrides).toHaveLength(4);
  });

  it('escapes exactly as React does: markup, entities, quotes and </script> in text and attributes', async () => {
    const hostile = [
      { component: 'Hero', props: { title: '</script><script>alert(1)</script>', subtitle: `a & b < c > d "e" 'f' &amp;`, ctaHref: '/x?a=1&b="2"</script>' } },
      { component: 'ProductCard', instance: 1, props: { name: '<img src=x onerror=alert(1)>', badge: '\u2028</body>' } },
    ];
    const expected = renderPage(hostile);
    for (const cuts of [[], [...Array(baseLength).keys()]]) {
      const { page, bootstrap } = await patch(hostile, cuts);
      expect(page).toBe(expected);
      expect(bootstrap.overrides[0].props.title).toBe('</script><script>alert(1)</script>');
    }
    expect(expected).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(expected).not.toContain('<script>alert');
  });

  it('passes a page with no overrides through unchanged but for the bootstrap', async () => {
    const { page, bootstrap } = await patch([]);
    expect(page).toBe(base);
    expect(bootstrap).toEqual({ buildId: manifest.buildId, assignments: {}, overrides: [] });
  });

  it('skips overrides it cannot apply and keeps the page default and consistent', async () => {
    const bad: unknown[] = [
      { component: 'CartSummary', props: { label: 'Basket' } },
      { component: 'Hero', props: { ctaHref: 'javascript:alert(1)' } },
      { component: 'Nope', props: { x: 1 } },
      { component: 'Hero', props: { title: { toString: 'x' } } },
      { component: 'Hero', props: { __proto__: 'x', constructor: 'y' } },
    ];
    const { page, bootstrap } = await patch(bad);
    expect(page).toBe(base);
    expect(bootstrap.overrides).toEqual([]);
  });

  const text = fc.string({ unit: 'grapheme', maxLength: 24 }).map((s) => s.replace(/^[\u0000-\u001f ]*j/i, 'x'));
  const overridesArb = fc.record({
    hero: fc.record({ title: text, subtitle: fc.oneof(text, fc.constant(null)), ctaLabel: text, ctaHref: text.filter((s) => s !== '') }, { requiredKeys: [] }),
    tagline: fc.option(fc.oneof(text, fc.integer()), { nil: undefined }),
    card: fc.option(fc.record({ instance: fc.nat(9), name: text, price: text, badge: fc.oneof(text, fc.constant(null)) }, { requiredKeys: ['instance'] }), { nil: undefined }),
    count: fc.option(fc.integer(), { nil: undefined }),
  });

  it('holds for random overrides under random chunkings (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(overridesArb, fc.array(fc.nat(baseLength), { maxLength: 40 }), async (o, cuts) => {
        const overrides: any[] = [{ component: 'Hero', props: o.hero }];
        if (o.tagline !== undefined) overrides.push({ component: 'Header', props: { tagline: o.tagline } });
        if (o.card !== undefined) {
          const { instance, ...props } = o.card;
          overrides.push({ component: 'ProductCard', instance, props });
        }
        if (o.count !== undefined) overrides.push({ component: 'CartSummary', props: { count: o.count } });
        const { page } = await patch(overrides, cuts);
        expect(page).toBe(renderPage(overrides));
      }),
      { numRuns: 150 },
    );
  });
});
