/**
 * Contract 6 where a patch goes wrong part of the way: the bootstrap must never name an override
 * the bytes show only in part. Two ways to get there: an instance whose later element is refused
 * after its first one was written, and a page index that stops matching the page partway down.
 * The oracle: the delivered page, bootstrap removed, is React's render with exactly the overrides
 * the bootstrap lists (where the page is one React renders); else no instance whose bytes are not
 * fully patched is named.
 */
import fc from 'fast-check';
import type { Override } from '@splice/manifest';
import { preparePageSync } from '@splice/edge';
import type { PageIndex } from '@splice/edge';
import { Page, manifest, render } from './fixtures';
import { cut, dec, enc, patchChunks, splitBootstrap, streamOf, stripMarkers } from './helpers';

const source = render(<Page />);
const prepared = preparePageSync(source);
const baseHtml = dec.decode(prepared.html);
const index: PageIndex = prepared.index;

/** The base page with `from` replaced by `to` (same length: the index's offsets stay right). */
function edited(from: string, to: string): string {
  expect(to.length).toBe(from.length);
  const at = baseHtml.indexOf(from);
  expect(at).toBeGreaterThan(0);
  return baseHtml.slice(0, at) + to + baseHtml.slice(at + from.length);
}

const chunkings = fc.array(fc.integer({ min: 0, max: enc.encode(baseHtml).length + 64 }), { maxLength: 40 });

async function fast(html: string, overrides: Override[], points: number[] = [], limits?: { elementBytes?: number }) {
  const bytes = enc.encode(html);
  return patchChunks(cut(bytes, points), { manifest, overrides, index, ...(limits === undefined ? {} : { limits }) });
}

describe('an instance is patched whole or not at all', () => {
  // A Card's root <div> holds its <h2> (name) and its <a> (aria-label): one instance, three elements.
  const overrides: Override[] = [{ component: 'Card', instance: 0, props: { name: 'Oolong', label: 'Buy oolong' } }];

  it('a later element of the instance refused: the earlier one is not written, and the bootstrap does not name it', async () => {
    // Something between origin and edge renamed an attribute of card 0's <a> (same length): the
    // <a> no longer matches the manifest, the <h2> before it still does.
    const page = edited(' class="buy"', ' klass="buy"');
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      const run = await fast(page, overrides, points);
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(html).toBe(page); // card 0 left as cached, whole
      expect(bootstrap?.overrides ?? []).toEqual([]);
      expect(run.report.problems.join('\n')).toMatch(/instance Card\.c1 \(\S+\): marked <a> at \d+: attribute "klass" does not match the manifest; every element of it left untouched/);
    }), { numRuns: 100 });
  });

  it('the first element refused: a later one is not written either', async () => {
    const tone: Override[] = [{ component: 'Card', instance: 0, props: { tone: 'light', name: 'Oolong' } }];
    const page = edited(' id="c"', ' ix="c"'); // card 0's <div>
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      const run = await fast(page, tone, points);
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(html).toBe(page);
      expect(bootstrap?.overrides ?? []).toEqual([]);
    }), { numRuns: 100 });
  });

  it('one instance refused, the others of the same override still written and told by id', async () => {
    const all: Override[] = [{ component: 'Card', props: { name: 'N', label: 'L' } }];
    const page = edited(' class="buy"', ' klass="buy"'); // card 0 only
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      const run = await fast(page, all, points);
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(bootstrap!.overrides).toHaveLength(2);
      expect(bootstrap!.overrides.every((o) => typeof o.instance === 'string')).toBe(true);
      // What React renders with exactly those overrides, but for the renamed attribute.
      expect(html.replace(' klass="buy"', ' class="buy"')).toBe(stripMarkers(render(<Page />, bootstrap!.overrides)));
    }), { numRuns: 50 });
  });

  it('the same instance patched whole when every element matches (the oracle)', async () => {
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      const run = await fast(baseHtml, overrides, points);
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(html).toBe(stripMarkers(render(<Page />, overrides)));
      expect(stripMarkers(render(<Page />, bootstrap!.overrides))).toBe(html);
    }), { numRuns: 50 });
  });

  it('on a source page too, whatever the chunking (and the same bytes through the index)', async () => {
    const src = source.replace(' class="buy"', ' klass="buy"');
    const bytes = enc.encode(src);
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 }), async (points) => {
      const run = await patchChunks(cut(bytes, points), { manifest, overrides });
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(html).toBe(stripMarkers(src));
      expect(bootstrap).toBeNull();
    }), { numRuns: 100 });
  });
});

