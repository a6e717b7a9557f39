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

const { renderPage, manifest, basePage, pageIndex } = loadBuild();
const source = renderPage([]);
const base = stripMarkers(source);
const enc = new TextEncoder();
const expectedPage = (overrides: unknown[]) => stripMarkers(renderPage(overrides));

type Form = 'source' | 'base';
const forms: Form[] = ['source', 'base'];
const lengthOf = (form: Form) => enc.encode(form === 'source' ? source : basePage).length;

async function patch(overrides: unknown[], cuts: number[] = [], form: Form = 'source', assignments?: Record<string, string>) {
  const input = form === 'source' ? source : basePage;
  const options = form === 'source' ? { manifest, overrides } : { manifest, overrides, index: pageIndex };
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
    expect(pageIndex.instances.map((i: any) => names[i.key])).toEqual(['Header', 'Hero', 'CartSummary', ...Array(8).fill('ProductCard')]);
    for (const instance of pageIndex.instances) {
      const html = text(instance.start, instance.end);
      const tag = /^<([a-z]+)/.exec(html)![1];
      expect(html.endsWith(`</${tag}>`)).toBe(true);
    }
    const firstCard = pageIndex.instances[3];
    expect(text(firstCard.start, firstCard.end)).toMatch(/^<article class="card">[\s\S]*<\/article>$/);
    expect(text(firstCard.start, firstCard.end).match(/<article/g)).toHaveLength(1);
  });
});

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

describe.each(forms)('oracle: patch(render([]), O) === render(O), from the %s page', (form) => {
  const length = lengthOf(form);

  it('holds for variant B (text, attributes, escaping, instances), whole and in 1-byte chunks', async () => {
    const expected = expectedPage(variantB);
    expect(expected).not.toBe(base);
    const whole = await patch(variantB, [], form);
    expect(whole.page).toBe(expected);
    const bytewise = await patch(variantB, Array.from({ length }, (_, i) => i), form);
    expect(bytewise.page).toBe(expected);
    expect(whole.bootstrap.overrides).toHaveLength(4);
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
      { component: 'CartSummary', props: { label: 'Basket' } },
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
    card: fc.option(fc.record({ instance: fc.nat(9), name: text, price: text, badge: fc.oneof(text, fc.constant(null)) }, { requiredKeys: ['instance'] }), { nil: undefined }),
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
  });
});
