/**
 * Slots and what is inside them: an instance inside elements kept as cached around its parent's
 * re-render keeps its cached bytes, so an override of it does not apply there. Contract 6: the
 * client is not told it, and the report says why.
 */
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override } from '@splice/manifest';
import { collect, dec, splitBootstrap, streamOf } from '../helpers';
import { loadFixture, oraclePage, renderPage } from './harness';

it('an override of an instance inside kept children is not applied with its parent\'s re-render, and says so', async () => {
  const fixture = loadFixture('slot-with-nested-instance');
  const prepared = preparePageSync(renderPage(fixture.App, []));
  const overrides: Override[] = [
    { component: 'Box', props: { heading: 'Just for you, today and tomorrow' } },
    { component: 'Tag', props: { text: 'sale' } },
  ];
  let report: PatchReport | undefined;
  const out = await collect(patchHtml(streamOf([prepared.html]), { manifest: fixture.manifest, overrides, index: prepared.index, renderer: createRenderer(), onReport: (r) => { report = r; } }));
  const { html, bootstrap } = splitBootstrap(dec.decode(out));
  // The box is re-rendered; its children are the cached ones: the tag as the default page has it.
  expect(html).toBe(oraclePage(fixture.App, [overrides[0]!]));
  expect(report!.rerendered).toBe(1);
  expect(report!.problems.join('\n')).toMatch(/override #1: instance Tag\.\S+ \(\S+\) is inside elements kept as cached/);
  expect(bootstrap!.overrides.map((o) => o.component)).toEqual([expect.stringMatching(/^Box\./)]);
});
