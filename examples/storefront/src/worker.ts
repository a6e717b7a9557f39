import { handleSpliceRequest } from '@splice/edge';
import manifest from 'splice-manifest.json';
// The prerendered page's index, from the build (scripts/build.js): the worker patches the base
// page through it, without scanning.
import pages from 'splice-pages.json';
// The edge module SplicePlugin emits: it re-renders the cards variant C changes.
import { renderer } from 'splice-edge.mjs';
import { variants } from './variants';
import type { VariantName } from './variants';

/** A Workers-style static assets binding: in workerd and in Node alike. */
export interface Env {
  ASSETS: { fetch(request: Request): Promise<Response> };
}

function variantOf(url: URL): VariantName {
  const v = url.searchParams.get('variant');
  return v === 'b' || v === 'c' ? v : 'a';
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== '/' && url.pathname !== '/index.html') return env.ASSETS.fetch(request);
    const variant = variantOf(url);
    return handleSpliceRequest(request, {
      manifest,
      renderer,
      overrides: variants[variant],
      assignments: { home: variant },
      fetchBase: () => env.ASSETS.fetch(new Request(new URL('/index.html', url))),
      index: pages['/index.html'],
    });
  },
};
