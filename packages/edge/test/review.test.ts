/**
 * Adversarial review of the streaming patcher (scanHtml, splice, pageIndex, patchStream).
 *
 * Each test pins down a defect an adversarial review found (all fixed since) and says which rule
 * of the HTML standard (tokenizer / tree construction) or which documented promise it is about.
 * The `property` tests at the end: chunking and path independence over generated HTML-ish
 * pages, and garbage input cut into 1-byte chunks.
 */
import fc from 'fast-check';
import { createElement } from 'react';
import { BOOTSTRAP_ELEMENT_ID } from '@splice/manifest';
import type { Override } from '@splice/manifest';
import { patchHtml, preparePageSync, validatePageIndex } from '@splice/edge';
import type { PageIndex, PatchReport } from '@splice/edge';
import { Page, manifest, render } from './fixtures';
import { bytesOneByOne, collect, cut, dec, enc, streamOf } from './helpers';

const BOOT_OPEN = `<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">`;
/** A forged marked element: in raw text it is text and must come out byte for byte. */
const FAKE = '<h2 data-splice="Card.c1 2 _R_f_">Fake</h2>';
/** A real card as React writes it (markers in). */
const CARD = '<div data-splice="Card.c1 0 _R_1_" class="card card-plain" id="c"><h2 data-splice="Card.c1 2 _R_1_">Tea</h2></div>';
const NAME_X: Override[] = [{ component: 'Card', props: { name: 'X' } }];

interface Run { html: string; report: PatchReport; error?: unknown }

async function run(chunks: Uint8Array[], options: Record<string, unknown>): Promise<Run> {
  let report: PatchReport | undefined;
  try {
    const bytes = await collect(patchHtml(streamOf(chunks), { manifest, overrides: NAME_X, ...options, onReport: (r: PatchReport) => { report = r; } } as never));
    return { html: dec.decode(bytes), report: report as PatchReport };
  } catch (error) {
    return { html: '', report: report as PatchReport, error };
  }
}

function scan(html: string, limits?: Record<string, number>) {
  const p = preparePageSync(html, limits);
  return { base: dec.decode(p.html), index: p.index, problems: p.problems };
}

