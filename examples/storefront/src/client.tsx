import { hydrateRoot } from 'react-dom/client';
import { SpliceProvider } from '@splice/client';
import { App } from './App';

// No overrides here: in the browser SpliceProvider reads the ones the edge applied from the
// bootstrap, so hydration renders exactly the patched HTML.
hydrateRoot(
  document.getElementById('root')!,
  <SpliceProvider>
    <App path={location.pathname} />
  </SpliceProvider>,
);
