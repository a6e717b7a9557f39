/**
 * Instances a re-render creates (the cached range had none of their component): an override
 * naming no instance reaches them in the full render, so the re-render applies it, and the client
 * is told it for them too (contract 6), or it hydrates them without it.
 */
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override } from '@splice/manifest';
import { collect, dec, splitBootstrap, streamOf } from '../helpers';
import { loadFixture, oraclePage, renderPage } from './harness';

it('an override of every card reaches the cards a re-render of a grid cached empty creates, and the client is told it', async () => {
  const fixture = loadFixture('nested-general-override-grid-cached-empty');
  const source = renderPage(fixture.App, []);
  const prepared = preparePageSync(source);
  const overrides: Override[] = [
    { component: 'Grid', props: { products: [{ id: 'p9', title: 'Stool', price: 45 }, { id: 'p8', title: 'Bench', price: 60 }] } },
    { component: 'Card', props: { badge: 'New' } },
  ];
  for (const run of [{ html: prepared.html, index: prepared.index }, { html: new TextEncoder().encode(source), index: undefined }]) {
    let report: PatchReport | undefined;
    const out = await collect(patchHtml(streamOf([run.html]), {
      manifest: fixture.manifest, overrides, ...(run.index !== undefined ? { index: run.index } : {}), renderer: createRenderer(), onReport: (r) => { report = r; },
    }));
    const { html, bootstrap } = splitBootstrap(dec.decode(out));
    expect(html).toBe(oraclePage(fixture.App, overrides));
    expect(report!.problems).toEqual([]);
    expect(report!.rerendered).toBe(1);
    // The client renders the new cards with the badge only if it hears of the Card override.
    const card = bootstrap!.overrides.filter((o) => o.component.startsWith('Card.'));
    expect(card.length).toBeGreaterThan(0);
    const client = card.map((o) => o.instance ?? 'all');
    expect(client.includes('all') || client.length === 2).toBe(true);
  }
});
