import { createContext, createElement, useEffect, useState } from 'react';
import { BOOTSTRAP_ELEMENT_ID } from '@splice/manifest';
import type { Bootstrap, Override, SiteEntry } from '@splice/manifest';
import type { SpliceProviderProps, SpliceState } from '../types';
import { checkPage, scheduleUnclaimedCheck } from '../devChecks';
import { viewsOf } from '../views';

declare const process: { env: { NODE_ENV?: string } };

export const SpliceContext = createContext<SpliceState | null>(null);

let cached: Bootstrap | null | undefined;
let problem: string | null = null;

const isList = Array.isArray;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The bootstrap the edge injected (contract 2), read once per page; `null` when there is none or
 * it is not JSON (hydrating with the default props is then the consistent choice).
 *
 * The full build validates it (`validateOverrides`, `readSite`); this build keeps only the checks
 * whose absence could be seen, and they cost a fraction of those: the edge validated every
 * override before applying it and wrote exactly those. An override that is not an object, or
 * whose props are not a plain object, is left out (merging it could add props); one whose
 * `component` or `instance` is malformed is kept, since it can never match an instance; a site
 * entry is kept as `readSite` keeps it (the first 256; paths lists of strings; an experiment with
 * its variant). The other fields are as the edge wrote them: the full build's `readBootstrap`
 * also normalizes `buildId`, `assignments`, `shown` and `beacon`, which this build reads only
 * where it uses them.
 */
export function readBootstrap(): Bootstrap | null {
  if (cached === undefined) {
    cached = null;
    // `document` is missing where a server build was given the browser condition: no bootstrap.
    const text = typeof document === 'object' ? document.getElementById(BOOTSTRAP_ELEMENT_ID)?.textContent : null;
    if (text != null) {
      try {
        const b = JSON.parse(text) as Bootstrap;
        // The entries `readSite` keeps: the first 256, of the shape it checks.
        const site = (isList(b.site) ? b.site.slice(0, 256) : []).filter((e: SiteEntry) => isObject(e)
          && (e.paths === undefined || (isList(e.paths) && e.paths.every((l) => isList(l) && l.every((p) => typeof p === 'string'))))
          && (e.experiment === undefined || (typeof e.experiment === 'string' && typeof e.variant === 'string'))
          // On another path an override naming an instance by id names nothing: that id is React's for the landing page.
          && !!(e.overrides = overridesIn(e.overrides).filter((o) => typeof o.instance !== 'string')));
        cached = { ...b, overrides: overridesIn(b.overrides), site };
      } catch (error) {
        problem = (error as Error).message;
      }
    }
  }
  return cached;
}

function overridesIn(value: unknown): Override[] {
  return isList(value) ? value.filter((o: Override) => isObject(o) && isObject(o.props) && !isList(o.props)) : [];
}

/** For tests that hydrate several pages in one document. */
export function resetBootstrapCache(): void {
  cached = undefined;
  problem = null;
}

export function SpliceProvider({ overrides, children }: SpliceProviderProps) {
  const [state] = useState(() => {
    const bootstrap = readBootstrap();
    if (process.env.NODE_ENV !== 'production') {
      try { checkPage(problem); } catch { /* a development message never breaks the page */ }
    }
    // The markers and instance state fields mean nothing in a browser.
    return { view: viewsOf(bootstrap, overrides) } as SpliceState;
  });
  // Development only; the condition is constant for a bundle, so the hooks' order is too.
  if (process.env.NODE_ENV !== 'production') {
    // eslint-disable-next-line react-hooks/rules-of-hooks
    useEffect(() => {
      const bootstrap = readBootstrap();
      if (bootstrap !== null) scheduleUnclaimedCheck(bootstrap.overrides);
    }, []);
  }
  return createElement(SpliceContext.Provider, { value: state }, children);
}
