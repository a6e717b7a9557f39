import { createContext, createElement, useEffect, useState } from 'react';
import { BOOTSTRAP_ELEMENT_ID } from '@splice/manifest';
import type { Bootstrap } from '@splice/manifest';
import type { SpliceProviderProps, SpliceState } from '../types';
import { checkPage, reportLeftOut, scheduleUnclaimedCheck } from '../devChecks';
import { bootstrapProblem, checkedBootstrap, resetBootstrapCache as resetCheckedBootstrap } from '../bootstrap';
import { viewsOf } from '../views';

declare const process: { env: { NODE_ENV?: string } };

export const SpliceContext = createContext<SpliceState | null>(null);

/**
 * The bootstrap the edge injected (contract 2); `null` when there is none or it is not JSON
 * (hydrating with the default props is then the consistent choice). Read again on each call
 * (a provider reads it once, when it mounts).
 *
 * A production build takes it as the edge wrote it: the edge validated every override before
 * applying it and wrote only those, shaped its `site` as `readSite` keeps one and its `beacon` as
 * a path of this site, so checking again would only cost bytes every visitor downloads. A
 * development build checks it as the full build does (`checkedBootstrap`) and says what it left
 * out, for a bootstrap that something other than the edge wrote or rewrote.
 */
export function readBootstrap(): Bootstrap | null {
  try {
    // Throws where there is no `document` (a server build given the browser condition) or no bootstrap: then there is none.
    // The page's last `<script id="__SPLICE__">`, never an element of its content (see `bootstrapElement`).
    const parsed = JSON.parse([...document.querySelectorAll<HTMLScriptElement>(`script#${BOOTSTRAP_ELEMENT_ID}`)].pop()!.text) as Bootstrap | null;
    if (process.env.NODE_ENV !== 'production' && parsed) {
      const checked = checkedBootstrap(parsed);
      reportLeftOut(parsed, checked);
      return checked;
    }
    return parsed;
  } catch {
    return null;
  }
}

/** For tests that hydrate several pages in one document: this build caches only what the development checks read. */
export function resetBootstrapCache(): void {
  resetCheckedBootstrap();
}

export function SpliceProvider({ overrides, children }: SpliceProviderProps) {
  const [state] = useState(() => {
    const bootstrap = readBootstrap();
    if (process.env.NODE_ENV !== 'production') {
      try { checkPage(bootstrapProblem()); } catch { /* a development message never breaks the page */ }
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
  // React 19 renders a context as its provider.
  return createElement(SpliceContext, { value: state }, children);
}
