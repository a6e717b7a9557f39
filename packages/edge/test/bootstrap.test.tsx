import { BOOTSTRAP_ELEMENT_ID, MARKER_FORMAT } from '@splice/manifest';
import type { SpliceManifest } from '@splice/manifest';
import { createPatchStream } from '@splice/edge';
import type { PatchReport, ResolvedOverride } from '@splice/edge';
import { shownOf } from '../src/bootstrap';
import { Hero, Page, manifest, render } from './fixtures';
import { collect, cut, dec, enc, patch, patchChunks, splitBootstrap, streamOf, stripMarkers } from './helpers';

const SCRIPT = `<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">`;

describe('bootstrap', () => {
  it('goes right before the last </body> in markup context, once', async () => {
    const base = render(<Page />) + '<!-- </body> -->';
    const run = await patch(base, { manifest, overrides: [{ component: 'Hero', props: { title: 'x' } }], assignments: { hero: 'b' } });
    expect(run.html.split(SCRIPT).length).toBe(2);
    expect(run.html).toMatch(/<\/script><\/body><\/html><!-- <\/body> -->$/);
    expect(splitBootstrap(run.html).bootstrap).toEqual({
      buildId: 'build-1', assignments: { hero: 'b' }, overrides: [{ component: 'Hero.h1', props: { title: 'x' } }],
    });
  });

  it('is found across chunk boundaries', async () => {
    const html = render(<Page />);
    const base = enc.encode(html);
    const source = html.indexOf('</body>');
    const at = stripMarkers(html).indexOf('</body>');
    for (let d = -2; d <= 7; d++) {
      const run = await patchChunks(cut(base, [source + d, source + d + 1]), { manifest, overrides: [], assignments: { a: 'b' } });
      expect(run.html.indexOf(SCRIPT)).toBe(at);
    }
  });

  it('escapes values for a script context (</script>, <!--, U+2028)', async () => {
    const evil = '</script><script>alert(1)</script><!-- \u2028\u2029 &';
    const run = await patch(render(<Page />), {
      manifest, overrides: [{ component: 'Hero', props: { title: evil } }], assignments: { [evil]: evil },
    });
    const start = run.html.indexOf(SCRIPT) + SCRIPT.length;
    const json = run.html.slice(start, run.html.indexOf('</script>', start));
    expect(json).not.toMatch(/<|>|\u2028|\u2029/);
    const parsed = JSON.parse(json);
    expect(parsed.overrides[0].props.title).toBe(evil);
    expect(parsed.assignments[evil]).toBe(evil);
    // The page itself carries the escaped text, not a live script.
    expect(splitBootstrap(run.html).html).toBe(stripMarkers(render(<Page />, [{ component: 'Hero', props: { title: evil } }])));
  });

  it('is absent when the page has no markers, and the page is untouched', async () => {
    const html = '<html><body><p data-x="1">no markers</p></body></html>';
    const run = await patch(html, { manifest, overrides: [{ component: 'Hero', props: { title: 'x' } }] });
    expect(run.html).toBe(html);
    expect(run.report.markers).toBe(0);
  });

  it('is absent on a stale page', async () => {
    const html = render(<Page />).replaceAll('Hero.h1', 'Hero.old');
    const run = await patch(html, { manifest, overrides: [{ component: 'Hero', props: { title: 'x' } }] });
    expect(run.html).toBe(stripMarkers(html));
    expect(run.report.stale).toBe(true);
  });

  it('goes at the end when there is no </body>, and ignores a </body> before the first marker', async () => {
    const html = '<template></body></template>' + render(<Hero title="a" subtitle="b" href="/c" />);
    const run = await patch(html, { manifest, overrides: [], assignments: { a: 'b' } });
    const unmarked = stripMarkers(html);
    expect(run.html.startsWith(unmarked)).toBe(true);
    expect(run.html.slice(unmarked.length).startsWith(SCRIPT)).toBe(true);
  });
});

describe('failing open', () => {
  it('an exception inside the patcher passes the rest through unmodified', async () => {
    // A manifest that validates, then throws when the patcher reads an element table entry.
    const m = JSON.parse(JSON.stringify(manifest)) as SpliceManifest;
    const hero = m.components['Hero.h1']!;
    let reads = 0;
    const entry = hero.elements[0]!;
    Object.defineProperty(hero.elements, 0, {
      get() { if (++reads > 2) throw new Error('boom'); return entry; },
    });
    const base = render(<Page />);
    const points = [10, 200, 400];
    const run = await patchChunks(cut(enc.encode(base), points), { manifest: m, overrides: [{ component: 'Hero', props: { title: 'x' } }] }, { fastPath: false });
    // Nothing was rewritten before the failure; the markers still go (the scan was sound).
    expect(run.html).toBe(stripMarkers(base));
    expect(run.report.problems.join()).toMatch(/internal error.*boom/);
  });

  it('a throwing onReport does not break the stream', async () => {
    const stream = streamOf([enc.encode(render(<Page />))]).pipeThrough(
      createPatchStream({ manifest, overrides: [], assignments: { a: 'b' }, onReport: () => { throw new Error('x'); } }),
    );
    expect(dec.decode(await collect(stream))).toContain(SCRIPT);
  });

  it('the report is delivered once, at the end', async () => {
    const reports: PatchReport[] = [];
    const stream = streamOf([enc.encode(render(<Page />))]).pipeThrough(createPatchStream({ manifest, overrides: 5, onReport: (r) => reports.push(r) }));
    await collect(stream);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.skipped[0]!.reason).toBe('overrides must be an array');
  });
});

