import { BOOTSTRAP_ELEMENT_ID, MARKER_ATTRIBUTE } from '@splice/manifest';
import type { Bootstrap, ComponentRef, Override } from '@splice/manifest';

/**
 * Development-only messages for what otherwise surfaces as React's generic hydration error
 * (#418): they name the component and the props. Nothing here runs in a production build
 * (`process.env.NODE_ENV === 'production'`, which bundlers replace, so the code drops out).
 */
declare const process: { env: { NODE_ENV?: string } };

// Written as `process.env.NODE_ENV` exactly: bundlers replace that text with a literal. Where
// nothing replaced it and no `process` exists, development.
// (The messages' text still ships in a production bundle: the packages are CommonJS, so a
// bundler cannot drop this module; only the checks do not run.)
export const DEV = ((): boolean => {
  try {
    return process.env.NODE_ENV !== 'production';
  } catch {
    return true;
  }
})();

const said = new Set<string>();

function once(key: string, message: string): void {
  if (said.has(key)) return;
  said.add(key);
  console.error(`[splice] ${message}`);
}

/** The text of the page's last `script#__SPLICE__` (see `bootstrapElement`), or null. */
function lastBootstrapText(): string | null {
  const all = document.querySelectorAll(`script#${BOOTSTRAP_ELEMENT_ID}`);
  return all[all.length - 1]?.textContent ?? null;
}

/** An instrumented component rendered in the browser with no provider above it. */
export function noProvider(ref: ComponentRef): void {
  once(`provider ${ref.key}`, `<${ref.name}> (${ref.file}) rendered in the browser without a <SpliceProvider> above it: it cannot read the overrides the edge applied, so it hydrates with its own props and React reports a hydration mismatch wherever the edge changed it. Wrap the app in <SpliceProvider> where you call hydrateRoot.`);
}

/** Checks of the page the edge served, once, when the provider first renders in the browser. */
export function checkPage(bootstrapProblem: string | null): void {
  if (typeof document === 'undefined') return;
  // The edge writes its bootstrap just before `</body>`: a provider that renders while the page
  // loads may read none yet, or an earlier one of the page's own. (Waiting for it would cost the
  // browser build more than its budget has.) Said only when the parsed page's differs.
  if (document.readyState === 'loading') {
    const read = lastBootstrapText();
    document.addEventListener('DOMContentLoaded', () => {
      if (lastBootstrapText() !== read) once('loading', `a <SpliceProvider> rendered while the page was still loading (a client bundle loaded with \`async\`, as React's bootstrapScripts and bootstrapModules write it), before the edge's bootstrap (written just before </body>) had arrived: the app rendered without the overrides the edge applied (React reports a hydration mismatch and renders the defaults) and navigates without the visitor's decisions. Load the bundle with \`defer\`, or call hydrateRoot once the document is parsed (DOMContentLoaded).`);
    });
  }
  if (bootstrapProblem !== null) once('bootstrap', `the page's bootstrap (<script id="__SPLICE__">) cannot be read (${bootstrapProblem}): hydrating with default props, so React reports a mismatch wherever the edge patched the page. Is something rewriting the page after the edge?`);
  if (typeof document.querySelector !== 'function') return;
  const marked = document.querySelector(`[${MARKER_ATTRIBUTE}]`);
  if (marked !== null) {
    once('markers', `the page holds Splice markers (${MARKER_ATTRIBUTE}="${marked.getAttribute(MARKER_ATTRIBUTE)?.slice(0, 60)}" on <${marked.tagName.toLowerCase()}>): it is a source page served as it was rendered, without the edge's scan (createEdgeHandler, handleSpliceRequest) or preparePage. Browsers must get the base page: the browser render writes no markers, so React reports a hydration mismatch on every marked element.`);
  }
}

/** The provider (root) that first rendered each instance id of the page the edge served. */
const owners = new Map<string, unknown>();

/**
 * An instance of the page the edge served, by its `useId`, rendered under `provider`: two roots
 * hydrated with one `identifierPrefix` give equal ids to instances at equal positions, and the edge,
 * which names instances by id, takes them for one (an override of either reaches both).
 */
export function ownId(ref: ComponentRef, id: string, provider: unknown): void {
  if (typeof document === 'undefined') return;
  const owner = owners.get(id);
  if (owner === undefined) owners.set(id, provider);
  else if (owner !== provider) once('prefix', `<${ref.name}> (${ref.file}) took the id ${id} in a second React root: roots hydrated with the same identifierPrefix give instances at the same position the same id, and the edge and the client, which name instances by id, take them for one instance (an override of one reaches the other, and \`instance: n\` counts them once). Give each root its own identifierPrefix, on the server and in hydrateRoot alike.`);
}

/** `component instance` of each bootstrap override an instance took while rendering view 0: one set for the page, whatever its roots. */
const claimed = new Set<string>();
let checkScheduled = false;

export function claim(component: string, instance: string): void {
  claimed.add(`${component} ${instance}`);
}

/** Runs `unclaimed` once per page, however many providers mount. */
export function scheduleUnclaimedCheck(overrides: readonly Override[]): void {
  if (checkScheduled) return;
  checkScheduled = true;
  // Late enough for boundaries that hydrate after the root (lazy code, streamed data).
  setTimeout(() => unclaimed(overrides), 3000);
}

/**
 * After hydration: overrides the edge applied to an instance (by id) that no instance of the
 * app claimed. The page and the app disagree about that instance (another tree, another
 * `identifierPrefix`, a component rendered only on the server): the DOM holds the override and
 * the app rendered without it.
 */
export function unclaimed(overrides: readonly Override[]): void {
  for (const o of overrides) {
    if (typeof o.instance !== 'string' || claimed.has(`${o.component} ${o.instance}`)) continue;
    once(`unclaimed ${o.component} ${o.instance}`, `the edge applied { ${Object.keys(o.props).join(', ')} } to ${o.component} instance ${o.instance}, but no instance of it with that id hydrated: the page shows the override and the app rendered without it (a different tree or identifierPrefix than the server's, or a component the server rendered and the browser does not).`);
  }
}

/**
 * In development: what checking the page's bootstrap (`checkedBootstrap`) left out of it, said
 * once. Both builds check it there; a production browser build takes it as written.
 */
export function reportLeftOut(parsed: Bootstrap, checked: Bootstrap): void {
  const lost: string[] = [];
  const count = (list: unknown): number => (Array.isArray(list) ? list.length : 0);
  if (count(parsed.overrides) !== checked.overrides.length) lost.push(`${count(parsed.overrides) - checked.overrides.length} of its ${count(parsed.overrides)} overrides`);
  if (count(parsed.site) !== count(checked.site)) lost.push(`${count(parsed.site) - count(checked.site)} of its ${count(parsed.site)} site entries`);
  if (parsed.beacon !== undefined && checked.beacon === undefined) lost.push(`its beacon ${JSON.stringify(parsed.beacon)}`);
  if (lost.length > 0) once('malformed', `the page's bootstrap (<script id="__SPLICE__">) holds what the edge never writes; left out: ${lost.join(', ')}. A production build of the browser runtime takes the bootstrap as written and would misread it: is something other than the edge writing or rewriting it?`);
}
