import { createEdgeHandler } from '@splice/edge';
import manifest from 'splice-manifest.json';
// The prerendered page's index, from the build (splice build's prerender): the worker patches the base
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

/** The prerendered file of each page the worker personalizes. */
const PAGES: Record<string, keyof typeof pages> = {
  '/': '/index.html',
  '/index.html': '/index.html',
  '/cart': '/cart/index.html',
  '/cart/': '/cart/index.html',
};
const fileOf = (request: Request) => PAGES[new URL(request.url).pathname];

export default createEdgeHandler({
  manifest,
  renderer,
  config,
  handles: (request) => (request.method === 'GET' || request.method === 'HEAD') && fileOf(request) !== undefined,
  origin: (request, env: Env) => {
    const file = fileOf(request);
    return env.ASSETS.fetch(file !== undefined ? new Request(new URL(file, request.url)) : request);
  },
  index: (request) => pages[fileOf(request)!],
});
