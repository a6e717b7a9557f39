/**
 * Page views in the browser: view 0 is the page the edge served; every client-side navigation to
 * another path starts the next. The view is read from `location.pathname` whenever a component
 * asks (so the order in which a router's and our listeners run does not matter), and the History
 * API is watched besides (`pushState` and `replaceState` wrapped once, as analytics libraries
 * do, and `popstate`), so that a path left and come back to between two renders still counts as
 * new views. A change of query or hash alone is the same view.
 */

let view = 0;
let path: string | null = null;
let landing: string | null = null;
let installed = false;

function check(): void {
  if (typeof location === 'undefined') return;
  const now = location.pathname;
  if (path === null) { path = now; landing = now; return; }
  if (now === path) return;
  path = now;
  view++;
}

function install(): void {
  if (installed || typeof window === 'undefined' || typeof history === 'undefined') return;
  installed = true;
  check();
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function patched(this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      check();
      return result;
    };
  }
  // Capture phase: heard before any router's own listener renders the new route.
  window.addEventListener('popstate', check, true);
}

// As soon as the runtime loads, before anything renders: the page the edge served is view 0.
install();

/** The current view's number: for `useSyncExternalStore`, whose server snapshot (`serverView`) hydration uses. */
export function currentView(): number {
  install();
  check();
  return view;
}

/** The server renders view 0, and hydration (of any boundary, however late) renders what it rendered. */
export function serverView(): number {
  return 0;
}

/** Nothing to subscribe to: components read the view when they render, and a navigation renders them. */
export function subscribeNothing(): () => void {
  return () => undefined;
}

/** The path of the current view (the browser's). */
export function currentPath(): string {
  return typeof location === 'undefined' ? '/' : location.pathname;
}

/** The path of view 0: the page the edge served. */
export function landingPath(): string {
  return landing ?? currentPath();
}
