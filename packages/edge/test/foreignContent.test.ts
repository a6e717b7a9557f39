/**
 * Where the tokenizer depends on the tree builder: foreign content (SVG, MathML), integration
 * points, break-outs, and `/>` on raw-text elements. Each case puts one marked element after a
 * construct and says whether the browser reads it as markup (then it is a real marker: removed
 * and indexed) or as text (left byte for byte). Expectations follow the HTML standard's tree
 * construction rules, written out here independently of the scanner.
 */
import { preparePageSync } from '@splice/edge';

const MARKED = '<h2 data-splice="Card.c1 2 _R_1_">x</h2>';
const dec = new TextDecoder();

function scan(html: string) {
  const { html: out, index } = preparePageSync(html);
  return { out: dec.decode(out), sites: index.sites.length, closer: index.closer };
}

const MARKUP: [string, string][] = [
  ['SVG <style> holds markup', `<svg><style>${MARKED}</style></svg>`],
  ['SVG <script> holds markup', `<svg><script>${MARKED}</script></svg>`],
  ['MathML <style> holds markup', `<math><style>${MARKED}</style></math>`],
  ['a self-closed <style/> inside SVG is empty', `<svg><style/>${MARKED}</svg>`],
  ['</svg> ends foreign content: a later <style> is raw text again, and ends', `<svg><g></g></svg><style>p{}</style>${MARKED}`],
  ['<![CDATA[ in HTML is a bogus comment ending at the first >', `<![CDATA[ x >${MARKED}`],
  ['<font> without color/face/size stays foreign: its <style> holds markup', `<svg><font><style>${MARKED}</style></font></svg>`],
];

const TEXT: [string, string][] = [
  ['<script/> opens a script all the same', `<script/>var s='${MARKED}'</script>`],
  ['<style/> opens raw text all the same', `<style/>${MARKED}</style>`],
  ['<textarea/> opens RCDATA all the same', `<textarea/>${MARKED}</textarea>`],
  ['SVG <foreignObject> holds HTML: its <style> is raw text', `<svg><foreignObject><style>${MARKED}</style></foreignObject></svg>`],
  ['SVG <desc> holds HTML', `<svg><desc><script>${MARKED}</script></desc></svg>`],
  ['MathML <mi> holds HTML', `<math><mi><style>${MARKED}</style></mi></math>`],
  ['MathML annotation-xml with an HTML encoding holds HTML', `<math><annotation-xml encoding="Text/HTML"><style>${MARKED}</style></annotation-xml></math>`],
  ['<p> breaks out of SVG: the <style> after it is raw text', `<svg><g><p><style>${MARKED}</style></p></g></svg>`],
  ['<font color> breaks out of SVG', `<svg><font color="red"><style>${MARKED}</style></font></svg>`],
  ['</p> breaks out of SVG', `<svg><g></p><style>${MARKED}</style></g></svg>`],
  ['CDATA in SVG runs to ]]>, past any >', `<svg><![CDATA[ > ${MARKED} ]]></svg>`],
  // An HTML end tag walks the stack from the current node and stops at a foreign integration
  // point (special, and a scope boundary): `</div>` inside <foreignObject> closes nothing.
  ['an HTML end tag does not close past <foreignObject>: the SVG is still open, its CDATA still CDATA',
    `<div><svg><foreignObject></div></foreignObject><![CDATA[ > ${MARKED} ]]></svg></div>`],
  ['an HTML end tag does not close past MathML <mi>', `<span><math><mi></span></mi><![CDATA[ > ${MARKED} ]]></math></span>`],
];

describe('foreign content and raw-text elements, as the browser reads them', () => {
  it.each(MARKUP)('markup: %s', (_, html) => {
    const { out, sites } = scan(html);
    expect(sites).toBe(1);
    expect(out).toBe(html.replace(' data-splice="Card.c1 2 _R_1_"', ''));
  });

  it.each(TEXT)('text: %s', (_, html) => {
    const { out, sites } = scan(html);
    expect(sites).toBe(0);
    expect(out).toBe(html);
  });

  it('a page that ends in foreign content or a template gets closers for them', () => {
    expect(scan('<svg><g>').closer).toBe('</svg>');
    expect(scan('<svg><![CDATA[ x').closer).toBe(']]></svg>');
    expect(scan('<template><div>').closer).toBe('</template>');
    expect(scan('<template><template><p title="x').closer).toBe('"></template></template>');
  });

  it('a start tag over the tag limit keeps its name when it spans chunks (a long <script> still opens a script)', () => {
    const html = `<script data-pad="${'x'.repeat(70_000)}">var s='${MARKED}'</script>`;
    for (const size of [8192, 1000, html.length]) {
      const bytes = new TextEncoder().encode(html);
      // Through the streaming scanner at this chunk size.
      const { SourceScanner } = jest.requireActual('../src/scanHtml') as typeof import('../src/scanHtml');
      const scanner = new SourceScanner({ tagBytes: 64 * 1024, markerValueBytes: 512 });
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) pieces.push(...scanner.push(bytes.subarray(i, i + size)));
      pieces.push(...scanner.finish());
      expect(scanner.index.sites).toHaveLength(0);
      expect(dec.decode(Buffer.concat(pieces))).toBe(html);
    }
  });
});
