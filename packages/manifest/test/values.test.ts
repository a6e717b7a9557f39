/**
 * attributeOf against react-dom/server itself: for every boolean attribute the edge may write,
 * and every kind of JSON value, the bytes React writes are the bytes the edge would write.
 */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { attributeOf, BOOLEAN_HTML, escapeHtml, textMask, textRuns } from '../src/index';
import type { JsonValue } from '../src/index';

// NaN and -0 are no JSON, but the IR computes them (`Number(x)`, `-x`, `x * 2`) before attributeOf sees them.
const VALUES: JsonValue[] = [true, false, 'x', '', 'false', 'until-found', 0, 1, -1, 0.5, NaN, -0, Infinity, null, {}, [], [0], { a: 1 }];
// A tag where each attribute means something, so React writes it as it would in an app.
const TAG: Record<string, string> = { async: 'div', defer: 'div', default: 'track', controls: 'video', loop: 'video', open: 'details', reversed: 'ol', seamless: 'iframe', credentialless: 'iframe' };

/** The start tag's attributes as React writes them, and as the edge would (` name="value"`, or nothing). */
function react(name: string, value: JsonValue): string {
  const html = renderToString(createElement(TAG[name] ?? 'div', { [name]: value }));
  return /^<\w+([^>]*?)\/?>/.exec(html)![1]!;
}
function edge(name: string, value: JsonValue): string {
  const v = attributeOf(value, name);
  return v === null || v === undefined ? '' : ` ${name}="${escapeHtml(v)}"`;
}

describe('boolean attributes', () => {
  const error = console.error;
  beforeAll(() => { console.error = () => undefined; });
  afterAll(() => { console.error = error; });

  it.each([...BOOLEAN_HTML])('%s: the edge writes what react-dom/server writes, for every JSON value', (name) => {
    for (const value of VALUES) expect([value, edge(name, value)]).toEqual([value, react(name, value)]);
  });
});

describe('textRuns against react-dom/server', () => {
  const CHILDREN: unknown[] = ['', 'a', 0, -0, 1.5, 10n, null, undefined, true, false, [], ['a'], ['a', 'b'], ['', null, 'a'], [['a'], ['', ['b']]], [false, 0]];
  it.each(CHILDREN.map((c) => [c]))('%p', (child) => {
    const html = renderToString(createElement('p', null, 'x', child as never, 'y'));
    const inner = /^<p>(.*)<\/p>$/.exec(html)![1]!;
    // The runs between the two static ones.
    expect(textRuns(child)).toBe(inner.split('<!-- -->').length - 2);
  });
  it('a mask only where every hole wrote one run or none', () => {
    expect(textMask(['a', '', null, 3])).toBe('1001');
    expect(textMask(['a', ['b', 'c']])).toBeUndefined();
    expect(textMask([{}, 'a'])).toBeUndefined();
    expect(textMask([['b'], []])).toBe('10');
  });
});
