/**
 * Page views in the browser: view 0 is the page the edge served; every client-side navigation to
 * another path starts the next. Routers move with the History API (react-router's
 * `BrowserRouter`, a hand-written `pushState` router, back and forward), so that is what is
 * watched: `pushState` and `replaceState` are wrapped once (as analytics libraries do), and
 * `popstate` is heard. A change of query or hash alone is the same view.
 */

let view = 0;
let path: string | null = null;
let installed = false;

function check(): void {
  const now = location.pathname;
  if (now === path) return;
  path = now;
  view++;
}

function install(): void {
  if (installed || typeof window === 'undefined' || typeof history === 'undefined') return;
  installed = true;
  path = location.pathname;
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function patched(this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      check();
      return result;
    };
  }
  window.addEventListener('popstate', check);
}

/** The current view's number (0 on the server). */
export function currentView(): number {
  install();
  return view;
}

/** The path of the current view (the browser's). */
export function currentPath(): string {
  return typeof location === 'undefined' ? '/' : location.pathname;
}
