/**
 * docs/streaming-ssr.md's claims: an origin that renders each request with React's
 * `renderToPipeableStream` (waiting for `onAllReady`) sends its source page, markers and all, and
 * the worker patches it as it streams, scanning it on the way (no prerender, no page index). The
 * patched page equals React's streamed render with the overrides, markers removed (contract 4),
 * for value overrides, structural ones (re-rendered at the edge) and both, whether the bytes come
 * as React writes them or cut anywhere.
 */
import fc from 'fast-check';
import { Readable } from 'stream';
import { handleSpliceRequest } from '@splice/edge';
import { loadBuild, readAll, splitBootstrap, streamOf, stripMarkers } from './helpers';
import { variants } from '../src/variants';
import * as path from 'path';
import { dist } from './helpers';

const { manifest, createRenderer, renderPage } = loadBuild();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { streamPage } = require(path.join(dist, 'server', 'stream.js')) as { streamPage(overrides?: unknown[], path?: string): Readable };
const renderer = createRenderer();

/** The origin's answer: the streamed render, as a Web response. */
const originResponse = (body: ReadableStream<Uint8Array>) => new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
const streamed = (overrides: unknown[] = []) => readAll(Readable.toWeb(streamPage(overrides)) as ReadableStream<Uint8Array>);

async function throughEdge(overrides: unknown[], body: ReadableStream<Uint8Array>) {
  const response = await handleSpliceRequest(new Request('http://shop.test/'), { manifest, overrides, renderer, fetchBase: async () => originResponse(body) });
  return { response, ...splitBootstrap(await response.text()) };
}

const cases: [string, unknown[]][] = [
  ['variant B (value holes)', variants.b],
  ['variant C (cards re-rendered at the edge)', variants.c],
  ['both, and a rule', [...variants.b, ...variants.c, { component: 'Header', props: { tagline: 'Kostenloser Versand diese Woche' } }]],
];

describe('a page streamed by renderToPipeableStream, patched at the edge without a prerender', () => {
  it('is the same document as the prerendered one (the edge sees the same source page)', async () => {
    expect(await streamed()).toBe(renderPage([]));
  });

  it.each(cases)('%s: equals the streamed render with the overrides, as React writes the bytes', async (_name, overrides) => {
    const { response, page, bootstrap } = await throughEdge(overrides, Readable.toWeb(streamPage([])) as ReadableStream<Uint8Array>);
    // Without a page index the header can only say what was planned: the page is scanned as it passes.
    expect(response.headers.get('x-splice')).toMatch(/^planned; build=\w+; applied=[1-9]\d*; skipped=0$/);
    expect(page).toBe(stripMarkers(await streamed(overrides)));
    expect(bootstrap.overrides.length).toBeGreaterThan(0);
  });

  it('under any cutting of the stream', async () => {
    const source = await streamed();
    const expected = new Map<number, string>();
    for (const [i, [, overrides]] of cases.entries()) expected.set(i, stripMarkers(await streamed(overrides)));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: cases.length - 1 }), fc.array(fc.integer({ min: 1, max: source.length }), { maxLength: 12 }), async (i, cuts) => {
        const { page } = await throughEdge(cases[i]![1], streamOf(source, cuts));
        expect(page).toBe(expected.get(i));
      }),
      { numRuns: 40 },
    );
  });
});
