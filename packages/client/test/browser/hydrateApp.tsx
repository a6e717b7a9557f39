/** A hydrated page whose path changes at startup (replaceState) while a lazy boundary has not hydrated yet. */
import { Suspense, lazy, useEffect } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { SpliceProvider } from '@splice/client';
import { Banner, Cta } from './common';

const LazyBanner = lazy(() => new Promise<{ default: typeof Banner }>((r) => setTimeout(() => r({ default: Banner }), 300)));
function Canonical() {
  // A locale/canonical-path redirect at startup, as routers do.
  useEffect(() => { history.replaceState(null, '', '/en/'); }, []);
  return null;
}
hydrateRoot(document.getElementById('root')!, (
  <SpliceProvider>
    <main className="home"><Canonical /><Cta label="Buy" /><Suspense fallback={null}><LazyBanner text="Welcome" /></Suspense></main>
  </SpliceProvider>
), { onRecoverableError: (e: any) => console.error('recoverable: ' + String(e?.message ?? e)) });