/** The fixture page with extra React children (raw HTML, as `dangerouslySetInnerHTML` writes it) at the end of <main>. */
function pageWith(...raw: [tag: string, html: string][]): string {
  const children = raw.map(([tag, html], key) => createElement(tag, { key, dangerouslySetInnerHTML: { __html: html } }));
  return render(createElement(Page, null, ...children));
}

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('scanner context vs the WHATWG tokenizer + tree builder', () => {
  it('scan: an end tag for an HTML element open around an unclosed <svg> ends foreign content (React page, raw HTML "<svg>")', async () => {
    // `<div dangerouslySetInnerHTML={{__html: '<svg>'}}/>` writes `<div><svg></div>`. Tree
    // construction, "any other end tag" in foreign content: walk up past foreign elements to the
    // first HTML element, then process `</div>` by "in body" rules: div is in scope, so svg and div
    // are popped. The following <script> is an HTML script (script data). The scanner never
    // tracks HTML elements, keeps svg open, reads <script> as an SVG element (markup) and removes
    // and PATCHES the forged marker inside the JavaScript string.
    const js = `var s = "${FAKE}";`;
    const source = pageWith(['div', '<svg>'], ['script', js]);
    const out = await run([enc.encode(source)], {});
    expect(out.html).toContain(`<script>${js}</script>`); // actual: var s = "<h2>X</h2>";
  });

  it.each([
    ['</div>', `<div><svg></div><script>"${FAKE}"</script>`],
    ['</div> with an unclosed <p> in between (</div> has its own rule: in scope, implied end tags pop the p)', `<div><p><svg></div><style>${FAKE}</style>`],
    ['</div> then a non-breakout <footer>', `<div><svg></div><footer><style>${FAKE}</style></footer>`],
    ['</annotation-xml> (an HTML element outside <math>)', `<annotation-xml><svg></annotation-xml><xmp>${FAKE}</xmp>`],
    ['</font> (HTML font)', `<font><svg></font><textarea>${FAKE}</textarea>`],
    ['</g> (an HTML <g/>: the self-closing flag is ignored in HTML)', `<g/><math></g><title>${FAKE}</title>`],
    ['</template> (in head rules: pop until the template)', `<template><svg></template><script>"${FAKE}"</script>`],
  ])('scan: foreign content closed by an HTML end tag: %s', (_, html) => {
    const { base, index } = scan(html);
    expect(base).toBe(html); // the forged marker is raw text / RCDATA in the browser
    expect(index.sites).toHaveLength(0);
  });

  it('scan: after <template><svg></template> the real </body> is missed', () => {
    // Same root cause: `</template>` in foreign content reaches the HTML template and pops it
    // (with the svg), but the scanner keeps templateDepth at 1, so it ignores the real </body>.
    const source = pageWith(['template', '<svg>']);
    const { base, index } = scan(source);
    expect(index.bodyEnd).toBe(base.lastIndexOf('</body>')); // actual: -1
  });

  it('(guard for the open-element stack): 1100 unclosed elements inside <template> must not make its </body> count', () => {
    // "in template" ignores </body>. A bounded stack that drops its oldest frames (the template)
    // would take the </body> inside it for the real one, and put the bootstrap in template contents.
    const html = `<body>${CARD}<template>${'<div>'.repeat(1100)}</body></template></body>`;
    const { base, index } = scan(html);
    expect(index.bodyEnd).toBe(base.lastIndexOf('</body>'));
  });

  it('scan: </foreignObject> is ignored while an HTML element is open inside it', () => {
    // The current node is the HTML <p>: the end tag goes to "in body", "any other end tag": p is
    // special, so the token is ignored. foreignObject (an HTML integration point) stays open and
    // <style> is HTML raw text. The scanner pops to <svg> and reads <style> as SVG markup.
    const html = `<svg><foreignObject><p></foreignObject><style>${FAKE}</style></foreignObject></svg>`;
    const { base, index } = scan(html);
    expect(base).toBe(html);
    expect(index.sites).toHaveLength(0);
  });

  it('scan: <svg> directly inside MathML <annotation-xml> is an SVG element', () => {
    // Tree construction dispatcher: "adjusted current node is a MathML annotation-xml element and
    // the token is a start tag whose tag name is svg" → insertion mode (HTML) rules → SVG <svg>.
    // Its <foreignObject> is an HTML integration point, so <style> is raw text. The scanner makes
    // it a MathML "svg" (foreignObject no integration point) and removes the marker in the style.
    const html = `<math><annotation-xml><svg><foreignObject><style>${FAKE}</style></foreignObject></svg></annotation-xml></math>`;
    const { base, index } = scan(html);
    expect(base).toBe(html);
    expect(index.sites).toHaveLength(0);
  });

  it('scan: the annotation-xml encoding is read into the marker buffer: markerValueBytes < 21 misses application/xhtml+xml', () => {
    // `encoding="application/xhtml+xml"` (ASCII case-insensitive) makes annotation-xml an HTML
    // integration point whatever the limits: <style> is raw text. With markerValueBytes: 16 the
    // value overflows the buffer, the scanner reads <style> as MathML markup.
    const html = `<math><annotation-xml encoding="application/xhtml+xml"><style>${FAKE}</style></annotation-xml></math>`;
    expect(scan(html).base).toBe(html); // default limits: right
    const small = scan(html, { markerValueBytes: 16 });
    expect(small.base).toBe(html); // actual: marker removed
    expect(small.index.sites).toHaveLength(0);
  });

  it('scan: a repeated encoding attribute: the browser keeps the first, the scanner any text/html', () => {
    // Tokenizer: a duplicate attribute is dropped. encoding="x" wins: no integration point, <style>
    // is MathML markup, <h2> breaks out as a real element, and its marker reaches the browser.
    const html = `<math><annotation-xml encoding="x" encoding="text/html"><style>${FAKE}</style></annotation-xml></math>`;
    expect(scan(html).base).not.toContain('data-splice'); // contract 1: no marker is delivered
  });

  it.each([
    // `<foreignObject a=x data-splice="…"/>` is self-closing; without the marker `a=x/>` reads
    // `/` as part of the unquoted value (attribute value (unquoted) state appends it): foreignObject
    // stays open, <style> is HTML raw text, but its forged marker was removed.
    // (Kept self-closing, <style> is SVG markup and the <h2> in it breaks out as an HTML element:
    // its marker is real and removed, as parse5 also builds it.)
    ['<foreignObject a=x …/> becomes open', `<svg><foreignObject a=x data-splice="Card.c1 2 _R_q_"/><style>${FAKE}</style></svg>`, `<foreignObject a=x /><style>${FAKE.replace(/ data-splice="[^"]*"/, '')}</style>`],
    // The other way: `<svg a=x/>` is an open svg, so <style> is SVG markup and the <h2> marker in
    // it is real: it reaches the browser.
    ['<svg a=x …/> becomes open', `<svg a=x data-splice="Card.c1 2 _R_q_"/><style>${FAKE}</style>`, '<svg a=x />'],
    ['a valueless marker: <svg a=x data-splice/>', `<svg a=x data-splice/><style>${FAKE}</style>`, '<svg a=x />'],
  ])('scan: cutting a marker between an unquoted value and "/>" changes the tag: %s', (_, html, expected) => {
    const { base } = scan(html);
    expect(base).not.toMatch(/a=x\/>/);
    expect(base).toContain(expected);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('bootstrap placement', () => {
  it('scan: a <template> inside an HTML integration point is not counted: its </body> takes the bootstrap', async () => {
    // In "in template" mode `</body>` is ignored, and template contents are a DocumentFragment
    // that getElementById never sees. templateDepth is only counted outside foreign content.
    const source = render(createElement(Page)) + '<svg><foreignObject><template></body></template></foreignObject></svg>';
    const out = await run([enc.encode(source)], {});
    expect(out.html).toContain(`</script></body></html><svg>`);
    expect(out.html).not.toContain(`<template>${BOOT_OPEN}`);
  });

  it.each([
    ['script', '</script'], ['script/', '</script'], ['textarea', '</textarea'], ['title', '</title'], ['style', '</style'],
    ['template', '</template'], ['plaintext', null],
  ])('closer: a page that ends inside the start tag <%s gets the bootstrap as text', async (open, mustClose) => {
    // The closer of a start tag is `>`, which completes it: the tree builder then switches the
    // tokenizer to script data / RCDATA / RAWTEXT / PLAINTEXT (or puts what follows in template
    // contents), so the bootstrap is not an element. The closer must also close the element
    // (and after `<plaintext` nothing can follow: no bootstrap).
    const full = render(createElement(Page));
    const source = full.slice(0, full.indexOf('</main>')) + `<${open}`;
    const out = await run([enc.encode(source)], {});
    const at = out.html.indexOf(BOOT_OPEN);
    if (mustClose === null) { expect(at).toBe(-1); return; }
    expect(at).toBeGreaterThan(0);
    const tail = out.html.slice(out.html.lastIndexOf(`<${open}`, at - 1), at);
    expect(tail.toLowerCase()).toContain(mustClose);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('page index validation and the splicer', () => {
  const source = render(createElement(Page));
  const prepared = preparePageSync(source);
  const copy = (): PageIndex => JSON.parse(JSON.stringify(prepared.index)) as PageIndex;

  /** A refused index: the base page passes through untouched, with the reason. */
  async function refused(index: PageIndex, why: RegExp): Promise<void> {
    expect(() => validatePageIndex(index)).toThrow(why);
    const out = await run([prepared.html], { index });
    expect(out.error).toBeUndefined();
    expect(out.html).toBe(dec.decode(prepared.html));
    expect(out.report.problems.join()).toMatch(why);
  }

  it('index: a closer the scan never writes is refused (it would be written into the page)', async () => {
    const index = copy();
    index.bodyEnd = -1;
    index.closer = '<img src=x onerror="alert(1)">';
    await refused(index, /closer is not one the scan writes/);
  });

  it('splicer: the </body> check waits for its bytes, so the output does not depend on the chunking', async () => {
    // An index of another page (here: bodyEnd 2 bytes off, at the `b` of `</body>`): refused
    // whole and whatever the chunking, never written inside the end tag.
    const index = copy();
    index.bodyEnd += 2;
    const whole = await run([prepared.html], { index });
    const chunked = await run(cut(prepared.html, [index.bodyEnd]), { index });
    // Never written inside the end tag. Changed on purpose (docs/contracts.md, Changes): the
    // cards were written before the mismatch, so the bootstrap still tells them; the page's real
    // </body> had gone out by then, so it goes after the last byte (it used to be left out).
    const page = new TextDecoder().decode(prepared.html);
    expect(whole.html.startsWith(page.replace(/<h2>Tea<\/h2>|<h2>Coffee<\/h2>|<h2>Cocoa<\/h2>/g, '<h2>X</h2>'))).toBe(true);
    expect(whole.html.indexOf(BOOT_OPEN)).toBe(page.length - 'Tea'.length - 'Coffee'.length - 'Cocoa'.length + 3);
    expect(whole.report.problems.join()).toMatch(/page index does not match the page at its <\/body>/);
    expect(chunked.html).toBe(whole.html);
  });

  it('index: an instances array with a hole is refused (the stream never errors)', async () => {
    const index = copy();
    const instances = index.instances;
    index.instances = new Array(instances.length);
    instances.forEach((inst, i) => { if (i !== 2) index.instances[i] = inst; });
    await refused(index, /instances\[2\] is malformed/);
  });

  // A gap is fine: an instance that rendered nothing has no marker, but keeps its ordinal.
  it.each([
    ['a duplicate (ordinals 0, 0, 2)', (ix: PageIndex) => { ix.instances[3]!.ordinal = 0; }],
    ['a decrease (ordinals 0, 2, 1)', (ix: PageIndex) => { ix.instances[3]!.ordinal = 2; ix.instances[4]!.ordinal = 1; }],
    ['a huge ordinal (2^31)', (ix: PageIndex) => { ix.instances[4]!.ordinal = 2 ** 31; }],
  ])('index: card ordinals with %s are refused (nothing patched that the client would not be told of)', async (_, edit) => {
    const index = copy();
    edit(index);
    await refused(index, /out of order/);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('property: chunking and path independence, garbage (passing)', () => {
  const FRAGMENTS = [
    CARD, CARD.replace(/_R_1_/g, '_R_2_'), '<h2 data-splice="Card.c1 2 _R_3_">x</h2>', '<h2 data-splice="Card.c1 2 _R_1_">A<!-- -->B</h2>',
    '<svg>', '</svg>', '<svg/>', '<math>', '</math>', '<foreignObject>', '</foreignObject>', '<mi>', '<annotation-xml encoding="text/html">',
    '<div>', '</div>', '<p>', '</p>', '<font color=red>', '<template>', '</template>', '<script>', '</script>', '<SCRIPT/>', '</script\t>',
    '<style>', '</style>', '<textarea>', '</textarea>', '<title>', '</title>', '<!--', '-->', '--!>', '<!-->', '<!--->', '<!---->', '<![CDATA[', ']]>',
    '<!x', '<?x', '>', '<', '</', '"', "'", ' ', '-', '/', '=', '</body>', '</BODY >', '</body', '<plaintext>', 'x', '\0', '\f', '<!--<script>',
    '<a title="', '<h2', ' data-splice="Card.c1 2 _R_9_"', ' data-splice', '/>', 'é', '😀', '<!-- -->', '</script x="</body>">',
  ];
  const page = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 16 }).map((a) => a.join(''));
  const opts = { overrides: [...NAME_X, { component: 'Card', instance: 1, props: { badge: 'b' } }], assignments: { a: 'b' } };

  it('whole = any chunking = 1-byte chunks = preparePageSync + index (bytes, index, problems)', async () => {
    await fc.assert(fc.asyncProperty(page, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), async (src, points, oneByOne) => {
      const bytes = enc.encode(src);
      const chunking = (b: Uint8Array) => (oneByOne ? bytesOneByOne(b) : cut(b, points.map((p) => p % (b.length + 1))));
      const whole = await run([bytes], opts);
      const chunked = await run(chunking(bytes), opts);
      expect(chunked.html).toBe(whole.html);
      expect(chunked.report.index).toEqual(whole.report.index);
      expect(chunked.report.problems).toEqual(whole.report.problems);
      const prepared = preparePageSync(bytes);
      expect(whole.report.index).toEqual(prepared.index);
      expect((await run([prepared.html], { ...opts, index: prepared.index })).html).toBe(whole.html);
      expect((await run(chunking(prepared.html), { ...opts, index: prepared.index })).html).toBe(whole.html);
      expect(whole.report.problems.filter((p) => /internal error/.test(p))).toEqual([]);
    }), { numRuns: 700 });
  }, 20_000);

  it('random bytes in 1-byte chunks: no throw, no internal error, same bytes as whole', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
      const whole = await run([bytes], opts);
      const ones = await run(bytesOneByOne(bytes), opts);
      expect(whole.error).toBeUndefined();
      expect(ones.html).toBe(whole.html);
      expect([...whole.report.problems, ...ones.report.problems].filter((p) => /internal error/.test(p))).toEqual([]);
    }), { numRuns: 300 });
  }, 20_000);
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('marked elements after the </body> that takes the bootstrap (contract 6)', () => {
  // HTML may go on after `</body>` (the parser puts it back in the body); the bootstrap is
  // already out by then, so only what it told the client may be written there.
  const CARD_2 = CARD.replace(/_R_1_/g, '_R_2_');
  const source = `<html><body><p>a</p>${CARD}</body>${CARD_2}</html>`;
  const prepared = preparePageSync(source);

  /** The page from source and from its index, whole and cut into 1-byte chunks: all the same. */
  async function both(overrides: Override[]): Promise<Run> {
    const runs = [
      await run([enc.encode(source)], { overrides }),
      await run(bytesOneByOne(enc.encode(source)), { overrides }),
      await run([prepared.html], { overrides, index: prepared.index }),
      await run(bytesOneByOne(prepared.html), { overrides, index: prepared.index }),
    ];
    for (const r of runs) {
      expect(r.error).toBeUndefined();
      expect(r.html).toBe(runs[0]!.html);
    }
    return runs[0]!;
  }

  function told(html: string): Override[] {
    const at = html.indexOf(BOOT_OPEN);
    if (at < 0) return [];
    return (JSON.parse(html.slice(at + BOOT_OPEN.length, html.indexOf('</script>', at))) as { overrides: Override[] }).overrides;
  }

  it('an override naming an instance there is not written: the bootstrap cannot name it', async () => {
    const out = await both([{ component: 'Card', instance: 1, props: { name: 'X' } }]);
    expect(out.html).not.toContain('<h2>X</h2>');
    expect(told(out.html)).toEqual([]);
    expect(out.report.problems.join()).toMatch(/marked <h2> at \d+: after the <\/body> that takes the bootstrap/);
  });

  it('an override the bootstrap gave every instance is written there too (the client renders it there)', async () => {
    const out = await both(NAME_X);
    expect(out.html.match(/<h2>X<\/h2>/g)).toHaveLength(2);
    expect(told(out.html)).toEqual([{ component: 'Card.c1', props: { name: 'X' } }]);
  });

  it('with no marked element before the </body>, nothing after it is written (no bootstrap is)', async () => {
    const late = `<html><body><p>a</p></body>${CARD}</html>`;
    const p = preparePageSync(late);
    for (const out of [await run([enc.encode(late)], {}), await run([p.html], { index: p.index })]) {
      expect(out.html).toBe(dec.decode(p.html));
      expect(out.report.patchedElements).toBe(0);
    }
  });
});

describe('page index: a </body> inside a marked element', () => {
  it('index: a bodyEnd inside a start tag is refused (the element was written, then its bootstrap refused)', async () => {
    // No scan finds a `</body>` in markup context inside a start tag: an index that says so is
    // another page's, or forged. The page's bytes there spell `</body` all the same.
    const source = '<html><body><div data-splice="Card.c1 0 _R_1_" class="card card-</body>" id="c"></div><p>x</p></body></html>';
    const prepared = preparePageSync(source);
    const base = dec.decode(prepared.html);
    const index = JSON.parse(JSON.stringify(prepared.index)) as PageIndex;
    index.bodyEnd = base.indexOf('</body>');
    expect(() => validatePageIndex(index)).toThrow(/bodyEnd is inside sites\[0\]/);
    const out = await run([prepared.html], { index, overrides: [{ component: 'Card', props: { tone: 'dark' } }] });
    expect(out.error).toBeUndefined();
    expect(out.html).toBe(base);
    expect(out.report.patchedElements).toBe(0);
  });

  it('(guard) a </body> right after a marked element\'s text is its own: accepted', () => {
    const prepared = preparePageSync('<html><body><h2 data-splice="Card.c1 2 _R_1_">Tea</body></html>');
    expect(prepared.index.bodyEnd).toBe(prepared.index.sites[0]!.contentEnd);
    expect(() => validatePageIndex(JSON.parse(JSON.stringify(prepared.index)))).not.toThrow();
  });
});
