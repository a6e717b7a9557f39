import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

type ResponseConstructor = new (body: BodyInit | null, init?: ResponseInit) => Response;

/**
 * A static-assets binding (like Workers' `env.ASSETS`) backed by a folder. Paths cannot leave
 * the folder. `ResponseClass` lets workerd's service bindings use miniflare's own Response;
 * `headers` are added to every file's response (default `Cache-Control: public, max-age=60`).
 */
export function nodeAssets(dir: string, ResponseClass: ResponseConstructor = Response, headers: Record<string, string> = {}): AssetsBinding {
  const root = path.resolve(dir);
  return {
    async fetch(request: Request) {
      const { pathname } = new URL(request.url);
      let rel: string;
      try {
        rel = decodeURIComponent(pathname);
      } catch {
        return new ResponseClass('Bad request', { status: 400 });
      }
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(root, '.' + rel);
      if (file !== root && !file.startsWith(root + path.sep)) return new ResponseClass('Not found', { status: 404 });
      try {
        const body = await readFile(file);
        return new ResponseClass(body, {
          // `headers` stands for what the real origin or CDN adds (Surrogate-Control and the like).
          headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'public, max-age=60', ...headers },
        });
      } catch {
        return new ResponseClass('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
      }
    },
  };
}
