import { createEdgeHandler } from '@splice/edge';
import manifest from 'splice-manifest.json';
// The prerendered page's index, from the build (scripts/build.js): the worker patches the base
// page through it, without scanning.
import pages from 'splice-pages.json';
// The edge module SplicePlugin emits: it re-renders the cards variant C changes.
import { renderer } from 'splice-edge.mjs';
import config from './splice.config';

/** A Workers-style static assets binding and the signing secret: in workerd and in Node alike. */
export interface Env {
  ASSETS: { fetch(request: Request): Promise<Response> };
  /** Signs the assignment cookie and preview tokens (`npm start` sets a development one). */
  SPLICE_SECRET?: string;
  [binding: string]: unknown;
}

const isPage = (pathname: string) => pathname === '/' || pathname === '/index.html';

export default createEdgeHandler({
  manifest,
  renderer,
  config,
  handles: (request) => (request.method === 'GET' || request.method === 'HEAD') && isPage(new URL(request.url).pathname),
  origin: (request, env: Env) => {
    const url = new URL(request.url);
    return env.ASSETS.fetch(isPage(url.pathname) ? new Request(new URL('/index.html', url)) : request);
  },
  index: () => pages['/index.html'],
});
