import { concat } from './bytes';
import { asBytes } from './patchStream';

export interface Peeked { bytes: Uint8Array; stream: ReadableStream<Uint8Array> }

const WAITED = Symbol('waited');

/**
 * The first `min` bytes (fewer if the body is shorter, or if more do not come within `waitMs` of
 * the first), and a stream of the whole body (chunks normalized to bytes). A read still pending
 * when the wait ends is not lost: the stream hands on its result first.
 */
export async function peek(body: ReadableStream<unknown>, min: number, waitMs?: number): Promise<Peeked> {
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let length = 0;
  let done = false;
  let inflight: Promise<ReadableStreamReadResult<unknown>> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waited: Promise<typeof WAITED> | null = null;
  try {
    while (length < min) {
      inflight = reader.read();
      const next = waited === null ? await inflight : await Promise.race([inflight, waited]);
      if (next === WAITED) {
        // Its rejection, if it comes, is read (and passed on) by the stream's pull.
        inflight.catch(() => undefined);
        break;
      }
      inflight = null;
      if (next.done) { done = true; break; }
      const bytes = asBytes(next.value);
      if (bytes === null || bytes.length === 0) continue;
      head.push(bytes);
      length += bytes.length;
      if (waitMs !== undefined && waited === null) waited = new Promise((resolve) => { timer = setTimeout(() => resolve(WAITED), waitMs); });
    }
  } finally {
    clearTimeout(timer);
  }
  const bytes = concat(head);
  let pending: Uint8Array | null = bytes.length > 0 ? bytes : null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending !== null) { controller.enqueue(pending); pending = null; return; }
      if (done) { controller.close(); return; }
      const read = inflight ?? reader.read();
      inflight = null;
      const next = await read;
      if (next.done) { controller.close(); return; }
      const chunk = asBytes(next.value);
      if (chunk !== null) controller.enqueue(chunk);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { bytes, stream };
}
