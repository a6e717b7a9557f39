import { renderToString } from 'react-dom/server';
import { SpliceProvider, useSpliceProps } from '@splice/client';
import type { Override } from '@splice/client';
import { parseMarker } from '@splice/manifest';

const ref = { key: 'Card.abc', name: 'Card', file: 'src/Card.tsx' };

function Card(input: { title: string; a?: string; b?: string }) {
  const s = useSpliceProps(ref, input);
  const { title, a, b } = s.props;
  return (
    <div data-splice={s.marker(0)}>
      <h2 data-splice={s.marker(1)}>{title}</h2>
      <p data-splice={s.marker(2, [a, b])}>{a}{' '}{b}</p>
    </div>
  );
}

function Page({ overrides }: { overrides?: Override[] }) {
  return (
    <SpliceProvider overrides={overrides}>
      <Card title="one" />
      <Card title="two" />
      <Card title="three" />
    </SpliceProvider>
  );
}

describe('useSpliceProps on the server', () => {
  it('renders the default props with markers and no provider needed', () => {
    const html = renderToString(<Card title="x" a="A" />);
    const markers = [...html.matchAll(/data-splice="([^"]*)"/g)].map((m) => parseMarker(m[1]!));
    expect(markers.map((m) => m && [m.key, m.element, m.mask])).toEqual([
      ['Card.abc', 0, undefined],
      ['Card.abc', 1, undefined],
      ['Card.abc', 2, '10'],
    ]);
    expect(new Set(markers.map((m) => m!.instance)).size).toBe(1);
    expect(html).toContain('<h2 data-splice="Card.abc 1 ');
  });

  it('applies an override to every instance, by name, path#name or key', () => {
    for (const component of ['Card', 'src/Card.tsx#Card', 'Card.abc']) {
      const html = renderToString(<Page overrides={[{ component, props: { title: 'X' } }]} />);
      expect(html.match(/>X<\/h2>/g)).toHaveLength(3);
    }
    const other = renderToString(<Page overrides={[{ component: 'Other', props: { title: 'X' } }]} />);
    expect(other).not.toContain('>X<');
  });

  it('applies an instance override to the n-th instance in document order only', () => {
    const html = renderToString(<Page overrides={[{ component: 'Card', instance: 1, props: { title: 'X' } }]} />);
    expect([...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual(['one', 'X', 'three']);
  });

  it('applies overrides in order, later props winning', () => {
    const html = renderToString(
      <Page overrides={[{ component: 'Card', props: { title: 'A' } }, { component: 'Card', instance: 2, props: { title: 'B' } }]} />,
    );
    expect([...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual(['A', 'A', 'B']);
  });

  it('records in the mask which text holes render empty', () => {
    const html = renderToString(<Page overrides={[{ component: 'Card', props: { a: '', b: 'B' } }]} />);
    expect(html).toMatch(/<p data-splice="Card\.abc 2 \S+ #0 01"> <!-- -->B<\/p>/);
  });

  // An array of strings renders one text node per string: the edge, reading the base page's
  // runs by the mask, would take the second run of `a` for `b`'s and drop it when `b` changes.
  it('leaves the mask out when a text hole renders two text runs', () => {
    const arrays = renderToString(<Card title="x" a={['x', ' '] as unknown as string} b={[] as unknown as string} />);
    expect(arrays).toContain('>x<!-- --> <!-- --> </p>');
    const marker = parseMarker(/<p data-splice="([^"]*)"/.exec(arrays)![1]!);
    expect(marker).toMatchObject({ key: 'Card.abc', element: 2 });
    expect(marker!.mask).toBeUndefined();
    const one = renderToString(<Card title="x" a={['x'] as unknown as string} b={[null, ''] as unknown as string} />);
    expect(parseMarker(/<p data-splice="([^"]*)"/.exec(one)![1]!)!.mask).toBe('10');
  });
});
