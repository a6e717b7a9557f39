/** A hydrated page whose override by id is claimed; then a client-side navigation, or a second root (`window.__OPTS`): the development checks must stay quiet. */
import { useEffect, useState } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { SpliceProvider } from '@splice/client';
import { Banner, Cta } from './common';

const opts = (window as unknown as { __OPTS: { navigate?: boolean; secondRoot?: boolean } }).__OPTS ?? {};
function Nav() {
  const [extra, setExtra] = useState(false);
  useEffect(() => {
    if (!opts.navigate) return;
    const t = setTimeout(() => { history.pushState(null, '', '/shop'); setExtra(true); }, 500);
    return () => clearTimeout(t);
  }, []);
  return <main className="home"><Banner text="Welcome" />{extra ? <Cta label="Late" /> : null}</main>;
}
hydrateRoot(document.getElementById('root')!, <SpliceProvider><Nav /></SpliceProvider>, { onRecoverableError: (e: any) => console.error('recoverable: ' + String(e?.message ?? e)) });
if (opts.secondRoot) createRoot(document.getElementById('root2')!).render(<SpliceProvider><Cta label="Widget" /></SpliceProvider>);