describe('an index that stops matching partway down the page', () => {
  const overrides: Override[] = [
    { component: 'Hero', props: { title: 'New', href: '/new' } },
    { component: 'Card', props: { name: 'N' } },
  ];

  it('bytes inserted after the Hero: what was written is told, the rest passes through, reported', async () => {
    const at = baseHtml.indexOf('<section');
    const injected = '<!-- injected by a proxy -->';
    const page = baseHtml.slice(0, at) + injected + baseHtml.slice(at);
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      const run = await fast(page, overrides, points);
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(run.report.problems.join('\n')).toMatch(/page index does not match the page/);
      expect(bootstrap).not.toBeNull();
      // Every byte arrived, and the page is React's render with what the bootstrap lists, plus the proxy's bytes.
      expect(html.replace(injected, '')).toBe(stripMarkers(render(<Page />, bootstrap!.overrides)));
      // The Hero was written before the mismatch, so it is told.
      expect(bootstrap!.overrides.map((o) => o.component)).toContain('Hero.h1');
      // The bootstrap sits before the page's own </body>, in markup.
      expect(run.html.indexOf('id="__SPLICE__"')).toBeLessThan(run.html.lastIndexOf('</body>'));
      expect(run.html.indexOf('id="__SPLICE__"')).toBeGreaterThan(run.html.indexOf('<section'));
    }), { numRuns: 100 });
  });

  it('a page truncated before its </body>: what was written is told, after the last byte', async () => {
    const at = baseHtml.indexOf('<input');
    const page = baseHtml.slice(0, at);
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      const run = await fast(page, overrides, points);
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(run.report.problems.join('\n')).toMatch(/page index describes|does not match/);
      expect(bootstrap).not.toBeNull();
      expect(html).toBe(stripMarkers(render(<Page />, bootstrap!.overrides)).slice(0, html.length));
      expect(run.html.endsWith('</script>')).toBe(true);
      expect(bootstrap!.overrides.map((o) => o.component).sort()).toEqual(['Card.c1', 'Hero.h1']);
    }), { numRuns: 100 });
  });

  it('a page whose </body> moved: the bootstrap still goes before it', async () => {
    // The body's end moved by a few bytes after every marked element: edits verify, the </body> does not.
    const at = baseHtml.lastIndexOf('</body>');
    const page = baseHtml.slice(0, at) + '<p></p>' + baseHtml.slice(at);
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      const run = await fast(page, overrides, points);
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(bootstrap).not.toBeNull();
      expect(html.replace('<p></p></body>', '</body>')).toBe(stripMarkers(render(<Page />, bootstrap!.overrides)));
      expect(run.html).toContain('</script></body>');
      expect(run.report.problems.join('\n')).toMatch(/does not match the page at its <\/body>/);
    }), { numRuns: 100 });
  });
});

describe('the chunks kept for a scan after a mismatch', () => {
  // Bounded by limits.rescanBytes: a request holds at most that much of a page arriving from the
  // network. Within it a mismatch is told; past it the patcher can no longer find where the
  // bootstrap goes, and says so (the documented price of the bound).
  const at = baseHtml.indexOf('<section');
  const injected = '<!-- injected by a proxy -->';
  const page = baseHtml.slice(0, at) + injected + baseHtml.slice(at);
  const overrides: Override[] = [{ component: 'Hero', props: { title: 'New' } }, { component: 'Card', props: { name: 'N' } }];
  const bytes = enc.encode(page).length;

  it('a page within limits.rescanBytes: what was written before the mismatch is told', async () => {
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      const run = await patchChunks(cut(enc.encode(page), points), { manifest, overrides, index, limits: { rescanBytes: bytes } });
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(bootstrap?.overrides.map((o) => o.component)).toEqual(['Hero.h1']);
      expect(html.replace(injected, '')).toBe(stripMarkers(render(<Page />, bootstrap!.overrides)));
      expect(run.report.problems.join('\n')).not.toMatch(/rescanBytes/);
    }), { numRuns: 50 });
  });

  it('a page past limits.rescanBytes before its mismatch: nothing more kept, no bootstrap, reported', async () => {
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      const chunks = cut(enc.encode(page), points);
      // Past the limit before the chunk that brings the mismatch: the first chunk holding `at`.
      let sum = 0;
      let before = 0;
      for (const c of chunks) { if (sum + c.length > at) break; sum += c.length; before = sum; }
      fc.pre(before > 64);
      const run = await patchChunks(chunks, { manifest, overrides, index, limits: { rescanBytes: 64 } });
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(bootstrap).toBeNull();
      expect(run.report.problems.join('\n')).toMatch(/not kept past 64 bytes \(limits\.rescanBytes\)[^\n]*what was written before is not told/);
      // The bytes are the page's, with the Hero's edit (written before the mismatch, untold).
      expect(html.replace(injected, '')).toBe(stripMarkers(render(<Page />, [{ component: 'Hero.h1', props: { title: 'New' } }])));
    }), { numRuns: 50 });
  });

  it('a consumer that detaches the chunks it is handed: no bootstrap rather than one placed from part of the page', async () => {
    const { patchHtml } = await import('@splice/edge');
    const at = baseHtml.indexOf('<section');
    const page = enc.encode(baseHtml.slice(0, at) + '<!-- injected by a proxy -->' + baseHtml.slice(at));
    const overrides: Override[] = [{ component: 'Hero', props: { title: 'New' } }, { component: 'Card', props: { name: 'N' } }];
    await fc.assert(fc.asyncProperty(chunkings, async (points) => {
      let report: { problems: string[] } | undefined;
      const reader = patchHtml(streamOf(cut(page, points)), { manifest, overrides, index, onReport: (r) => { report = r; } }).getReader();
      const parts: number[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(...value);
        // A consumer may transfer a buffer it is handed whole (as a byte stream's enqueue does): a
        // chunk handed on untouched is the input's own, and the one kept for a scan. (A view into
        // a larger buffer is left alone here: the patcher may still hold the rest of that buffer,
        // noticed, not fixed.)
        if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) structuredClone(value.buffer, { transfer: [value.buffer as ArrayBuffer] });
      }
      const html = dec.decode(Uint8Array.from(parts));
      const split = splitBootstrap(html);
      // Wherever it went, the page around it is the page: never a script inside a tag.
      expect(split.html.replace('>New<', '>Big sale<').replace('title="New"', 'title="Big sale"')).toBe(dec.decode(page));
      if (split.bootstrap !== null) expect(html).toMatch(/<\/script><\/body><\/html>$/);
      expect(report).toBeDefined();
    }), { numRuns: 50 });
  });
});

