/**
 * Boundaries (`<splice-region data-splice="…">`): the source page wraps an instance whose return
 * value is not one host element, and `preparePage` removes both tags. The oracle is React itself:
 * the same tree rendered without the boundaries. Removing a boundary can bring two text nodes
 * together, which React separates with `<!-- -->`; the scan must write exactly those, under any
 * chunking, and record each boundary's range so that its content is what the instance rendered.
 */
import fc from 'fast-check';
import { Fragment, Suspense, createElement } from 'react';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { BOUNDARY_TAG, MARKER_ATTRIBUTE, SLOT_TAG, TEXT_SEPARATOR, formatMarker } from '@splice/manifest';
import { preparePage, preparePageSync, validatePageIndex } from '@splice/edge';
import { collect, cut, dec, streamOf } from './helpers';

/** A tree as data: rendered with boundaries (the source page) or without (the oracle). */
type Node =
  | { t: 'text'; v: string }
  | { t: 'el'; tag: string; kids: Node[] }
  | { t: 'frag'; kids: Node[] }
  | { t: 'null' }
  | { t: 'suspense'; kids: Node[] }
  | { t: 'boundary'; kids: Node[] };

let counter = 0;

function toReact(node: Node, boundaries: boolean, ids: string[]): ReactNode {
  switch (node.t) {
    case 'text': return node.v;
    case 'null': return null;
    case 'el': return createElement(node.tag, null, ...node.kids.map((k) => toReact(k, boundaries, ids)));
    case 'frag': return createElement(Fragment, null, ...node.kids.map((k) => toReact(k, boundaries, ids)));
    case 'suspense': return createElement(Suspense, { fallback: 'loading' }, ...node.kids.map((k) => toReact(k, boundaries, ids)));
    case 'boundary': {
      // Numbered before its content: document order.
      const id = `b${counter++}`;
      if (boundaries) ids.push(id);
      const ordinal = ids.length - 1;
      const inner = createElement(Fragment, null, ...node.kids.map((k) => toReact(k, boundaries, ids)));
      if (!boundaries) return inner;
      return createElement(BOUNDARY_TAG, { [MARKER_ATTRIBUTE]: formatMarker({ key: 'Slot.k', element: 0, instance: id, ordinal }) }, inner);
    }
  }
}

const textArb = fc.constantFrom('a', 'b c', 'x&y', '<', '', ' ', 'é');
const nodeArb: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textArb.map((v): Node => ({ t: 'text', v })),
    fc.constant<Node>({ t: 'null' }),
    fc.record({ tag: fc.constantFrom('b', 'span', 'div', 'p', 'i'), kids: fc.array(tie('node'), { maxLength: 4 }) }).map((r): Node => ({ t: 'el', ...r })),
    fc.array(tie('node'), { maxLength: 4 }).map((kids): Node => ({ t: 'frag', kids })),
    fc.array(tie('node'), { maxLength: 3 }).map((kids): Node => ({ t: 'boundary', kids })),
    fc.array(tie('node'), { maxLength: 2 }).map((kids): Node => ({ t: 'suspense', kids })),
  ),
})).node;

function pages(tree: Node[]): { source: string; oracle: string; ids: string[] } {
  const ids: string[] = [];
  const source = renderToString(createElement('main', null, ...tree.map((n) => toReact(n, true, ids))));
  const oracle = renderToString(createElement('main', null, ...tree.map((n) => toReact(n, false, []))));
  return { source, oracle, ids };
}

/** What one boundary holds, rendered alone (as the edge's renderer would render it). */
function alone(node: Node): string {
  return renderToString(createElement(Fragment, null, toReact(node, false, [])));
}

