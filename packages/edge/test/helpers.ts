import { BOOTSTRAP_ELEMENT_ID } from '@splice/manifest';
import type { Bootstrap } from '@splice/manifest';
import { patchHtml } from '@splice/edge';
import type { PatchOptions, PatchReport } from '@splice/edge';

export const enc = new TextEncoder();
export const dec = new TextDecoder();

export function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++] as Uint8Array);
      else controller.close();
    },
  });
}

export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Cuts bytes at the given positions (sorted, deduplicated, inside the array). */
export function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [...new Set(at.filter((n) => n > 0 && n < bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) { out.push(bytes.slice(last, p)); last = p; }
  out.push(bytes.slice(last));
  return out;
}

export function bytesOneByOne(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

export interface Run { html: string; bytes: Uint8Array; report: PatchReport }

export async function patchChunks(chunks: Uint8Array[], options: Omit<PatchOptions, 'onReport'>): Promise<Run> {
  let report: PatchReport | undefined;
  const bytes = await collect(patchHtml(streamOf(chunks), { ...options, onReport: (r) => { report = r; } }));
  if (report === undefined) throw new Error('no report delivered');
  return { html: dec.decode(bytes), bytes, report };
}

export function patch(html: string, options: Omit<PatchOptions, 'onReport'>): Promise<Run> {
  return patchChunks([enc.encode(html)], options);
}

const SCRIPT_RE = new RegExp(`<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">([^<]*)</script>`);

/** The page without the injected bootstrap script, and the bootstrap it carried. */
export function splitBootstrap(html: string): { html: string; bootstrap: Bootstrap | null } {
  const m = SCRIPT_RE.exec(html);
  if (m === null) return { html, bootstrap: null };
  return { html: html.slice(0, m.index) + html.slice(m.index + m[0].length), bootstrap: JSON.parse(m[1] as string) as Bootstrap };
}
