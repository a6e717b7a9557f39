import { createContext, useEffect, useState } from 'react';
import { bootstrapProblem, readBootstrap } from './bootstrap';
import { DEV, checkPage, scheduleUnclaimedCheck } from './devChecks';
import { viewsOf } from './views';
import type { SpliceProviderProps, SpliceState } from './types';

export const SpliceContext = createContext<SpliceState | null>(null);

export function SpliceProvider({ overrides, instanceState = true, markers = true, children }: SpliceProviderProps) {
  // One state object per mounted provider: the ordinals must restart for every render of a page.
  const [state] = useState<SpliceState>(() => {
    const bootstrap = readBootstrap();
    if (DEV && typeof document !== 'undefined') {
      try { checkPage(bootstrapProblem()); } catch { /* a development message never breaks the page */ }
    }
    return { instanceState, markers, view: viewsOf(bootstrap, overrides) };
  });
  useEffect(() => {
    if (!DEV) return;
    const bootstrap = readBootstrap();
    if (bootstrap !== null) scheduleUnclaimedCheck(bootstrap.overrides);
  }, []);
  return <SpliceContext.Provider value={state}>{children}</SpliceContext.Provider>;
}
