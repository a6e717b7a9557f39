// A second entry of the server build (dist/server/stream.js), for Node only: the streaming
// renderer and Node streams stay out of server.tsx, which workers bundle too (the bench does).
import { renderToPipeableStream } from 'react-dom/server';
import { PassThrough } from 'stream';
import type { Readable } from 'stream';
import { SpliceProvider } from '@splice/client';
import type { Override } from '@splice/client';
import { App } from './App';
import { HEAD, TAIL } from './server';

/**
 * The same document rendered per request with React's streaming server renderer, as an origin
 * server would (docs/streaming-ssr.md). `onAllReady`: React writes every Suspense boundary in
 * place, so the page streams in document order, which the edge patches as it passes.
 */
export function streamPage(overrides: readonly Override[] = [], path = '/'): Readable {
  const out = new PassThrough();
  out.write(HEAD);
  const react = renderToPipeableStream(
    <SpliceProvider overrides={overrides}>
      <App path={path} />
    </SpliceProvider>,
    {
      onAllReady() {
        const body = new PassThrough();
        body.on('data', (chunk: Buffer) => out.write(chunk));
        body.on('end', () => out.end(TAIL));
        react.pipe(body);
      },
      onError(error) {
        out.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    },
  );
  return out;
}