describe('boundaries are removed exactly as React renders without them', () => {
  it('text around and inside boundaries gets React\'s separators', () => {
    const tree: Node[] = [{ t: 'el', tag: 'p', kids: [
      { t: 'text', v: 'Price: ' },
      { t: 'boundary', kids: [{ t: 'text', v: '$' }, { t: 'text', v: '5' }] },
      { t: 'text', v: ' incl. VAT' },
    ] }];
    const { source, oracle } = pages(tree);
    expect(oracle).toBe('<main><p>Price: <!-- -->$<!-- -->5<!-- --> incl. VAT</p></main>');
    const prepared = preparePageSync(source);
    expect(dec.decode(prepared.html)).toBe(oracle);
    const [inst] = prepared.index.instances;
    // The range holds the separator the scan wrote before the content; the one after is outside.
    expect(dec.decode(prepared.html.subarray(inst!.start, inst!.end))).toBe(`${TEXT_SEPARATOR}$<!-- -->5`);
    expect(prepared.index.sites[0]).toMatchObject({ boundary: true, tag: '', start: inst!.start, tagEnd: inst!.start });
    expect(() => validatePageIndex(prepared.index)).not.toThrow();
  });

  it('an empty boundary between texts leaves one separator; adjacent ones chain', () => {
    const tree: Node[] = [{ t: 'el', tag: 'p', kids: [
      { t: 'text', v: 'a' }, { t: 'boundary', kids: [] }, { t: 'boundary', kids: [{ t: 'boundary', kids: [] }] }, { t: 'text', v: 'b' },
      { t: 'boundary', kids: [{ t: 'text', v: 'c' }] }, { t: 'boundary', kids: [{ t: 'el', tag: 'i', kids: [] }] }, { t: 'text', v: 'd' },
    ] }];
    const { source, oracle } = pages(tree);
    expect(dec.decode(preparePageSync(source).html)).toBe(oracle);
  });

  it('random trees, random chunkings: the base page is React\'s render without boundaries, each range what the boundary rendered', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nodeArb, { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), async (tree, points) => {
        const { source, oracle, ids } = pages(tree);
        const bytes = new TextEncoder().encode(source);
        const whole = preparePageSync(bytes);
        expect(whole.problems).toEqual([]);
        expect(dec.decode(whole.html)).toBe(oracle);
        const chunked = preparePage(streamOf(cut(bytes, points.map((p) => p % (bytes.length + 1)))));
        expect(dec.decode(await collect(chunked.body))).toBe(oracle);
        expect(await chunked.index).toEqual(whole.index);
        expect(() => validatePageIndex(JSON.parse(JSON.stringify(whole.index)))).not.toThrow();
        // Every boundary is indexed, in order, and its range (without a leading separator) is
        // exactly what its content renders alone (Suspense aside: React writes a boundary's
        // fallback markers from where it sits, the same alone).
        expect(whole.index.instances.map((i) => i.id)).toEqual(ids);
        const boundaries: Node[] = [];
        const walk = (n: Node) => { if (n.t === 'boundary') boundaries.push(n); if ('kids' in n) n.kids.forEach(walk); };
        tree.forEach(walk);
        whole.index.instances.forEach((inst, k) => {
          let range = dec.decode(whole.html.subarray(inst.start, inst.end));
          if (range.startsWith(TEXT_SEPARATOR)) range = range.slice(TEXT_SEPARATOR.length);
          expect(range).toBe(alone(boundaries[k]!));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a boundary tag without a marker is the page\'s own element and stays', () => {
    const html = `<main><${BOUNDARY_TAG}>a</${BOUNDARY_TAG}>b</main>`;
    expect(dec.decode(preparePageSync(html).html)).toBe(html);
  });

  it('a boundary with a malformed marker is removed, reported, and not indexed', () => {
    const prepared = preparePageSync(`<p>a<${BOUNDARY_TAG} data-splice="nonsense">b</${BOUNDARY_TAG}>c</p>`);
    expect(dec.decode(prepared.html)).toBe('<p>a<!-- -->b<!-- -->c</p>');
    expect(prepared.index.instances).toEqual([]);
    expect(prepared.problems.join()).toMatch(/malformed marker/);
  });

  it('a boundary the page never closes: its range stays open, the rest passes through', () => {
    const prepared = preparePageSync(`<p>a<${BOUNDARY_TAG} data-splice="K.k 0 i #0">b</p>`);
    expect(dec.decode(prepared.html)).toBe('<p>a<!-- -->b</p>');
    expect(prepared.index.instances[0]).toMatchObject({ id: 'i', end: -1 });
  });

  it('a hostile index cannot make a boundary site point anywhere else', () => {
    const { index } = preparePageSync(`<p>a<${BOUNDARY_TAG} data-splice="K.k 0 i #0">b</${BOUNDARY_TAG}></p>`);
    const bad = JSON.parse(JSON.stringify(index));
    bad.sites[0].start += 1;
    expect(() => validatePageIndex(bad)).toThrow(/malformed boundary/);
    const tagged = JSON.parse(JSON.stringify(index));
    tagged.sites[0].tag = 'script';
    expect(() => validatePageIndex(tagged)).toThrow(/malformed boundary/);
  });

  it('slots: removed like boundaries, their ranges indexed for their instance; one of no instance is reported', () => {
    const source = `<p>a<${BOUNDARY_TAG} data-splice="Box.k 0 i #0">x<${SLOT_TAG} data-splice="Box.k 0 i">y<b>z</b></${SLOT_TAG}></${BOUNDARY_TAG}>w<${SLOT_TAG} data-splice="Other.k 0 j">q</${SLOT_TAG}></p>`;
    const prepared = preparePageSync(source);
    expect(dec.decode(prepared.html)).toBe('<p>a<!-- -->x<!-- -->y<b>z</b>w<!-- -->q</p>');
    expect(prepared.index.slots).toHaveLength(1);
    const [slot] = prepared.index.slots;
    expect(slot).toMatchObject({ instance: 0, n: 0 });
    expect(dec.decode(prepared.html.subarray(slot!.start, slot!.end))).toBe('<!-- -->y<b>z</b>');
    expect(prepared.problems.join()).toMatch(/slot marker .* names no instance/);
    const bad = JSON.parse(JSON.stringify(prepared.index));
    bad.slots[0].end = prepared.index.instances[0]!.end + 1;
    expect(() => validatePageIndex(bad)).toThrow(/slots\[0\]/);
  });
});
