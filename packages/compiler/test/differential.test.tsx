/**
 * The differential oracle: a compiled component renders the same HTML as the original, apart
 * from its `data-splice` markers, and the manifest describes the bytes those markers point at.
 */
import { transformSync } from '@babel/core';
import * as React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import { renderToString } from 'react-dom/server';
import {
  MARKER_ATTRIBUTE, TEXT_SEPARATOR, attributeOf, escapeHtml, evaluateExpr, parseMarker, textOf,
  type ComponentEntry, type ComponentRef, type JsonValue,
} from '@splice/manifest';
import { compileFixture, listFixtures } from './helpers';

type Props = Record<string, JsonValue>;

/** A stand-in for @splice/client: same props through, markers in the documented format. */
const stubRuntime = {
  useSpliceProps(ref: ComponentRef, props: Props) {
    const id = React.useId();
    return {
      props,
      marker(n: number, texts?: unknown[]) {
        if (texts === undefined) return `${ref.key} ${n} ${id}`;
        const mask = texts.map((v) => (textOf(v as JsonValue) === '' ? '0' : '1')).join('');
        return `${ref.key} ${n} ${id} ${mask}`;
      },
    };
  },
};

function load(code: string, filename: string): Record<string, unknown> {
  const out = transformSync(code, {
    filename,
    babelrc: false,
    configFile: false,
    presets: [['@babel/preset-react', { runtime: 'automatic' }], ['@babel/preset-typescript', { isTSX: true, allExtensions: true }]],
    plugins: ['@babel/plugin-transform-modules-commonjs'],
  });
  const modules: Record<string, unknown> = { react: React, 'react/jsx-runtime': jsxRuntime, '@splice/client': stubRuntime };
  const require = (id: string): unknown => {
    if (!(id in modules)) throw new Error(`unexpected import ${id}`);
    return modules[id];
  };
  const module = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', out!.code!)(require, module, module.exports);
  return module.exports;
}

const render = (component: unknown, props: Props): string => renderToString(React.createElement(component as React.FC<Props>, props));
const stripMarkers = (html: string): string => html.replace(new RegExp(` ${MARKER_ATTRIBUTE}="[^"]*"`, 'g'), '');

interface MarkedElement {
  attrs: Map<string, string>;
  content: string;
  mask: string | undefined;
}

/** Every element carrying a marker for `key`/`index`, with its attributes and (text-only) content. */
function markedElements(html: string, key: string, index: number, tag: string): MarkedElement[] {
  const found: MarkedElement[] = [];
  const startTag = new RegExp(`<${tag}((?: [^\\s=>]+="[^"]*")*)>`, 'g');
  for (const m of html.matchAll(startTag)) {
    const attrs = new Map<string, string>();
    for (const a of m[1]!.matchAll(/ ([^\s=>]+)="([^"]*)"/g)) attrs.set(a[1]!, a[2]!);
    const marker = parseMarker((attrs.get(MARKER_ATTRIBUTE) ?? '').replace(/&quot;/g, '"'));
    if (marker === null || marker.key !== key || marker.element !== index) continue;
    const start = m.index + m[0].length;
    const end = html.indexOf(`</${tag}>`, start);
    found.push({ attrs, content: html.slice(start, end), mask: marker.mask });
  }
  return found;
}

/** The bytes React writes for a text-only element: non-empty texts, escaped, joined by `<!-- -->`. */
function expectedText(entry: NonNullable<ComponentEntry['elements'][number]['text']>, props: Props): string {
  return entry
    .map((item) => (item.kind === 'static' ? item.value : (textOf(evaluateExpr(item.expr, props)) ?? '')))
    .filter((s) => s !== '')
    .map(escapeHtml)
    .join(TEXT_SEPARATOR);
}

/**
 * Props with a top-level default: the manifest's `prop` hole is exact for every override (an
 * override value is JSON, never `undefined`), but not for a render that leaves the prop out.
 */
const DEFAULTED: Record<string, string[]> = { destructuring: ['subtitle'], typescript: ['subtitle'] };

const cases: Record<string, Props[]> = {
  'text-hole': [{ title: 'Hello <world> & "friends"' }, { title: 42 }, {}],
  destructuring: [{ title: 'T', subtitle: 'S', product: { name: 'N', price: 12 } }, {}],
  'props-member': [{ theme: 'dark', product: { name: `it's` } }],
  'attribute-holes': [{ cls: 'a b', url: '/x?a=1&b=2', id: 7, label: 'L', tip: `it's "quoted"` }, {}],
  'two-text-holes': [{ first: 'Ada', last: 'Lovelace' }, { first: '', last: 'Lovelace' }, { first: 'Ada' }, {}],
  'static-and-hole-text': [{ amount: 0, currency: 'EUR' }, { amount: 'x < y' }],
  'arrow-component': [{ label: 'new', name: 'n' }],
  'anonymous-default': [{ text: 't' }],
  memo: [{ name: 'n', text: 't' }],
  typescript: [{ title: 'x', subtitle: 'sub', text: 'small' }, { title: '' }],
  'nested-props': [{ product: { name: 'Lamp', brand: { label: 'ACME' } } }, { product: {} }],
  'prop-in-condition': [{ show: true, title: 'T', tone: 'x' }, { show: false }],
  'map-callback': [{ items: [{ id: 1, label: 'a' }, { id: 2, label: 'b' }], cls: 'list', itemClass: 'it' }],
  hooks: [{ label: 'Count', initial: 3 }],
  roots: [{ ok: false, message: 'bad' }, { ok: true, message: 'fine', label: 'L' }],
  'spread-attributes': [{ label: 'Go', cls: 'btn', type: 'submit' }],
  'reassigned-prop': [{ title: '  t  ', note: 'n' }],
};

describe('differential: compiled output renders the original HTML, and the manifest describes it', () => {
  const fixtures = listFixtures().filter((f) => f.name in cases);
  it('covers every listed case', () => {
    expect(fixtures.map((f) => f.name).sort()).toEqual(Object.keys(cases).sort());
  });

  for (const fixture of fixtures) {
    it(fixture.name, () => {
      const result = compileFixture(fixture);
      expect(result.changed).toBe(true);
      const original = load(fixture.source, fixture.inputFile);
      const compiled = load(result.code, fixture.inputFile);
      const entries = Object.entries(result.components);
      let checkedElements = 0;

      for (const props of cases[fixture.name]!) {
        for (const [exportName, component] of Object.entries(original)) {
          if (exportName === '__esModule') continue;
          const before = render(component, props);
          const after = render(compiled[exportName], props);
          expect(after).toContain(` ${MARKER_ATTRIBUTE}="`);
          expect(stripMarkers(after)).toBe(before);

          if ((DEFAULTED[fixture.name] ?? []).some((p) => !(p in props))) continue;
          for (const [key, entry] of entries) {
            entry.elements.forEach((element, index) => {
              for (const found of markedElements(after, key, index, element.tag)) {
                checkedElements++;
                if (element.text) {
                  expect(found.content).toBe(expectedText(element.text, props));
                  const holes = element.text.filter((t) => t.kind === 'hole').length;
                  expect(found.mask?.length).toBe(holes >= 2 ? holes : undefined);
                }
                for (const attr of element.attrs) {
                  if (!attr.hole) continue;
                  const value = attributeOf(evaluateExpr(attr.hole, props));
                  expect(found.attrs.get(attr.name)).toBe(value === null || value === undefined ? undefined : escapeHtml(value));
                }
              }
            });
          }
        }
      }
      expect(checkedElements).toBeGreaterThan(0);
    });
  }
});
