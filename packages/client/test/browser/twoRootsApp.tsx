/** Two hydrated roots, each with its provider and an instance at the same position; `window.__OPTS.prefixes`: their identifierPrefixes. */
import { hydrateRoot } from 'react-dom/client';
import { SpliceProvider } from '@splice/client';
import { Banner } from './lateBoundary';

const [a, b] = (window as unknown as { __OPTS: { prefixes: [string, string] } }).__OPTS.prefixes;
const onRecoverableError = (e: any) => console.error('recoverable: ' + String(e?.message ?? e));
hydrateRoot(document.getElementById('root')!, <SpliceProvider><Banner text="Welcome" cls="a" /></SpliceProvider>, { identifierPrefix: a, onRecoverableError });
hydrateRoot(document.getElementById('root2')!, <SpliceProvider><Banner text="Welcome" cls="b" /></SpliceProvider>, { identifierPrefix: b, onRecoverableError });
