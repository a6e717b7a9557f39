import { defineConfig } from '@splice/edge';
import { variants } from './variants';
import type { StorefrontComponents } from './variants';

/**
 * The storefront's experiments and personalization, typed by its components: a misspelled
 * component or prop is a type error.
 */
export default defineConfig<StorefrontComponents>({
  experiments: [
    {
      // The home page: B rewrites copy in place (value holes), C changes the card layout
      // (structural: the edge re-renders those cards).
      id: 'home',
      paths: ['/'],
      variants: [
        { name: 'a', weight: 1, overrides: [] },
        { name: 'b', weight: 1, overrides: variants.b },
        { name: 'c', weight: 1, overrides: variants.c },
      ],
    },
    {
      // A second, independent test on the cart's wording, for half of the visitors.
      id: 'cart-label',
      traffic: 0.5,
      variants: [
        { name: 'control', weight: 1, overrides: [] },
        { name: 'bag', weight: 1, overrides: [{ component: 'CartSummary', props: { label: 'Your bag' } }] },
      ],
    },
  ],
  // What each page view showed, checked against the visitor's signed cookie. Here the server log;
  // in production your analytics (it runs in ctx.waitUntil, after the response).
  onExposure(exposure) {
    console.log(`[splice exposure] ${JSON.stringify(exposure)}`);
  },
  // Visitors in German-speaking countries see the shipping promise in German.
  personalize: [{ when: { country: ['DE', 'AT', 'CH'] }, overrides: [{ component: 'Header', props: { tagline: 'Kostenloser Versand diese Woche' } }] }],
});
