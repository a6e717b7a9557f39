import { escapeHtml, serializeForScript, textOf, attributeOf, isJavaScriptUrl } from '@splice/manifest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import fc from 'fast-check';

describe('escapeHtml', () => {
  it('escapes exactly as React does, for text and attributes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const html = renderToStaticMarkup(createElement('p', { title: s }, s));
        expect(html).toBe(`<p title="${escapeHtml(s)}">${escapeHtml(s)}</p>`);
      }),
      { numRuns: 300 },
    );
  });
  it('keeps the hostile classics inert', () => {
    expect(escapeHtml(`</script><img src=x onerror="alert('1')">&`)).toBe(
      '&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#x27;1&#x27;)&quot;&gt;&amp;',
    );
  });
});

describe('serializeForScript', () => {
  it('cannot break out of a script element and round-trips', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (v, s) => {
        const value = { v, s: s + '</script><!--\u2028\u2029' };
        const out = serializeForScript(value);
        expect(out).not.toMatch(/<|>|\u2028|\u2029/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('values', () => {
  it('renders text like React: numbers as text, null/booleans as nothing, objects refused', () => {
    expect(textOf('a')).toBe('a');
    expect(textOf(0)).toBe('0');
    expect(textOf(null)).toBe('');
    expect(textOf(false)).toBe('');
    expect(textOf({ a: 1 })).toBeUndefined();
    expect(attributeOf(null)).toBeNull();
    expect(attributeOf(true)).toBeUndefined();
  });
  it('spots javascript: URLs the way React does', () => {
    expect(isJavaScriptUrl('javascript:alert(1)')).toBe(true);
    expect(isJavaScriptUrl(' \u0001JaVa\tscript:x')).toBe(true);
    expect(isJavaScriptUrl('https://x/javascript:')).toBe(false);
  });
});
