/**
 * `style` objects as react-dom/server writes them: the property lists against React itself, and
 * generated style objects (fast-check) against React's attribute, byte for byte.
 */
import fc from 'fast-check';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { PX_STYLES, UNITLESS_STYLES, escapeHtml, styleName, styleOf } from '@splice/manifest';

/** The style attribute React writes for `style`, as it appears in the HTML (escaped), or null for none. */
function reactStyle(style: Record<string, unknown>): string | null {
  const html = renderToString(createElement('div', { style }));
  const m = /^<div style="([^"]*)"><\/div>$/.exec(html);
  if (m) return m[1]!;
  expect(html).toBe('<div></div>');
  return null;
}

const text = (v: unknown): string => '' + (v as string);

describe('style objects as React writes them', () => {
  it('the properties that take plain numbers take them in React too', () => {
    for (const name of UNITLESS_STYLES) expect([name, reactStyle({ [name]: 2 })]).toEqual([name, `${styleName(name)}:2`]);
  });

  it('the properties that get px get px in React too', () => {
    for (const name of PX_STYLES) expect([name, reactStyle({ [name]: 2 })]).toEqual([name, `${styleName(name)}:2px`]);
  });

  it('names: camelCase hyphenated, vendor prefixes, custom properties as they are', () => {
    expect(styleName('backgroundColor')).toBe('background-color');
    expect(styleName('WebkitTransition')).toBe('-webkit-transition');
    expect(styleName('msTransform')).toBe('-ms-transform');
    expect(styleName('--brand-color')).toBe('--brand-color');
  });

  it('a number for a property whose unit is not known throws (the edge refuses it)', () => {
    expect(() => styleOf([['transitionDuration', 3]], text)).toThrow(/unit is not known/);
    expect(styleOf([['transitionDuration', '3s']], text)).toBe('transition-duration:3s');
  });

  it('generated style objects: the same attribute as React, or none', () => {
    const stringKeys = ['color', 'display', 'backgroundColor', 'transitionDuration', 'WebkitTransition', 'msTransform', '--gap', '--brand-color'];
    const numberKeys = [...PX_STYLES, ...UNITLESS_STYLES];
    const stringValue = fc.oneof(fc.constantFrom('', ' ', ' red ', 'a"b', '<x>&', 'calc(1px + 2%)', '0'), fc.string({ maxLength: 6 }));
    const numberValue = fc.oneof(fc.constantFrom(0, -0, 1, -1.5, 1e21, 0.1), fc.integer());
    const other = fc.constantFrom<unknown>(null, undefined, true, false);
    const entry = fc.oneof(
      fc.tuple(fc.constantFrom(...stringKeys), fc.oneof(stringValue, other)),
      fc.tuple(fc.constantFrom(...numberKeys), fc.oneof(numberValue, stringValue, other)),
      // A custom property with a number: written as it is.
      fc.tuple(fc.constantFrom('--n', '--size'), numberValue),
    );
    fc.assert(fc.property(fc.uniqueArray(entry, { selector: ([k]) => k, maxLength: 6 }), (entries) => {
      const style = Object.fromEntries(entries);
      const ours = styleOf(entries as [string, unknown][], text);
      expect(ours === null ? null : escapeHtml(ours)).toBe(reactStyle(style));
    }), { numRuns: 1000 });
  });
});
