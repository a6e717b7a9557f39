/**
 * The Web Cache API in memory, for Node, where the runtime has none: what `serveNode` gives the
 * worker as `caches`, so the edge cache behaves locally as it does in Workers (an entry lives as
 * long as its `Cache-Control` says; a response with `Set-Cookie`, a 206 or `Vary: *` is not kept;
 * a body labelled `Content-Encoding: gzip` is stored gzipped and handed back so, label and all).
 * Written here rather than taken from a library: the Node ports of the Cache API are tied to
 * older Miniflare versions, and this is the few rules the edge relies on.
 */

interface Entry { status: number; statusText: string; headers: [string, string][]; body: Uint8Array; expires: number; size: number }

export interface MemoryCacheOptions {
  /** Bytes kept across all entries of one cache before the oldest go. Default 64 MB. */
  maxBytes?: number;
  /** The time in milliseconds (default `Date.now`). */
  clock?(): number;
}

export class MemoryCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly clock: () => number;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.clock = options.clock ?? Date.now;
  }

  async match(request: Request | string): Promise<Response | undefined> {
    const req = typeof request === 'string' ? new Request(request) : request;
    if (req.method !== 'GET') return undefined;
    const key = keyOf(req.url);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.clock()) { this.remove(key); return undefined; }
    return new Response(entry.status === 204 ? null : entry.body.slice(), { status: entry.status, statusText: entry.statusText, headers: entry.headers });
  }

  async put(request: Request | string, response: Response): Promise<void> {
    const req = typeof request === 'string' ? new Request(request) : request;
    if (req.method !== 'GET') throw new TypeError('Cache.put: only GET requests can be cached');
    if (response.status === 206) throw new TypeError('Cache.put: a partial response (206) cannot be cached');
    if ((response.headers.get('vary') ?? '').split(',').some((v) => v.trim() === '*')) throw new TypeError('Cache.put: a response with Vary: * cannot be cached');
    let body = new Uint8Array(await response.arrayBuffer());
    // As workerd: a body labelled gzip is taken to be decoded (what fetch() hands over) and is
    // stored encoded; `match` hands the encoded bytes back with the label.
    const coding = (response.headers.get('content-encoding') ?? '').trim().toLowerCase();
    if (coding === 'gzip' && typeof CompressionStream === 'function') {
      body = new Uint8Array(await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)).arrayBuffer());
    }
    // As Workers: a response that sets a cookie, or says not to store it, is not kept.
    if (response.headers.has('set-cookie')) return;
    const lifetime = lifetimeOf(response.headers.get('cache-control'));
    if (lifetime <= 0) return;
    const key = keyOf(req.url);
    this.remove(key);
    const headers: [string, string][] = [];
    response.headers.forEach((value, name) => headers.push([name, value]));
    const entry: Entry = { status: response.status, statusText: response.statusText, headers, body, expires: this.clock() + lifetime * 1000, size: body.length + 64 };
    if (entry.size > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.size;
    // Oldest first: a Map iterates in insertion order.
    for (const k of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(k);
    }
  }

  async delete(request: Request | string): Promise<boolean> {
    const req = typeof request === 'string' ? new Request(request) : request;
    return this.remove(keyOf(req.url));
  }

  /** Drops every entry: `splice dev` purges the edge cache when a rebuild changes the pages. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.bytes -= entry.size;
    return true;
  }
}

/** A `caches` for Node: `default` and named caches, all in memory. */
export function memoryCaches(options: MemoryCacheOptions = {}): { default: MemoryCache; open(name: string): Promise<MemoryCache>; delete(name: string): Promise<boolean>; clear(): void } {
  const named = new Map<string, MemoryCache>();
  const fallback = new MemoryCache(options);
  return {
    default: fallback,
    /** Empties every cache (a purge). */
    clear() {
      fallback.clear();
      for (const cache of named.values()) cache.clear();
    },
    async open(name: string) {
      let cache = named.get(name);
      if (cache === undefined) named.set(name, (cache = new MemoryCache(options)));
      return cache;
    },
    async delete(name: string) {
      return named.delete(name);
    },
  };
}

function keyOf(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.toString();
}

/** Seconds to keep an entry: `s-maxage`, else `max-age`; 0 for `no-store`, `private` or neither. */
function lifetimeOf(cacheControl: string | null): number {
  if (cacheControl === null) return 0;
  const d = new Map<string, string>();
  for (const part of cacheControl.split(',')) {
    const [name, value = ''] = part.split('=');
    d.set(name!.trim().toLowerCase(), value.trim());
  }
  if (d.has('no-store') || d.has('private')) return 0;
  const n = Number(d.get('s-maxage') ?? d.get('max-age'));
  return Number.isFinite(n) ? n : 0;
}
