/**
 * Properties that must hold for every way the network cuts the page into chunks, and for any
 * input at all: the patcher never throws and never loses or reorders a byte it does not patch.
 */
import fc from 'fast-check';
import { createElement } from 'react';
import type { Override } from '@splice/manifest';
import { Page, manifest, render } from './fixtures';
import { bytesOneByOne, cut, enc, patchChunks, splitBootstrap, stripMarkers } from './helpers';

const overrides: Override[] = [
  { component: 'Hero', props: { title: 'New <title>', subtitle: '', href: '/x' } },
  { component: 'Greeting', props: { first: '', last: 'L', count: 0 } },
  { component: 'Card', props: { name: 'N&M', badge: 'b', label: 'L' }, instance: 1 },
  { component: 'Card', props: { alt: 'é ✓ 😀' } },
  { component: 'Promo', props: { note: 'p' } },
];
const baseHtml = render(createElement(Page));
const base = enc.encode(baseHtml);

describe('chunking does not change the output', () => {
  let whole: Uint8Array;
  beforeAll(async () => {
    whole = (await patchChunks([base], { manifest, overrides })).bytes;
    // Sanity: the single-chunk output is the oracle's answer.
    expect(splitBootstrap(new TextDecoder().decode(whole)).html).toBe(stripMarkers(render(createElement(Page), overrides)));
  });

  it('one byte per chunk', async () => {
    expect((await patchChunks(bytesOneByOne(base), { manifest, overrides })).bytes).toEqual(whole);
  });

  it('random cut points', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: base.length }), { maxLength: 60 }), async (points) => {
        const run = await patchChunks(cut(base, points), { manifest, overrides });
        expect(run.bytes).toEqual(whole);
        expect(run.report.problems).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('cuts around every marker and </body>', async () => {
    const interesting: number[] = [];
    for (const needle of [' data-splice="', '</body>', '<!-- -->', '">', '</']) {
      for (let i = baseHtml.indexOf(needle); i !== -1; i = baseHtml.indexOf(needle, i + 1)) {
        for (let d = -2; d <= needle.length + 2; d++) interesting.push(i + d);
      }
    }
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...interesting), { maxLength: 30 }), async (points) => {
        expect((await patchChunks(cut(base, points), { manifest, overrides })).bytes).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('small limits cut at the same byte whatever the chunking', async () => {
    const limits = { elementBytes: 70, markerValueBytes: 16 };
    const ref = await patchChunks([base], { manifest, overrides, limits });
    expect(ref.report.problems.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: base.length }), { maxLength: 80 }), async (points) => {
        expect((await patchChunks(cut(base, points), { manifest, overrides, limits })).bytes).toEqual(ref.bytes);
      }),
      { numRuns: 100 },
    );
  });
});

// Fragments that make garbage likely to look almost like markup Splice cares about.
const fragments = fc.constantFrom(
  ' data-splice="', ' data-splice', '"', '>', '/>', '<', '</', '<!-- -->', '<!--', '</body>', '</bo', 'dy>', 'Hero.h1 0 _R_1_',
  'Card.c1 2 x', 'Greeting.g1 0 i 101', ' class="a"', ' title="t"', 'text', '&amp;', 'é', '😀', '\u2028', '\0', ' ', '=',
);
const garbage = fc.array(fc.oneof(fragments, fc.string(), fc.string({ unit: 'binary' })), { maxLength: 40 }).map((parts) => parts.join(''));
const rawBytes = fc.uint8Array({ maxLength: 400 });

describe('malformed input', () => {
  it('never throws, and with no marker passes through byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(garbage.map((s) => enc.encode(s)), rawBytes), fc.array(fc.nat(), { maxLength: 10 }), async (bytes, points) => {
        const run = await patchChunks(cut(bytes, points), { manifest, overrides });
        // Without even the attribute's name there is nothing to remove and nothing to patch.
        if (!Buffer.from(bytes).toString('latin1').toLowerCase().includes('data-splice')) expect(run.bytes).toEqual(bytes);
        expect(run.report).toBeDefined();
      }),
      { numRuns: 400 },
    );
  });

  it('raw bytes without the needle pass through exactly', async () => {
    await fc.assert(
      fc.asyncProperty(rawBytes, fc.array(fc.nat(), { maxLength: 10 }), async (bytes, points) => {
        fc.pre(!Buffer.from(bytes).toString('latin1').toLowerCase().includes('data-splice'));
        expect((await patchChunks(cut(bytes, points), { manifest, overrides })).bytes).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('garbage is chunking-independent too', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, fc.array(fc.nat(), { maxLength: 12 }), async (s, points) => {
        const bytes = enc.encode(s);
        const whole = await patchChunks([bytes], { manifest, overrides });
        expect((await patchChunks(cut(bytes, points.map((p) => p % (bytes.length + 1))), { manifest, overrides })).bytes).toEqual(whole.bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('a truncated page passes through what arrived', async () => {
    for (let n = 0; n <= base.length; n += 37) {
      const part = base.slice(0, n);
      const run = await patchChunks([part], { manifest, overrides });
      expect(run.report).toBeDefined();
    }
    // Cut inside the first patched element: everything arrives unmodified.
    const inside = baseHtml.indexOf('Big sale') + 3;
    const run = await patchChunks([base.slice(0, inside)], { manifest, overrides });
    expect(new TextDecoder().decode(run.bytes)).toBe(stripMarkers(baseHtml.slice(0, inside)));
    expect(run.report.problems.join()).toMatch(/page ends inside it/);
  });
});

describe('another build', () => {
  const other = { ...manifest, buildId: 'build-2', components: Object.fromEntries(Object.entries(manifest.components).map(([k, v]) => [`${k}x`, v])) };

  // Markers never reach a browser, whatever build they come from: only they are removed.
  const unmarked = enc.encode(stripMarkers(baseHtml));

  it('a page whose markers the manifest does not know passes through, markers removed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: base.length }), { maxLength: 30 }), async (points) => {
        const run = await patchChunks(cut(base, points), { manifest: other, overrides });
        expect(run.bytes).toEqual(unmarked);
        expect(run.report.stale).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('an invalid manifest means pass-through, reported', async () => {
    for (const bad of [null, {}, { schemaVersion: 4, buildId: 'x', components: {} }, { ...manifest, components: { A: { name: 'A' } } }]) {
      const run = await patchChunks(cut(base, [100, 200]), { manifest: bad, overrides });
      expect(run.bytes).toEqual(unmarked);
      expect(run.report.problems[0]).toMatch(/manifest/);
      expect(run.report.skipped.length).toBe(overrides.length);
    }
  });

  it('no overrides and no assignments: the page loses its markers and gets no bootstrap', async () => {
    const run = await patchChunks([base], { manifest, overrides: [] });
    expect(run.html).toBe(stripMarkers(baseHtml));
    expect(run.report.patchedElements).toBe(0);
  });
});
