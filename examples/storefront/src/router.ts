import { useSyncExternalStore } from 'react';
import type { MouseEvent } from 'react';

/**
 * The storefront's router: the History API and nothing else (what many small sites hand-write).
 * Splice keeps the visitor's variants across its navigations and back/forward, as it does for
 * react-router's (packages/client/README.md).
 */
const NAVIGATE = 'storefront:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE, onChange);
  };
}

/** The current path; `initial` on the server and at hydration (the path the page was rendered for). */
export function usePath(initial: string): string {
  return useSyncExternalStore(subscribe, () => location.pathname, () => initial);
}

/** A link's click handler: a client-side navigation instead of a page load. */
export function follow(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const href = event.currentTarget.getAttribute('href') ?? '/';
  if (href === location.pathname) return;
  history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATE));
}
