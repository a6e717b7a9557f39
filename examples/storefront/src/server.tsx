import { renderToString } from 'react-dom/server';
import { SpliceProvider } from '@splice/client';
import type { Override } from '@splice/client';
import { App } from './App';

// The variants the worker serves, so that tests and the bench render exactly those.
export { variants } from './variants';

/** The app's HTML for given overrides: `[]` is the cached base page; others are the oracle. */
export function renderApp(overrides: readonly Override[] = [], path = '/'): string {
  return renderToString(
    <SpliceProvider overrides={overrides}>
      <App path={path} />
    </SpliceProvider>,
  );
}

/** The full document the origin caches. The client script is deferred: it must run after the bootstrap the edge puts before </body>. */
export function renderPage(overrides: readonly Override[] = [], path = '/'): string {
  return `${HEAD}${renderApp(overrides, path)}${TAIL}`;
}

/** The document around the app (`stream.tsx` writes the same around its stream). */
export const HEAD =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"/>' +
  '<title>Splice Outfitters</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"/><link rel="stylesheet" href="/styles.css"/>' +
  '<script src="/client.js" defer></script></head><body><div id="root">';
export const TAIL = '</div></body></html>';

/** What `splice build` prerenders for each route: the page with no overrides (the cached base). */
export function prerender(route: string): string {
  return renderPage([], route);
}

/**
 * The same renderer the edge module exports, in the Node bundle: tests and the bench re-render
 * with it in Node (the worker uses `splice-edge.mjs`).
 */
export { createRenderer } from '@splice/client/render';
