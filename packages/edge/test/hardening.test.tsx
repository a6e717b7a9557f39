/**
 * Regression tests from a review of the patcher: chunk boundaries inside multi-byte text, manifests
 * that validate but disagree with the HTML, hostile (non-JSON) override values, and fail-open paths.
 * Each `it` names the bug it pins down.
 */
import { createElement, useId } from 'react';
import { renderToString } from 'react-dom/server';
import { formatMarker } from '@splice/manifest';
import type { JsonValue, SpliceManifest } from '@splice/manifest';
import { createPatchStream, handleSpliceRequest, planOverrides } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { Page, manifest as baseManifest, render } from './fixtures';
import { bytesOneByOne, cut, dec, enc, patch, patchChunks, splitBootstrap, streamOf, stripMarkers } from './helpers';

const prop = (name: string) => ({ kind: 'prop' as const, path: [name] });

// ── A component with non-ASCII statics, base text and attribute values, rendered by React itself.
const INTL = { key: 'Intl.i1', name: 'Intl', file: 'src/Intl.tsx' };
const intlManifest: SpliceManifest = {
  schemaVersion: 4,
  buildId: 'intl',
  components: {
    [INTL.key]: {
      name: INTL.name, file: INTL.file, line: 1,
      props: { who: { tier: 'value' }, tip: { tier: 'value' } },
      elements: [
        // <p title={tip}>Grüße, {who} ☕ 😀</p>
        { tag: 'p', attrs: [{ name: 'title', hole: prop('tip') }], text: [{ kind: 'static', value: 'Grüße, ' }, { kind: 'hole', expr: prop('who') }, { kind: 'static', value: ' ☕ 😀' }] },
      ],
    },
  },
};
function Intl({ who, tip }: { who: string; tip: string }) {
  const id = useId();
  return <p data-splice={formatMarker({ key: INTL.key, element: 0, instance: id })} title={tip}>Grüße, {who} ☕ 😀</p>;
}
const intlPage = (who: string, tip: string) =>
  renderToString(<html><body><main><Intl who={who} tip={tip} /><Intl who="ü" tip="" /></main></body></html>);

describe('multi-byte UTF-8 split across chunks', () => {
  it('cutting at every byte (one cut, and one byte per chunk) gives the oracle', async () => {
    const base = enc.encode(intlPage('Ærøskøbing 日本', 'Tïp 😀'));
    const overrides = [{ component: 'Intl', props: { who: 'Zoë 🎉', tip: '→ «x» & \'y\'' } }];
    const expected = stripMarkers(renderToString(
      <html><body><main><Intl who="Zoë 🎉" tip={'→ «x» & \'y\''} /><Intl who="Zoë 🎉" tip={'→ «x» & \'y\''} /></main></body></html>,
    ));
    const whole = await patchChunks([base], { manifest: intlManifest, overrides });
    expect(whole.report.problems).toEqual([]);
    expect(splitBootstrap(whole.html).html).toBe(expected);
    for (let at = 1; at < base.length; at++) {
      const run = await patchChunks(cut(base, [at]), { manifest: intlManifest, overrides });
      expect(run.bytes).toEqual(whole.bytes);
    }
    expect((await patchChunks(bytesOneByOne(base), { manifest: intlManifest, overrides })).bytes).toEqual(whole.bytes);
  });
});

