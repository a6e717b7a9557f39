import { handleSpliceRequest } from '@splice/edge';
import manifest from 'splice-manifest.json';
// The prerendered page's index, from the build (scripts/build.js): the worker patches the base
// page through it, without scanning.
import pages from 'splice-pages.json';
import { variants } from './variants';

/** A Workers-style static assets binding: in workerd and in Node alike. */
export interface Env {
  ASSETS: { fetch(request: Request): Promise<Response> };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== '/' && url.pathname !== '/index.html') return env.ASSETS.fetch(request);
    const variant = url.searchParams.get('variant') === 'b' ? 'b' : 'a';
    return handleSpliceRequest(request, {
      manifest,
      overrides: variants[variant],
      assignments: { home: variant },
      fetchBase: () => env.ASSETS.fetch(new Request(new URL('/index.html', url))),
      index: pages['/index.html'],
    });
  },
};