describe('an older format passes through with a clear report', () => {
  it('a schema-1 manifest: nothing patched, markers still removed, the reason named', async () => {
    const base = render(<Page />);
    const old = { ...manifest, schemaVersion: 1 };
    const run = await patch(base, { manifest: old, overrides: [{ component: 'Hero', props: { title: 'x' } }] });
    expect(run.html).toBe(stripMarkers(base));
    expect(run.report.problems[0]).toMatch(/schemaVersion 1 is not 4; rebuild/);
    expect(run.report.skipped).toHaveLength(1);
  });

  it('a format-1 page index: the base page passes through untouched, the reason named', async () => {
    const { preparePageSync } = await import('@splice/edge');
    const prepared = preparePageSync(render(<Page />));
    let report: PatchReport | undefined;
    const out = await collect(streamOf([prepared.html]).pipeThrough(createPatchStream({
      manifest, overrides: [{ component: 'Hero', props: { title: 'x' } }], index: { ...prepared.index, format: 1 }, onReport: (r) => { report = r; },
    })));
    expect(out).toEqual(prepared.html);
    expect(report!.problems.join()).toMatch(new RegExp(`format 1 is not ${MARKER_FORMAT}; prepare the page again`));
  });

  it('an index of another page: patching stops where it no longer matches, the rest passes through', async () => {
    const { preparePageSync } = await import('@splice/edge');
    const one = preparePageSync(render(<Page />));
    const other = enc.encode(dec.decode(one.html).replace('<h1 class="hero-title">', '<h1 class="hero-title x">').replace('<header>', '<div>'));
    const run = await patchChunks([other], { manifest, overrides: [{ component: 'Card', props: { name: 'N' } }], index: one.index });
    expect(run.report.problems.join()).toMatch(/page index does not match the page/);
    expect(run.report.patchedElements).toBe(0);
    expect(run.html).toBe(dec.decode(other));
  });
});

describe('the patched body (pulls from its input)', () => {
  const overrides = [{ component: 'Hero', props: { title: 'x' } }];

  it('passes a cancel on to the input', async () => {
    let cancelled: unknown = null;
    const input = new ReadableStream<Uint8Array>({
      pull(c) { c.enqueue(enc.encode(render(<Page />))); },
      cancel(reason) { cancelled = reason; },
    });
    const { patchHtml } = await import('@splice/edge');
    const reader = patchHtml(input, { manifest, overrides }).getReader();
    await reader.read();
    await reader.cancel('gone');
    expect(cancelled).toBe('gone');
  });

  it('errors when its input errors, after what was already patched', async () => {
    const html = render(<Page />);
    let pulls = 0;
    const input = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulls++ === 0) c.enqueue(enc.encode(html.slice(0, html.indexOf('<section'))));
        else c.error(new Error('origin reset'));
      },
    });
    const { patchHtml } = await import('@splice/edge');
    const reader = patchHtml(input, { manifest, overrides }).getReader();
    const first = await reader.read();
    expect(dec.decode(first.value)).toContain('<h1 class="hero-title">x</h1>');
    await expect(reader.read()).rejects.toThrow('origin reset');
  });
});

describe('shownOf: was each experiment shown whole', () => {
  const applied: ResolvedOverride[] = [
    { index: 0, key: 'Hero.k', override: { component: 'Hero', props: { title: 'B' } } },
    { index: 1, key: 'Card.k', override: { component: 'Card', props: { badge: 'x' }, instance: 1 } },
    { index: 2, key: 'Card.k', override: { component: 'Card', props: { badge: 'y' }, instance: 7 } },
  ];
  const ids = new Map([['Hero.k', ['_R_1_', '_R_2_']], ['Card.k', ['_R_3_', '_R_4_']]]);
  const spans = { all: { from: 0, to: 1, touches: ['Hero'] }, one: { from: 1, to: 2, touches: ['Card'] }, absent: { from: 2, to: 3, touches: ['Card'] }, refused: { from: 3, to: 4, touches: ['Card'] } };
  const skipped = [{ index: 3, override: {}, reason: 'no such prop' }];

  it('is true only when every instance an override names on the page was written', () => {
    const every = shownOf(spans, applied, skipped, ids, () => true);
    expect(every).toEqual({ all: true, one: true, absent: true, refused: false });
    // Hero written on its first instance only: narrowed, so not shown whole.
    const some = shownOf(spans, applied, skipped, ids, (o, ordinal) => !(o === 0 && ordinal === 1));
    expect(some.all).toBe(false);
    // Card instance 1 not written (over budget, refused element): not shown; instance 7 is not on the page, no reason either way.
    const none = shownOf(spans, applied, skipped, ids, (o) => o !== 1);
    expect(none).toEqual({ all: true, one: false, absent: true, refused: false });
  });
});
