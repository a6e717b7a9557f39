import { BOOTSTRAP_ELEMENT_ID } from '@splice/manifest';

/** What `splice dev` logs of one request: read from the response the worker gave, in any runtime. */
export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  /** Milliseconds from the request to the first body byte (or to the headers, for a body-less response). */
  ttfbMs: number;
  /** The bootstrap the edge appended (contract 2), when the page has one. */
  bootstrap: { assignments?: Record<string, string>; overrides?: unknown[] } | null;
  /** The body failed mid-stream. */
  error?: string;
}

/**
 * One line per request: the visitor's assignments, what was patched or skipped and why, the edge
 * cache, the time to first byte. Only what the response itself says, so Node and workerd log alike.
 */
export function formatRequest(r: RequestRecord): string {
  const parts = [`${r.method} ${r.path} ${r.status}`, `${r.ttfbMs.toFixed(0)} ms to first byte`];
  const assignments = Object.entries(r.bootstrap?.assignments ?? {});
  if (assignments.length > 0) parts.push(assignments.map(([e, v]) => `${e}=${v}`).join(' '));
  const splice = r.headers.get('x-splice');
  if (splice !== null) {
    const overrides = r.bootstrap?.overrides?.length ?? 0;
    parts.push(`${splice.replace(/; build=[^;]*/, '')}${overrides > 0 ? `; ${overrides} override(s) in the bootstrap` : ''}`);
  }
  const skipped = r.headers.get('x-splice-skipped');
  if (skipped !== null) parts.push(`skipped: ${skipped}`);
  const cache = r.headers.get('x-splice-cache');
  if (cache !== null) parts.push(`cache ${cache}`);
  const preview = r.headers.get('x-splice-preview');
  if (preview !== null) parts.push(`preview ${preview}`);
  const off = r.headers.get('x-splice-experiments');
  if (off !== null) parts.push(`experiments ${off}`);
  if (r.error !== undefined) parts.push(`body failed: ${r.error}`);
  return parts.join(' · ');
}

const MARK = `id="${BOOTSTRAP_ELEMENT_ID}">`;
/** The edge caps a bootstrap at 512 KB; more than that in the tail is not ours. */
const TAIL = 600 * 1024;

/**
 * Passes a response through unchanged while watching it: `done` is called once with the record
 * when the body has been sent (or failed). The body's tail is kept to read the bootstrap, which
 * the edge writes before `</body>`.
 */
export function observeResponse(request: Request, response: Response, started: number, now: () => number, done: (record: RequestRecord) => void): Response {
  const url = new URL(request.url);
  const base = { method: request.method, path: url.pathname + url.search, status: response.status, headers: response.headers };
  // A HEAD answer's body is never read (the server sends none): done at the headers.
  if (response.body === null || request.method === 'HEAD') {
    done({ ...base, ttfbMs: now() - started, bootstrap: null });
    return response;
  }
  let first: number | null = null;
  let tail = '';
  const decoder = new TextDecoder();
  const html = (response.headers.get('content-type') ?? '').includes('html');
  const finish = (error?: unknown) => {
    done({
      ...base,
      ttfbMs: (first ?? now()) - started,
      bootstrap: html ? ((findBootstrap(tail)?.value ?? null) as RequestRecord['bootstrap']) : null,
      ...(error !== undefined ? { error: error instanceof Error ? error.message : String(error) } : {}),
    });
  };
  let ended = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    finish(error);
  };
  const reader = response.body.getReader();
  // Pulled, not piped: a visitor who leaves cancels the worker's body through it, as without the log.
  const out = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        end(error);
        controller.error(error);
        return;
      }
      if (next.done) {
        end();
        controller.close();
        return;
      }
      first ??= now();
      if (html) {
        tail += decoder.decode(next.value, { stream: true });
        if (tail.length > TAIL) tail = tail.slice(-TAIL);
      }
      controller.enqueue(next.value);
    },
    cancel(reason) {
      end('the client went away');
      return reader.cancel(reason);
    },
  });
  return new Response(out, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * The bootstrap the edge wrote into a page (contract 2): where its `<script>` starts and ends, and
 * its JSON (null when it does not parse). The last one counts: the edge writes it before `</body>`.
 */
export function findBootstrap(html: string): { start: number; end: number; value: Record<string, unknown> | null } | null {
  const mark = html.lastIndexOf(MARK);
  if (mark < 0) return null;
  const close = html.indexOf('</script>', mark);
  if (close < 0) return null;
  let value: Record<string, unknown> | null = null;
  try {
    // The edge escapes `<` in the JSON as \u003c: it parses as written.
    const parsed: unknown = JSON.parse(html.slice(mark + MARK.length, close));
    if (parsed !== null && typeof parsed === 'object') value = parsed as Record<string, unknown>;
  } catch {
    value = null;
  }
  return { start: html.lastIndexOf('<script', mark), end: close + '</script>'.length, value };
}
