/**
 * Page views in the browser: view 0 is the page the edge served; every client-side navigation to
 * another path starts the next. The view is read from `location.pathname` whenever a component
 * asks (so the order in which a router's and our listeners run does not matter), and the History
 * API is watched besides (`pushState` and `replaceState` wrapped once, as analytics libraries
 * do, and `popstate`), so that a path left and come back to between two renders still counts as
 * new views. A change of query or hash alone is the same view. Written small: the browser build
 * ships it (see ./browser).
 */

// Where there is a `history` there is a `location`.
const inBrowser = typeof history === 'object';
let view = 0;
// As soon as the runtime loads, before anything renders: the page the edge served is view 0.
const landing = inBrowser ? location.pathname : '/';
let path = landing;

function check(): void {
  if (inBrowser && location.pathname !== path) {
    path = location.pathname;
    view++;
  }
}

if (inBrowser) {
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = (...args: Parameters<History['pushState']>) => {
      original.apply(history, args);
      check();
    };
  }
  // Capture phase: heard before any router's own listener renders the new route.
  addEventListener('popstate', check, true);
}

/** The current view's number: for `useSyncExternalStore`, whose server snapshot (`serverView`) hydration uses. */
export function currentView(): number {
  check();
  return view;
}

/** The server renders view 0, and hydration (of any boundary, however late) renders what it rendered. */
export const serverView = (): number => 0;

/** Nothing to subscribe to: components read the view when they render, and a navigation renders them. */
export const subscribeNothing = (): (() => void) => subscribeNothing;

/** The path of view `n`: view 0 is the page the edge served, a later one the browser's current path. */
export function viewPath(n: number): string {
  check();
  return n ? path : landing;
}
