import type { Override } from '@splice/manifest';

/**
 * The fixed variants of this example (experiments and targeting come later): `?variant=b`
 * selects B. Each override names a component and the props it changes.
 */
export const variants: Record<'a' | 'b', Override[]> = {
  a: [],
  b: [
    { component: 'Hero', props: { title: 'Winter sale: 30% off <everything> & more', subtitle: 'Only until Sunday.', ctaLabel: 'Shop the sale', ctaHref: '/sale?from=hero&v=b' } },
    { component: 'Header', props: { tagline: 'Free shipping this week' } },
    { component: 'ProductCard', instance: 0, props: { badge: 'Best seller' } },
    { component: 'ProductCard', instance: 2, props: { price: '€33.00', name: 'Trail Runner "Pro"' } },
  ],
};