describe('a site of an instance after its range', () => {
  it('is decided alone, as it comes, whatever the chunking (its end may not be known yet)', async () => {
    // A forged page repeats instance _R_1_ after its root closed: the second <div> and <h2> lie after its range.
    const CARD = '<div data-splice="Card.c1 0 _R_1_" class="card card-plain" id="c"><h2 data-splice="Card.c1 2 _R_1_">Tea</h2></div>';
    const src = enc.encode(`<h2 data-splice="Card.c1 2 _R_3_">x</h2>${CARD}${CARD}`);
    const overrides: Override[] = [{ component: 'Card', props: { name: 'X' } }, { component: 'Card', instance: 1, props: { badge: 'b' } }];
    const whole = await patchChunks([src], { manifest, overrides });
    expect(whole.html.match(/<h2>X<\/h2>/g)).toHaveLength(3);
    await fc.assert(fc.asyncProperty(fc.array(fc.nat({ max: src.length }), { maxLength: 30 }), async (points) => {
      expect((await patchChunks(cut(src, points), { manifest, overrides })).html).toBe(whole.html);
    }), { numRuns: 100 });
    expect((await patchChunks(Array.from(src, (b) => Uint8Array.of(b)), { manifest, overrides })).html).toBe(whole.html);
  });
});

describe('after the </body> that takes the bootstrap', () => {
  // HTML may go on after `</body>`; the bootstrap is out by then. The client applies there what
  // it was told for every instance: so must the edge, and nothing else.
  const CARD = '<div data-splice="Card.c1 0 _R_1_" class="card card-plain" id="c"><h2 data-splice="Card.c1 2 _R_1_">Tea</h2></div>';
  const source = `<html><body><p>a</p>${CARD}</body>${CARD.replace(/_R_1_/g, '_R_2_')}</html>`;
  const page = preparePageSync(source);

  it('an element an override told to every instance reaches is written with it, though an untold one reaches it too', async () => {
    const both: Override[] = [{ component: 'Card', props: { name: 'X' } }, { component: 'Card', instance: 1, props: { name: 'Y' } }];
    await fc.assert(fc.asyncProperty(fc.array(fc.nat({ max: page.html.length }), { maxLength: 20 }), async (points) => {
      for (const run of [
        await patchChunks(cut(enc.encode(source), points), { manifest, overrides: both }),
        await patchChunks(cut(page.html, points), { manifest, overrides: both, index: page.index }),
      ]) {
        const { html, bootstrap } = splitBootstrap(run.html);
        // The client applies the general override to every card, the second one included.
        expect(bootstrap!.overrides).toEqual([{ component: 'Card.c1', props: { name: 'X' } }]);
        expect(html.match(/<h2>X<\/h2>/g)).toHaveLength(2);
        expect(run.report.problems.join()).toMatch(/marked <h2> at \d+: after the <\/body> that takes the bootstrap/);
      }
    }), { numRuns: 50 });
  });
});