describe('manifests that validate but disagree with the HTML', () => {
  it('a text entry on a void element does not swallow the sibling text after `/>`', async () => {
    const m: SpliceManifest = {
      schemaVersion: 4, buildId: 'v',
      components: { 'V.v1': { name: 'V', file: 'src/V.tsx', line: 1, props: { p: { tier: 'value' } }, elements: [{ tag: 'br', attrs: [], text: [{ kind: 'hole', expr: prop('p') }] }] } },
    };
    const html = '<html><body><div><br data-splice="V.v1 0 _R_1_"/>hello</div></body></html>';
    const run = await patch(html, { manifest: m, overrides: [{ component: 'V', props: { p: 'bye' } }] });
    expect(splitBootstrap(run.html).html).toBe(stripMarkers(html));
    expect(run.report.patchedElements).toBe(0);
    expect(run.report.problems.join()).toMatch(/void/);
  });

  it('an attribute listed twice (JSX `className="a" className={x}`) is rewritten in place, never duplicated', async () => {
    const DUP = { key: 'Dup.d1', name: 'Dup', file: 'src/Dup.tsx' };
    const m: SpliceManifest = {
      schemaVersion: 4, buildId: 'd',
      components: {
        [DUP.key]: {
          name: DUP.name, file: DUP.file, line: 1, props: { tone: { tier: 'value' }, label: { tier: 'value' } },
          elements: [{
            tag: 'div',
            attrs: [{ name: 'class' }, { name: 'id' }, { name: 'class', hole: prop('tone') }, { name: 'title', hole: prop('label') }, { name: 'title' }],
          }],
        },
      },
    };
    // An object literal with a repeated key, as the JSX transform emits it: first position, last value.
    function Dup({ tone, label }: { tone: string | null; label: string }) {
      const id = useId();
      const props = Object.fromEntries([
        ['data-splice', formatMarker({ key: DUP.key, element: 0, instance: id })], ['className', 'a'], ['id', 'x'],
        ['className', tone ?? undefined], ['title', label], ['title', 'fixed'],
      ]);
      return createElement('div', props, 'hi');
    }
    const page = (tone: string | null, label: string) => renderToString(<body><Dup tone={tone} label={label} /></body>);
    for (const [from, to] of [['plain', 'dark'], ['plain', null], [null, 'dark']] as const) {
      const run = await patch(page(from, 'L'), { manifest: m, overrides: [{ component: 'Dup', props: { tone: to, label: 'M' } }] });
      expect(run.report.problems).toEqual([]);
      expect(splitBootstrap(run.html).html).toBe(stripMarkers(page(to, 'M')));
    }
  });
});

