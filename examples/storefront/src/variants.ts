import type { TypedOverride } from '@splice/edge';
// The component map the build emits next to the manifest (SplicePlugin, server build): the
// components an override may name and the props it may set, with their declared types.
import type { SpliceComponents } from '../dist/server/splice-components';

export type StorefrontComponents = SpliceComponents;

/**
 * The variants of the home page experiment (`splice.config.ts`). Each override names a component
 * and the props it changes.
 * - `b` changes text and attributes only: value holes, rewritten in place.
 * - `c` is a product-card layout: a badge that appears, a list of features that changes, a
 *   price formatted from cents. Those are structural: the edge re-renders each card it touches.
 */
export const variants: Record<'a' | 'b' | 'c', TypedOverride<StorefrontComponents>[]> = {
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
