/**
 * What a request keeps of a page patched through its index, for a scan after a mismatch, is
 * bounded by limits.rescanBytes (packages/edge/README.md: "a request holds at most that much of a
 * page arriving from the network"): whatever the size of the chunks the network delivers.
 */
import type { Override } from '@splice/manifest';
import { patchHtml, preparePageSync } from '@splice/edge';
import { Page, manifest, render } from './fixtures';
import { liveBytes } from './helpers';

it('a page arriving in small chunks: what is kept stays near limits.rescanBytes', async () => {
  // A page of 256 KiB (half the default rescanBytes), its filler before the cards.
  const filler = 'f'.repeat(256 * 1024);
  const prepared = preparePageSync(render(<Page><p>{filler}</p></Page>));
  const page = prepared.html;
  const overrides: Override[] = [{ component: 'Hero', props: { title: 'New' } }];
  const size = 16; // bytes per chunk, each a new buffer, as a network body may deliver them
  let before = 0;
  let during = 0;
  let at = 0;
  const input = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at === 0) before = await liveBytes();
      // Measured with most of the page in, before the </body> that takes the bootstrap.
      if (at >= page.length - 1024 && during === 0) during = await liveBytes();
      if (at >= page.length) { controller.close(); return; }
      controller.enqueue(page.slice(at, at + size));
      at += size;
    },
  });
  const reader = patchHtml(input, { manifest, overrides, index: prepared.index }).getReader();
  for (;;) { const { done } = await reader.read(); if (done) break; }
  // The page itself is 256 KiB: keeping all of it costs that much; four times that is the bound
  // checked here (the default rescanBytes is 512 KiB).
  expect(during - before).toBeLessThan(4 * 256 * 1024);
}, 120_000);
