/**
 * Overrides that name an instance by its place (`instance: n`) with a re-render that changes the
 * number of instances of that component before it: the full render numbers the instances after
 * the region anew. The edge leaves the region default; the override of the later instance then
 * applies as it would in a full render with it alone, and the client is told only that.
 */
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override } from '@splice/manifest';
import { collect, dec, splitBootstrap, streamOf } from '../helpers';
import { loadFixture, oraclePage, renderPage } from './harness';

it('a re-render that removes instances before the one an override names by its place is refused, not applied to the wrong instance', async () => {
  const fixture = loadFixture('nested-instance-override-grid');
  const source = renderPage(fixture.App, []);
  const prepared = preparePageSync(source);
  const overrides: Override[] = [
    { component: 'Grid', props: { products: [{ id: 'p1', title: 'Desk', price: 240 }] } },
    // Card 4 is the card after the grid in the cached page; in the full render there is none.
    { component: 'Card', instance: 4, props: { badge: 'New' } },
  ];
  for (const run of [{ html: prepared.html, index: prepared.index }, { html: source, index: undefined }]) {
    let report: PatchReport | undefined;
    const out = await collect(patchHtml(streamOf([typeof run.html === 'string' ? new TextEncoder().encode(run.html) : run.html]), {
      manifest: fixture.manifest, overrides, ...(run.index !== undefined ? { index: run.index } : {}), renderer: createRenderer(), onReport: (r) => { report = r; },
    }));
    const { html, bootstrap } = splitBootstrap(dec.decode(out));
    // Not the full render with both (which has no badge): the grid is left default, and card 4 is the card after it.
    expect(html).not.toBe(oraclePage(fixture.App, overrides));
    expect(html).toBe(oraclePage(fixture.App, [overrides[1]!]));
    expect(report!.rerendered).toBe(1);
    expect(report!.problems.join('\n')).toMatch(/changes which instances of Card\.\S+ there are, and override #1 names one of them by its place in the page/);
    expect(bootstrap!.overrides.map((o) => o.component)).toEqual([expect.stringMatching(/^Card\./)]);
  }
});

it('a source page cut right after the region decides as a whole one: the instances after it that decide are waited for', async () => {
  const fixture = loadFixture('nested-instance-override-grid');
  const source = new TextEncoder().encode(renderPage(fixture.App, []));
  const overrides: Override[] = [
    { component: 'Grid', props: { products: [{ id: 'p1', title: 'Desk', price: 240 }] } },
    { component: 'Card', instance: 4, props: { badge: 'New' } },
  ];
  const gridEnd = dec.decode(source).indexOf('</section>') + '</section>'.length;
  // Cut where the scan has closed the grid but not reached the card after it, and around there.
  for (const at of [gridEnd - 1, gridEnd, gridEnd + 1, gridEnd + 5, gridEnd + 20]) {
    let report: PatchReport | undefined;
    const out = await collect(patchHtml(streamOf([source.slice(0, at), source.slice(at)]), {
      manifest: fixture.manifest, overrides, renderer: createRenderer(), onReport: (r) => { report = r; },
    }));
    const { html, bootstrap } = splitBootstrap(dec.decode(out));
    expect(html).toBe(oraclePage(fixture.App, [overrides[1]!]));
    expect(report!.problems.join('\n')).toMatch(/override #1 names one of them by its place in the page/);
    expect(bootstrap!.overrides.map((o) => o.component)).toEqual([expect.stringMatching(/^Card\./)]);
  }
});
