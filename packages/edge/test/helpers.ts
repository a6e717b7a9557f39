import { BOOTSTRAP_ELEMENT_ID } from '@splice/manifest';
import type { Bootstrap } from '@splice/manifest';
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchOptions, PatchReport } from '@splice/edge';
import { memoryUsage } from 'process';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

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

async function run(chunks: Uint8Array[], options: Omit<PatchOptions, 'onReport'>): Promise<Run> {
  let report: PatchReport | undefined;
  const bytes = await collect(patchHtml(streamOf(chunks), { ...options, onReport: (r) => { report = r; } }));
  if (report === undefined) throw new Error('no report delivered');
  return { html: dec.decode(bytes), bytes, report };
}

/**
 * Patches a source page (chunks of it), and checks the other path on the way: the same page
 * prepared once (`preparePageSync`) and patched through its index must give the very same bytes,
 * whole and cut at the same number of places. Pass `fastPath: false` where the two cannot agree
 * by design (limits that only the source scan has, injected failures).
 */
export async function patchChunks(chunks: Uint8Array[], options: Omit<PatchOptions, 'onReport'>, check: { fastPath?: boolean } = {}): Promise<Run> {
  const slow = await run(chunks, options);
  if (check.fastPath !== false && options.index === undefined && options.limits === undefined) {
    const whole = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) { whole.set(c, at); at += c.length; }
    const prepared = preparePageSync(whole);
    const cuts: number[] = [];
    let sum = 0;
    for (const c of chunks.slice(0, -1)) { sum += c.length; cuts.push(Math.min(sum, prepared.html.length)); }
    for (const pieces of [[prepared.html], cut(prepared.html, cuts)]) {
      const fast = await run(pieces, { ...options, index: prepared.index });
      if (fast.html !== slow.html) {
        throw new Error(`the fast path (base page + index) differs from the source-page path:\n  source path: ${slow.html}\n  fast path:   ${fast.html}`);
      }
    }
  }
  return slow;
}

export function patch(html: string, options: Omit<PatchOptions, 'onReport'>, check: { fastPath?: boolean } = {}): Promise<Run> {
  return patchChunks([enc.encode(html)], options, check);
}

/**
 * What a browser must receive for a render: the HTML without markers. A regex suffices for the
 * fixtures' own React output (no raw `"` inside attribute values, no forged markers): it is
 * the oracle, independent of the scanner under test.
 */
export function stripMarkers(html: string): string {
  return html.replace(/ data-splice="[^"]*"/g, '');
}

const SCRIPT_RE = new RegExp(`<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">([^<]*)</script>`);

/** The page without the injected bootstrap script, and the bootstrap it carried. */
export function splitBootstrap(html: string): { html: string; bootstrap: Bootstrap | null } {
  const m = SCRIPT_RE.exec(html);
  if (m === null) return { html, bootstrap: null };
  return { html: html.slice(0, m.index) + html.slice(m.index + m[0].length), bootstrap: JSON.parse(m[1] as string) as Bootstrap };
}

/**
 * `got` is `want` with at most `removed` characters replaced by `added` ones, in one place: the
 * oracle for a page edited in transit (the edit itself stays; everything else is as wanted).
 */
export function oneEdit(got: string, want: string, removed: number, added: number): boolean {
  if (got.length - want.length !== added - removed) return false;
  let p = 0;
  while (p < got.length && p < want.length && got[p] === want[p]) p++;
  let s = 0;
  while (s < got.length && s < want.length && got[got.length - 1 - s] === want[want.length - 1 - s]) s++;
  return p + s >= want.length - removed;
}

/**
 * Runs of a property over pages edited in transit: `n` in `npm test`, `n × FUZZ` in `npm run fuzz`
 * (FUZZ=20), which searches longer than the suite's time allows.
 */
export function fuzzRuns(n: number): number {
  const k = Number(process.env.FUZZ ?? 1);
  return Math.max(1, Math.round(n * (Number.isFinite(k) && k > 0 ? k : 1)));
}

let collectGarbage: (() => void) | null = null;

/**
 * Live bytes of this process: the JavaScript heap and ArrayBuffers (bytes outside the heap), after
 * a full collection, so that collectable garbage does not count. ArrayBuffer stores are freed after
 * a collection, not always by its end (on a busy machine, later): collected a few times, with
 * turns between, and the least taken.
 */
export async function liveBytes(): Promise<number> {
  if (collectGarbage === null) {
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  let least = Infinity;
  for (let i = 0; i < 5; i++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const m = memoryUsage();
    least = Math.min(least, m.heapUsed + m.arrayBuffers);
  }
  return least;
}