describe('hostile override values', () => {
  it('a lone surrogate is refused: the HTML can only carry U+FFFD, the client would render the surrogate', () => {
    const { applied, skipped } = planOverrides(baseManifest, [
      { component: 'Hero', props: { title: 'a\uD800b' } },
      { component: 'Hero', props: { title: { x: '\uDC00' } as unknown as JsonValue } },
      { component: 'Hero', props: { title: 'ok 😀' } },
    ]);
    expect(skipped.map((s) => s.index)).toEqual([0, 1]);
    expect(skipped[0]!.reason).toMatch(/Unicode/);
    expect(applied.map((a) => a.index)).toEqual([2]);
  });

  it('throwing getters and proxies are skipped, never thrown (planOverrides and the handler)', async () => {
    const boom = () => { throw new Error('boom'); };
    const hostile: unknown[] = [
      Object.defineProperty({ props: {} }, 'component', { get: boom, enumerable: true }),
      { component: 'Hero', props: Object.defineProperty({}, 'title', { get: boom, enumerable: true }) },
      { component: 'Hero', props: new Proxy({}, { ownKeys: boom }) },
      { component: 'Hero', props: { title: 'fine' } },
    ];
    const { applied, skipped } = planOverrides(baseManifest, hostile);
    expect(applied.map((a) => a.index)).toEqual([3]);
    expect(skipped.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(planOverrides(baseManifest, new Proxy([], { get: boom })).applied).toEqual([]);

    const page = render(<Page />);
    const res = await handleSpliceRequest(new Request('http://x.test/'), {
      manifest: baseManifest, overrides: hostile,
      fetchBase: async () => new Response(page, { headers: { 'content-type': 'text/html' } }),
    });
    expect(res.headers.get('x-splice')).toMatch(/applied=1; skipped=3/);
    expect(splitBootstrap(await res.text()).html).toBe(stripMarkers(render(<Page />, [{ component: 'Hero', props: { title: 'fine' } }])));
  });

  it('a getter cannot render one value at the edge and send another to the client', async () => {
    let reads = 0;
    const props = Object.defineProperty({}, 'title', { get: () => (reads++ === 0 ? 'first' : 'second'), enumerable: true });
    // Patched once only: a second patch (the fast-path check) would read the getter again.
    const run = await patch(render(<Page />), { manifest: baseManifest, overrides: [{ component: 'Hero', props }] }, { fastPath: false });
    const { html, bootstrap } = splitBootstrap(run.html);
    // Whatever the edge wrote, the client must get the same value and render the same bytes.
    expect(stripMarkers(render(<Page />, bootstrap!.overrides))).toBe(html);
  });

  it('numbers React writes oddly (-0, 1e21, 1e-7) render exactly as React writes them', async () => {
    for (const title of [-0, 1e21, 1e-7, 0.1 + 0.2]) {
      const run = await patch(render(<Page />), { manifest: baseManifest, overrides: [{ component: 'Hero', props: { title } }] });
      expect(splitBootstrap(run.html).html).toBe(stripMarkers(render(<Page />, [{ component: 'Hero', props: { title } }])));
    }
  });
});

describe('fail open', () => {
  it('an internal error puts the bootstrap at the end of the page, not in the middle of a tag', async () => {
    // A manifest whose static text throws when read a second time: validation and planning read
    // it once, compiling the element at its first marker reads it again (an internal error).
    let reads = 0;
    const throwing = { kind: 'static', get value() { if (reads++ > 0) throw new Error('boom'); return 'Hi '; } };
    const hero = baseManifest.components['Hero.h1']!;
    const m = {
      ...baseManifest,
      components: { ...baseManifest.components, 'Hero.h1': { ...hero, elements: [hero.elements[0], { ...hero.elements[1], text: [throwing, ...hero.elements[1]!.text!.slice(1)] }, hero.elements[2]] } },
    };
    const base = render(<Page />);
    const overrides = [{ component: 'Hero', props: { title: 'T', subtitle: 'S' } }];
    const mid = base.indexOf('<section') + 4;
    for (const points of [[], [mid]]) {
      reads = 0;
      const run = await patchChunks(cut(enc.encode(base), points), { manifest: m, overrides }, { fastPath: false });
      expect(run.report.problems.join()).toMatch(/internal error/);
      expect(run.report.patchedElements).toBe(1);
      const { html, bootstrap } = splitBootstrap(run.html);
      expect(bootstrap).not.toBeNull();
      // The script comes after everything else, whatever the chunking.
      expect(run.html.endsWith('</script>')).toBe(true);
      // Markers still go: the scan was sound; only the rewriting stopped.
      expect(html).toBe(stripMarkers(base).replace('>Big sale</h1>', '>T</h1>'));
    }
  });

  it('invalid limits fall back to the defaults instead of buffering without bound', async () => {
    const base = render(<Page />);
    const overrides = [{ component: 'Hero', props: { title: 'T' } }];
    const good = await patch(base, { manifest: baseManifest, overrides });
    for (const limits of [{ markerValueBytes: NaN, elementBytes: NaN, tagBytes: NaN }, { markerValueBytes: 'x' as unknown as number, elementBytes: '1e3' as unknown as number, tagBytes: '1' as unknown as number }]) {
      const run = await patch(base, { manifest: baseManifest, overrides, limits });
      expect(run.bytes).toEqual(good.bytes);
    }
    // A start tag that never ends, from an origin that stays open: with a cap (64 KiB by default),
    // most of it comes out while the stream is still running; without one, nothing would until
    // the origin closes.
    const endless = enc.encode(`<html><body><h1 data-splice="Hero.h1 0 ${'x'.repeat(80_000)}`);
    const source = new ReadableStream<Uint8Array>({ start(c) { for (let i = 0; i < endless.length; i += 1000) c.enqueue(endless.slice(i, i + 1000)); } });
    const reader = source.pipeThrough(createPatchStream({ manifest: baseManifest, overrides, limits: { tagBytes: NaN } })).getReader();
    let got = 0;
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 1000));
    while (got < 65_000) {
      const r = await Promise.race([reader.read(), timeout]);
      if (r === 'timeout' || r.done) break;
      got += r.value.length;
    }
    expect(got).toBeGreaterThanOrEqual(65_000);
    await reader.cancel();
  });

  it('a string chunk in a byte stream keeps the byte order', async () => {
    const html = render(<Page />);
    const at = html.indexOf(' data-splice="Hero.h1 0') + 5; // inside the needle: bytes are held back
    let report: PatchReport | undefined;
    const chunks: unknown[] = [enc.encode(html.slice(0, at)), html.slice(at, at + 40), enc.encode(html.slice(at + 40))];
    const stream = streamOf(chunks as Uint8Array[]).pipeThrough(createPatchStream({ manifest: baseManifest, overrides: [], onReport: (r) => { report = r; } }));
    const parts: string[] = [];
    const reader = stream.getReader();
    for (;;) { const r = await reader.read(); if (r.done) break; parts.push(typeof r.value === 'string' ? r.value : dec.decode(r.value, { stream: true })); }
    expect(splitBootstrap(parts.join('')).html).toBe(stripMarkers(html));
    expect(report!.problems).toEqual([]);
  });
});
