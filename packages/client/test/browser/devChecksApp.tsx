/** An app with the mistakes the development checks name: no provider, or a page that disagrees with it (`window.__OPTS`). */
import { createRoot, hydrateRoot } from 'react-dom/client';
import { SpliceProvider } from '@splice/client';
import { Banner } from './common';

const opts = (window as unknown as { __OPTS: { noProvider?: boolean; hydrate?: boolean } }).__OPTS ?? {};
const root = document.getElementById('root')!;
if (opts.noProvider) createRoot(root).render(<main className="home"><Banner text="Welcome" /></main>);
else if (opts.hydrate) hydrateRoot(root, <SpliceProvider><main className="home"><Banner text="Welcome" /></main></SpliceProvider>, { onRecoverableError: () => undefined });
else createRoot(root).render(<SpliceProvider><main className="home"><Banner text="Welcome" /></main></SpliceProvider>);
