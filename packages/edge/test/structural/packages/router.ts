/**
 * A stand-in for a router package (`next/navigation`), imported by fixtures as `@fixture/router`:
 * request state (the path, the route's params, the query) that the edge has no provider for.
 */
import { createContext, createElement, useContext } from 'react';
import type { ReactNode } from 'react';

interface Route { pathname: string; params: Record<string, string>; search: string }

const RouterContext = createContext<Route | null>(null);

export function RouterProvider({ pathname, params = {}, search = '', children }: Partial<Route> & { pathname: string; children?: ReactNode }) {
  return createElement(RouterContext.Provider, { value: { pathname, params, search } }, children);
}

function useRoute(): Route {
  const route = useContext(RouterContext);
  if (route === null) throw new Error('@fixture/router: no <RouterProvider> above');
  return route;
}

export function usePathname(): string {
  return useRoute().pathname;
}

export function useParams(): Record<string, string> {
  return useRoute().params;
}

export function useSearchParams(): URLSearchParams {
  return new URLSearchParams(useRoute().search);
}

/** Functions only called from event handlers. */
export function useRouter(): { push(href: string): void; pathname: string } {
  const route = useRoute();
  return { push: () => undefined, pathname: route.pathname };
}
