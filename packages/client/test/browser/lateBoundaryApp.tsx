/** Hydrates `lateBoundary`'s App, its boundary late. */
import { lazy } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { SpliceProvider } from '@splice/client';
import { App, Banner } from './lateBoundary';

const First = lazy(() => new Promise<{ default: typeof Banner }>((r) => setTimeout(() => r({ default: Banner }), 300)));
hydrateRoot(document.getElementById('root')!, <SpliceProvider><App First={First} /></SpliceProvider>, { onRecoverableError: (e: any) => console.error('recoverable: ' + String(e?.message ?? e)) });
