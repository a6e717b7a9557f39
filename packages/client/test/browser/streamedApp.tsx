/**
 * A page whose client bundle runs while the page still streams (`async`, as React's
 * `bootstrapScripts` write it): the edge's bootstrap, before `</body>`, may not have arrived.
 * `?wait`: hydrates once the document is parsed, as the README says to. `?second`: a second root
 * mounts once the page has loaded. A button navigates to /shop, where the `site` decides the Cta.
 */
import { useState } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { SpliceProvider } from '@splice/client';
import { Banner, Cta } from './common';

function App() {
  const [shop, setShop] = useState(false);
  const go = () => { history.pushState(null, '', '/shop'); setShop(true); };
  return <main className="home"><Banner text="Welcome" /><button type="button" className="go" onClick={go}>go</button>{shop ? <Cta label="Buy" /> : null}</main>;
}
const hydrate = () => hydrateRoot(document.getElementById('root')!, <SpliceProvider><App /></SpliceProvider>, { onRecoverableError: (e: any) => console.error('recoverable: ' + String(e?.message ?? e)) });
if (location.search.includes('wait') && document.readyState === 'loading') addEventListener('DOMContentLoaded', hydrate);
else hydrate();
if (location.search.includes('second')) addEventListener('load', () => createRoot(document.getElementById('root2')!).render(<SpliceProvider><Banner text="Second" cls="banner2" /></SpliceProvider>));
