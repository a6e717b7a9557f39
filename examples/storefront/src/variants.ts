import type { Override } from '@splice/manifest';

/**
 * The fixed variants of this example (experiments and targeting come later): `?variant=b` or
 * `?variant=c` selects one. Each override names a component and the props it changes.
 * - `b` changes text and attributes only: value holes, rewritten in place.
 * - `c` is a product-card layout: a badge that appears, a list of features that changes, a
 *   price formatted from cents. Those are structural: the edge re-renders each card it touches.
 */
export const variants: Record<'a' | 'b' | 'c', Override[]> = {
  a: [],
  b: [
    { component: 'Hero', props: { title: 'Winter sale: 30% off <everything> & more', subtitle: 'Only until Sunday.', ctaLabel: 'Shop the sale', ctaHref: '/sale?from=hero&v=b' } },
    { component: 'Header', props: { tagline: 'Free shipping this week' } },
    { component: 'ProductCard', instance: 2, props: { name: 'Trail Runner "Pro"' } },
  ],
  c: [
    { component: 'ProductCard', props: { features: ['Free returns', 'Ships today'] } },
    { component: 'ProductCard', instance: 1, props: { badge: 'Best seller' } },
    { component: 'ProductCard', instance: 2, props: { priceCents: 3300, badge: null } },
  ],
};

export type VariantName = keyof typeof variants;
