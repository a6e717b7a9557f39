/**
 * The differential oracle: a compiled component renders the same HTML as the original, apart
 * from its `data-splice` markers, and the manifest describes the bytes those markers point at.
 */
import { transformSync } from '@babel/core';
import fc from 'fast-check';
import * as React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import { renderToString } from 'react-dom/server';
import {
  MARKER_ATTRIBUTE, TEXT_SEPARATOR, URL_ATTRIBUTES, attributeOf, entryHoles, escapeHtml, evaluateExpr, exprHosts, exprProps, isJavaScriptUrl, parseMarker, textMask, textOf,
  type ComponentEntry, type ComponentRef, type Expr, type HostName, type JsonValue,
} from '@splice/manifest';
import { compile, type CompileResult } from '@splice/compiler';
import { compileFixture, listFixtures } from './helpers';
import clsx from 'clsx';
import classnames from 'classnames';
import * as tailwindMerge from 'tailwind-merge';
import * as classVarianceAuthority from 'class-variance-authority';
import * as tailwindVariants from 'tailwind-variants';
import * as fs from 'fs';
import * as nodePath from 'path';

// The libraries as a compiled module imports them (default and named, through the interop flag).
const clsxModule = { __esModule: true, default: clsx, clsx };
const classnamesModule = { __esModule: true, default: classnames };
const tailwindMergeModule = { __esModule: true, ...tailwindMerge };
const cvaModule = { __esModule: true, ...classVarianceAuthority };
const tailwindVariantsModule = { __esModule: true, ...tailwindVariants };
// What the edge module hands the edge: tailwind-merge's own `twMerge` (see `Expr` kind `host`),
// and the app's helpers over a merger it configured, added per fixture (`hostsOf`).
const HOSTS: Record<string, (...args: unknown[]) => unknown> = { twMerge: tailwindMerge.twMerge as (...args: unknown[]) => unknown };

type Props = Record<string, JsonValue>;

// The probes pass React what it warns about on purpose (`src=""`, lowercase DOM names): keep
// the output readable, and fail on anything else React reports.
let consoleError: jest.SpyInstance;
beforeAll(() => {
  consoleError = jest.spyOn(console, 'error').mockImplementation((format: unknown) => {
    if (typeof format === 'string' && /^(An empty string \(""\) was passed|Invalid DOM property|Invalid event handler property|You provided a `(value|checked)` prop|Received `%s` for a non-boolean attribute|Warning: |Each child in a list|React does not recognize|The `%s` prop supplied to <select>|Use the `defaultValue` or `value` props|Received NaN for the `%s` attribute|Received `%s` for a non-boolean attribute)/.test(format)) return;
    throw new Error(`unexpected console.error: ${String(format)}`);
  });
});
afterAll(() => consoleError.mockRestore());

/** A stand-in for @splice/client: same props through, markers in the documented format. */
const stubRuntime = {
  registerSpliceComponent() {},
  useSpliceProps(ref: ComponentRef, props: Props) {
    const id = React.useId();
    return {
      props,
      root: (element: React.ReactElement) => element,
      done: () => undefined,
      slot: (_n: number, value: React.ReactNode) => value,
      marker(n: number, texts?: unknown[]) {
        if (texts === undefined) return `${ref.key} ${n} ${id}`;
        const mask = textMask(texts);
        return mask === undefined ? `${ref.key} ${n} ${id}` : `${ref.key} ${n} ${id} ${mask}`;
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
  const modules: Record<string, unknown> = { react: React, 'react/jsx-runtime': jsxRuntime, '@splice/client': stubRuntime, clsx: clsxModule, classnames: classnamesModule, 'tailwind-merge': tailwindMergeModule, 'class-variance-authority': cvaModule, 'tailwind-variants': tailwindVariantsModule };
  const require = (id: string): unknown => {
    // A module of the fixture's own (a helper it imports): loaded as it is, not compiled.
    if (id.startsWith('./')) {
      const base = nodePath.join(nodePath.dirname(filename), id);
      const file = ['', '.ts', '.tsx', '.js', '.jsx'].map((ext) => base + ext).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (file !== undefined) return load(fs.readFileSync(file, 'utf8'), file);
    }
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
    .map((item) => (item.kind === 'static' ? item.value : (textOf(evaluateExpr(item.expr, props, HOSTS)) ?? '')))
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
  // Value holes computed by the expression IR (issue: value holes for the code people write).
  'value-ternary': [{ open: true, label: 'menu' }, { open: false, label: '<x>' }, { open: 0, label: 7 }],
  'value-logical': [{ title: 'T', subtitle: 'S', count: 3 }, { title: null, subtitle: '', count: 0 }, { title: '', count: -1 }],
  'value-template-class': [{ tone: 'warn', size: 'lg', title: 'x' }, { tone: null, size: 3, title: '' }],
  // tailwind-merge's twMerge over clsx (`cn`, `cx`), and alone: the package's own merging, called at the edge.
  'value-twmerge-cn': [{ tone: 'danger', className: 'px-8 text-lg', label: 'Hot' }, { tone: 'ok', className: null, label: '' }, { tone: 'danger', className: ['p-1', ['text-red-700']], label: 1 }],
  'value-twmerge-imported': [{ title: 'T', variant: 'error', className: 'p-2 bg-blue-50' }, { title: '', variant: 'neutral' }],
  // style objects, written as React writes them (numbers in px or plain, names hyphenated, custom properties kept).
  'value-style-object': [{ color: 'red', size: 14, hidden: false, accent: '#f00', title: 'T' }, { color: null, size: '1.5rem', hidden: true, accent: 3, title: '' }, { color: ' blue ', size: 0, hidden: 1, accent: '', title: 'x' }, {}],
  'value-style-const': [{ value: 3, max: 7, label: 'L' }, { value: 0, max: 10, label: '' }, { value: 5, max: 5 }],
  // The component's own rest props spread onto the element, with attributes of their own.
  'value-rest-spread': [{ type: 'email', className: 'wide', invalid: true, placeholder: 'you@x', 'data-id': 7, caption: 'L', href: '/h', id: 'i' }, { className: null, invalid: false, caption: '', title: 'ignored' }, { type: 'text', 'aria-label': 'A', caption: 3, target: '_self' }],
  'value-twmerge-configured': [{ size: 'display', className: 'text-lead font-bold', children: 'Big' }, { size: 'lead', className: 'text-sm', children: '<x>' }, { size: 'display', className: null, children: '' }],
  'value-twmerge-direct': [{ size: 'lg', className: 'p-1 text-xs', text: 't' }, { size: 'sm', className: null, text: '<x>' }],
  'value-clsx': [{ variant: 'primary', active: true, disabled: 'yes', label: 'Go' }, { variant: 'ghost', active: 0, disabled: null, label: '' }, { variant: ['a', ['b']], active: 'x', label: 1 }],
  'value-classnames': [{ tone: 'info', size: 3, text: 't' }, { tone: '', size: 1, text: 0 }, { tone: { a: true, b: 0 }, size: '5', text: 'x' }, { tone: { a: true, '': true }, size: 2, text: 'y' }],
  'value-cn-local': [{ tone: 'red', text: 't' }],
  // Variant functions: class-variance-authority's cva, the package's own, called at the edge; tailwind-variants' tv stays structural.
  'value-cva-variants': [{ variant: 'ghost', size: 'lg', className: 'w-full', label: 'Go' }, { variant: 'primary', size: 'lg', label: '<x>' }, { variant: 'nope', size: null, className: ['a', { b: true }], label: '' }, { label: 'L' }],
  'value-tv-imported': [{ tone: 'error', className: 'px-4 text-sm', text: 'Late' }, { tone: 'unknown', className: null, text: '' }, { text: 't' }],
  'value-cva-not-exported': [{ tone: 'warn', label: 'W' }, { tone: 'info', label: '' }],
  'value-tv-slots': [{ tone: 'accent', title: 'T' }, { tone: 'plain', title: '<b>' }],
  // Module constants: primitives used as they are (exported or not), objects only when not exported.
  'value-module-constant-primitive': [{ id: 'top', label: 'Skip', className: 'a', count: 120 }, { label: '<x>', count: 3 }, { id: '', label: '', className: null, count: 99 }],
  'value-module-constant-exported-object': [{ tone: 'warn', text: 'T' }, { tone: 'info', text: '' }],
  'value-cva-type-only-export': [{ tone: 'warn', label: 'W' }, { tone: 'info', label: '' }],
  'value-imported-constant': [{ count: 12, className: 'x', size: 'lg', label: 'L' }, { count: 3, className: null, size: 'sm', label: '<b>' }, { count: 9, size: 'xl', label: '' }],
  'value-declared-constant': [{ on: true, label: 'L' }, { on: false, label: '<b>' }],
  'value-imported-type-only-export': [{ on: true, label: 'L' }, { on: false, label: '<b>' }],
  'value-imported-type-star-export': [{ on: true, label: 'L' }, { on: false, label: '<b>' }],
  'value-module-constant-ts-write': [{ tone: 'warn', text: 'W' }, { tone: 'info', text: '' }],
  'value-cva-host-name': [{ tone: 'warn', size: 'lg', label: 'L' }, { tone: 'info', size: 'sm', label: '' }],
  'value-cva-mutable-config': [{ tone: 'warn', text: 'W' }, { tone: 'info', text: '' }, { text: 't' }],
  'value-member-destructured': [{ user: { name: 'Ada', avatar: '/a.png' }, stats: { followers: 12 } }, { user: { name: '' }, stats: {} }, { user: 'text', stats: { followers: 'many' } }],
  'value-const-binding': [{ open: true, tone: 'x', note: ' n ' }, { open: false, tone: null, note: '' }],
  'value-module-constant': [{ tone: 'warn', size: 1, kind: 'a', mode: 'x' }, { tone: 'other', size: 7, kind: 'a', mode: 'x' }, { tone: 'info', size: 0, kind: 'a', mode: 'y' }],
  'value-string-methods': [{ name: '  Grüße  straße ', tags: ['a', null, 3, ['b', 'c']], code: 'ABC' }, { name: 'x', tags: [], code: 'İ' }],
  'value-number-format': [{ price: 12.345, rating: 4.25, stock: -3, qty: '2' }, { price: 0, rating: 0.05, stock: 1e21, qty: null }, { price: -1.005, rating: -2.5, stock: 5, qty: '' }],
  'value-comparisons': [{ count: 1, total: 10, discount: 2.5 }, { count: 10, total: '10', discount: '1' }, { count: -3, total: null, discount: true }],
  'value-text-mixed': [{ first: 'Ada', last: 'lovelace', age: 36 }, { first: '', last: '', age: '3' }, { first: 'A', last: 'b', age: null }],
  'value-refused-calls': [{ amount: 5, when: '2020-01-01', tone: 'ok' }],
  'value-body-destructuring': [{ title: 'T', meta: { author: 'Ann' } }, { title: '', meta: {} }],
  'value-body-rest': [{ label: 'L', type: 'text' }],
  'value-plus-concat': [{ price: 12.5, currency: 'USD', label: 'Now' }, { price: 0, currency: '', label: '<b>' }, { price: '3', currency: null, label: 7 }],
  'value-arithmetic': [{ qty: 3, price: 2.5, discount: 1, per: 2 }, { qty: 0, price: 10, discount: 0.1, per: 3 }, { qty: '4', price: '2', discount: '1', per: 0 }],
  'value-unary': [{ change: 5, hidden: false }, { change: -2.5, hidden: true }, { change: '3', hidden: 0 }, { change: 0, hidden: '' }],
  'value-or-fallback': [{ title: 'T', subtitle: 'S' }, { title: '', subtitle: '' }, { title: 0, subtitle: null }, { title: 'x' }],
  'value-and-text': [{ count: 2, label: 'new' }, { count: 0, label: 'new' }, { count: -1, label: '' }, { count: 3, label: 0 }],
  'value-enumerated-attribute': [{ open: true, side: 'right', label: 'Menu' }, { open: false, side: 'left', label: '' }, { open: 1, side: null, label: 'x' }],
  'value-boolean-attribute': [{ disabled: true, label: 'Send' }, { disabled: false, label: 'Send' }],
  'value-template-methods': [{ first: 'ada', last: 'LOVELACE ' }, { first: '', last: '' }, { first: 'é', last: ' X' }],
  'value-slice': [{ text: 'A long sentence about coats and boots.', n: 5 }, { text: '', n: 0 }, { text: 'short', n: -2 }],
  'value-array-join': [{ section: 'Shop', page: 'Coats' }, { section: '', page: null }, { section: 1, page: ['a', 'b'] }],
  'value-math-round': [{ score: 4.25, votes: 7 }, { score: 0, votes: 0 }, { score: -1.5, votes: 3 }, { score: '2', votes: '5' }],
  'value-string-number': [{ count: 3, qty: '4' }, { count: null, qty: '' }, { count: true, qty: 'x' }, { count: 0, qty: 2.5 }],
  'value-usereducer-initial': [{ start: 1, label: 'Qty' }, { start: 0, label: '' }, { start: '5', label: 2 }],
  'value-usememo-deps': [{ title: '  Coats ', suffix: '— Shop' }, { title: '', suffix: '' }, { title: 'x', suffix: 3 }],
  'value-constant-array': [{ index: 2, label: 'Size' }, { index: 0, label: '' }, { index: 9, label: 'x' }],
  'value-attribute-ternary-concat': [{ url: 'https://a.test/x', external: true, text: 'A' }, { url: '/shop', external: false, text: '' }, { url: 7, external: 0, text: 'x' }],
  'value-param-nested': [{ user: { name: 'Ada', handle: '@ada' }, note: 'n' }, { user: { name: '' }, note: '' }],
  'value-param-default': [{ title: 'T', tone: 'warm' }, {}, { title: null, tone: '' }, { tone: 0 }],
  'value-classnames-object': [{ active: true, disabled: false, label: 'A' }, { active: 0, disabled: 'yes', label: '' }, { active: null, disabled: null, label: 3 }],
  'value-clsx-array': [{ selected: true, size: 'lg', label: 'x' }, { selected: false, size: null, label: '' }, { selected: 'y', size: ['a', { b: true }], label: 1 }],
  'value-refused-local-function': [{ cents: 1999, label: 'Now' }],
  'value-refused-date': [{ timestamp: 0, label: 'Since' }],
  'value-map-item': [{ items: [{ id: 1, label: 'a' }, { id: 2, label: 'b' }], tone: 'x' }, { items: [], tone: null }],
  'value-hook-initial': [{ initial: 3, label: 'Lamp', unit: 'kg', start: 1, value: 'v' }, { initial: 'x', label: 'ab', unit: null, start: -2, value: 0 }],
  'value-aria-boolean': [{ open: true, busy: false, label: 'More' }, { open: false, busy: true, label: '' }, { open: 0, busy: 'yes', label: 3 }],
  'value-data-number': [{ stars: 4, max: 5 }, { stars: 0, max: 0 }, { stars: -1.5, max: 3 }],
  'value-nested-ternary': [{ score: 95 }, { score: 60 }, { score: 1 }, { score: 0 }, { score: 'x' }],
  'value-nullish-chain': [{ title: 'T', alt: 'A', fallback: 'F' }, { title: null, alt: null, fallback: 'F' }, { alt: '' }, {}],
  'value-string-compare': [{ order: 'asc', field: 'apple' }, { order: 'desc', field: 'zebra' }, { order: 'x', field: 'm' }],
  'value-array-index': [{ items: ['a', 'b', 'c'], names: ['x'] }, { items: [], names: [] }, { items: ['<i>'], names: 'abc' }],
  'value-optional-chaining': [{ user: { name: 'Ada', address: { city: 'Paris', street: 'Rue <b>' }, tags: ['x', 'y'] }, pick: 1 }, { user: null, pick: 0 }, { pick: 0 }, { user: { address: { street: '' }, tags: [] }, pick: 3 }, { user: { name: '', address: { city: null, street: 'S' } }, pick: 0 }],
  'value-const-chain': [{ price: 12.5, qty: 3 }, { price: '2', qty: '3' }, { price: 0, qty: null }],
  'value-usememo-block': [{ first: ' Ada', last: 'Lovelace ' }, { first: '', last: '' }],
  'value-usestate-lazy': [{ initialTab: 'cart', tabs: 'x' }, { initialTab: null, tabs: 'y' }],
  'value-nested-default': [{ post: { author: { name: 'Ann', handle: 'ann' } } }, { post: {} }, { post: { author: { handle: '' } } }],
  'value-constant-nested': [{ tone: 'primary', size: 'sm', text: 't' }, { tone: 'other', size: 'lg', text: '' }],
  'value-clsx-nested': [{ row: 2, col: 5, selected: true, extra: 'x' }, { row: 1, col: 0, selected: 0, extra: ['a', { b: true }] }],
  'value-classnames-numbers': [{ cols: 3, gap: 2, dense: true }, { cols: 0, gap: 0, dense: false }, { cols: 'c', gap: 'g', dense: null }],
  'value-math-minmax': [{ done: 3, total: 4 }, { done: 9, total: 4 }, { done: -1, total: 4 }, { done: 1, total: 0 }],
  'value-refused-optional-chain': [{ user: null, label: 'l' }, { label: 'm' }],
  'value-refused-locale': [{ cents: 123456, note: 'n' }],
  'value-refused-shadowed': [{ v: 'v', w: 'w' }],
  'value-refused-exported-constant': [{ kind: 'a', count: 2 }],
  'value-handler-reads': [{ id: 7, label: 'Go' }],
  'value-template-member': [{ product: { slug: 's', variant: 2, brand: 'B', name: 'N' }, base: '/shop' }, { product: { slug: '', brand: '<b>' }, base: '' }],
  'value-typescript-types': [{ value: 3, max: 7, label: 'L' }, { value: 0, max: 0 }, { value: 1, max: 3, label: null }],
};

/** Values an override may carry (the edge refuses objects, and booleans as attributes). */
const OVERRIDE_VALUES: JsonValue[] = ['\nlead', `<b class="x">&'amp;</b>`, 42, 0, -1.5, null, '', true, 'plain'];

/** `evaluateExpr`, with a refusal (it throws where JavaScript's answer cannot be known) as `refused`. */
function evaluated(expr: Expr, props: Props): JsonValue | undefined | typeof REFUSED {
  try {
    return evaluateExpr(expr, props, HOSTS);
  } catch {
    return REFUSED;
  }
}
const REFUSED = Symbol('refused');

/** Would the edge accept `value` for every hole of this prop? Mirrors @splice/edge's plan. */
function edgeAccepts(entry: ComponentEntry, top: string, props: Props): boolean {
  for (const element of entry.elements) {
    for (const attr of element.attrs) {
      if (!attr.hole || !exprProps(attr.hole).has(top)) continue;
      const result = evaluated(attr.hole, props);
      if (result === REFUSED) return false;
      const v = attributeOf(result, attr.name);
      if (v === undefined || (typeof v === 'string' && isJavaScriptUrl(v)) || (v === '' && URL_ATTRIBUTES.has(attr.name))) return false;
    }
    for (const item of element.text ?? []) {
      if (item.kind !== 'hole' || !exprProps(item.expr).has(top)) continue;
      const result = evaluated(item.expr, props);
      if (result === REFUSED || textOf(result) === undefined) return false;
    }
  }
  return true;
}

/** `props` with `path` set to `value` (a nested path replaces inside a copy of the top-level object). */
function withValue(props: Props, path: string[], value: JsonValue): Props {
  if (path.length === 1) return { ...props, [path[0]!]: value };
  const top = props[path[0]!];
  const base = top !== null && typeof top === 'object' && !Array.isArray(top) ? top : {};
  return { ...props, [path[0]!]: withValue(base as Props, path.slice(1), value) };
}

/** Every prop path a hole of a patchable prop reads. */
function holePaths(entry: ComponentEntry): string[][] {
  const paths = new Map<string, string[]>();
  const visit = (e: Expr): void => {
    if (e.kind === 'prop') { if (entry.props[e.path[0]!]?.tier === 'value') paths.set(e.path.join('.'), e.path); }
    else if (e.kind === 'template') e.exprs.forEach(visit);
    else if (e.kind === 'cond') [e.test, e.then, e.else].forEach(visit);
    else if (e.kind === 'unary') visit(e.arg);
    else if (e.kind === 'binary' || e.kind === 'logical') [e.left, e.right].forEach(visit);
    else if (e.kind === 'member') [e.object, e.key].forEach(visit);
    else if (e.kind === 'call' || e.kind === 'classes' || e.kind === 'host') e.args.forEach(visit);
    else if (e.kind === 'object') e.entries.forEach(([, v]) => visit(v));
    else if (e.kind === 'array') e.items.forEach(visit);
  };
  for (const element of entry.elements) {
    for (const a of element.attrs) if (a.hole) visit(a.hole);
    for (const item of element.text ?? []) if (item.kind === 'hole') visit(item.expr);
  }
  return [...paths.values()];
}

/**
 * The HTML with every byte the manifest says may change blanked out: hole attributes removed
 * and text contents replaced, at every marked element. Two renders that differ only in
 * patchable props must be equal after this, or the edge would leave stale bytes elsewhere.
 */
function blankHoles(html: string, components: Record<string, ComponentEntry>): string {
  return html.replace(/<([a-z][a-z0-9-]*)((?: [^\s=>]+="[^"]*")*)(\/?)>/g, (whole, tag: string, attrs: string, slash: string) => {
    const markerValue = / data-splice="([^"]*)"/.exec(attrs)?.[1];
    const marker = markerValue === undefined ? null : parseMarker(markerValue);
    const element = marker === null ? undefined : components[marker.key]?.elements[marker.element];
    if (element === undefined) return whole;
    const holes = new Set(element.attrs.filter((a) => a.hole).map((a) => a.name));
    const kept = [...attrs.matchAll(/ ([^\s=>]+)="([^"]*)"/g)]
      .filter((a) => a[1] !== MARKER_ATTRIBUTE && !holes.has(a[1]!))
      .map((a) => a[0]).join('');
    return `<${tag}${kept}${slash}>${element.text ? '\u0000TEXT\u0000' : ''}`;
  }).replace(/\u0000TEXT\u0000[^<]*(?:<!-- -->[^<]*)*/g, '#text#');
}

/** Checks one marked element of `html` against its entry, for the props it was rendered with. */
function checkElements(html: string, components: Record<string, ComponentEntry>, props: Props): number {
  let checked = 0;
  for (const [key, entry] of Object.entries(components)) {
    entry.elements.forEach((element, index) => {
      for (const found of markedElements(html, key, index, element.tag)) {
        checked++;
        // Props the IR refuses to compute with (an object compared by identity): the edge refuses
        // every override of this instance's holes, so there is nothing of the manifest to check.
        const holes = [...element.attrs.flatMap((a) => (a.hole ? [a.hole] : [])), ...(element.text ?? []).flatMap((i) => (i.kind === 'hole' ? [i.expr] : []))];
        if (holes.some((h) => evaluated(h, props) === REFUSED)) continue;
        if (element.text) {
          expect({ tag: element.tag, text: found.content }).toEqual({ tag: element.tag, text: expectedText(element.text, props) });
          const holes = element.text.filter((t) => t.kind === 'hole').length;
          expect(found.mask?.length).toBe(holes >= 2 ? holes : undefined);
        }
        // Where an attribute may have to be inserted, the element writes only attributes the
        // manifest lists, in the manifest's order: they are the edge's anchors.
        // An open element (own rest props spread) also writes attributes the manifest cannot list.
        if (element.attrs.some((a) => a.hole) && !element.open) {
          const names = [...found.attrs.keys()].filter((n) => n !== MARKER_ATTRIBUTE);
          const listed = element.attrs.map((a) => a.name);
          expect(names).toEqual(listed.filter((n) => names.includes(n)));
        }
        expect([...found.attrs.keys()][0]).toBe(MARKER_ATTRIBUTE);
        for (const attr of element.attrs) {
          if (!attr.hole) continue;
          const value = attributeOf(evaluateExpr(attr.hole, props, HOSTS), attr.name);
          // React leaves out an empty `src`, `href` (but on <a>) and `<object data>`: the edge never
          // writes an empty URL, but a base render may hold one.
          const dropped = value === '' && (attr.name === 'src' || (attr.name === 'href' && element.tag !== 'a') || (attr.name === 'data' && element.tag === 'object'));
          const expected = value === null || value === undefined || dropped ? undefined : escapeHtml(value);
          expect({ tag: element.tag, attr: attr.name, value: found.attrs.get(attr.name) }).toEqual({ tag: element.tag, attr: attr.name, value: expected });
        }
      }
    });
  }
  return checked;
}

/**
 * The oracle for one module: for every props case and every export, the compiled module renders
 * the original HTML plus markers, the manifest describes the marked bytes, and re-rendering with
 * each override value of each patchable prop changes only the bytes the manifest describes, the
 * way it describes them.
 */
/** The fixture's own helpers its holes call (`path#name`, path relative to the compile root: `src/<fixture>/…`), as the edge module imports them. */
function addHosts(inputFile: string, result: CompileResult): void {
  const hosts = new Set<HostName>();
  for (const entry of Object.values(result.components)) for (const hole of entryHoles(entry)) exprHosts(hole, hosts);
  for (const host of hosts) {
    if (host === 'twMerge' || host in HOSTS) continue;
    const at = host.lastIndexOf('#');
    const file = nodePath.join(nodePath.dirname(inputFile), nodePath.basename(host.slice(0, at)));
    HOSTS[host] = load(fs.readFileSync(file, 'utf8'), file)[host.slice(at + 1)] as (...args: unknown[]) => unknown;
  }
}

function checkModule(source: string, inputFile: string, result: CompileResult, propsCases: Props[], defaulted: string[] = []): number {
  addHosts(inputFile, result);
  const original = load(source, inputFile);
  const compiled = load(result.code, inputFile);
  let checkedElements = 0;
  for (const props of propsCases) {
    for (const [exportName, component] of Object.entries(original)) {
      // Components: functions, and the objects React makes of them (memo, forwardRef); not other
      // exports, such as a variant function (`buttonVariants`), named as JSX never names a component.
      if (exportName === '__esModule' || !(typeof component === 'function' || (typeof component === 'object' && component !== null && '$$typeof' in component))) continue;
      if (exportName !== 'default' && !/^[A-Z]/.test(exportName)) continue;
      const before = render(component, props);
      const after = render(compiled[exportName], props);

      expect(stripMarkers(after)).toBe(before);
      if (defaulted.some((p) => !(p in props))) continue;
      checkedElements += checkElements(after, result.components, props);

      // An override names one component: its own props change (with a rest spread, any other prop
      // would land in its rest and write an attribute of its own). Components not found by their
      // export name (a default export) take every entry's, as before.
      const own = Object.values(result.components).filter((e) => e.name === exportName);
      for (const entry of own.length > 0 ? own : Object.values(result.components)) {
        for (const path of holePaths(entry)) {
          for (const value of OVERRIDE_VALUES) {
            const overridden = withValue(props, path, value);
            if (!edgeAccepts(entry, path[0]!, overridden)) continue;
            const variant = render(compiled[exportName], overridden);
            expect(stripMarkers(variant)).toBe(render(component, overridden));
            checkedElements += checkElements(variant, result.components, overridden);
            expect(blankHoles(variant, result.components)).toBe(blankHoles(after, result.components));
          }
        }
      }
    }
  }
  return checkedElements;
}

describe('differential: compiled output renders the original HTML, and the manifest describes it', () => {
  const fixtures = listFixtures().filter((f) => f.name in cases);
  it('covers every listed case', () => {
    expect(fixtures.map((f) => f.name).sort()).toEqual(Object.keys(cases).sort());
  });

  for (const fixture of fixtures) {
    it(fixture.name, () => {
      const result = compileFixture(fixture);
      expect(result.changed).toBe(true);
      expect(result.code).toContain(` ${MARKER_ATTRIBUTE}={`);
      const checked = checkModule(fixture.source, fixture.inputFile, result, cases[fixture.name]!, DEFAULTED[fixture.name]);
      expect(checked).toBeGreaterThan(0);
    });
  }
});

/**
 * Small modules that probe React's special cases. Each is compiled and held to the same oracle;
 * whatever the compiler accepts must render exactly as the manifest says, for every override.
 */
const probes: Record<string, { patchable: string[]; source: string; props: Props[]; file?: string }> = {
  'numeric attributes': {
    patchable: [],
    source: `export function A({ a, b }) {
  return <div><ol start={a}><li>x</li></ol><textarea cols={a} rows={b} /><input size={a} /><table><colgroup span={b}></colgroup></table><select size={a}></select></div>;
}`,
    props: [{ a: 2, b: 3 }],
  },
  // `credentialless` is a boolean attribute the manifest writes as React does (attributeOf);
  // `disablepictureinpicture` spelled in lower case is no prop React knows: a plain string.
  'lowercase event-like and boolean attributes': {
    patchable: ['A.c'],
    source: `export function A({ h, c }) {
  return <div onclick={h} one={h}><iframe credentialless={c} /><video disablepictureinpicture={c} /></div>;
}`,
    props: [{ h: 'x', c: 'y' }],
  },
  'form elements reorder attributes': {
    patchable: ['A.n', 'A.c', 'A.a', 'A.t', 'A.m'],
    source: `export function A({ n, c, a, t, m }) {
  return <form action="/go" className={c} method="post" target={t}>
    <input name="q" placeholder={c} type="text" />
    <input name={n} className={c} />
    <button name="b" formAction="/x" className={c} type="submit">go</button>
    <button formMethod="get" className={c}>{c}</button>
  </form>;
}`,
    props: [{ n: 'n', c: 'c', a: '/a', t: '_self', m: 'get' }],
  },
  'preloaded image attributes': {
    patchable: ['A.alt'],
    source: `export function A({ c, i, t, l, alt }) {
  return <div><img src="/i.png" crossOrigin={c} integrity={i} type={t} alt={alt} /><img src="/j.png" loading={l} /><img srcSet="/k.png 1x" nonce={i} /></div>;
}`,
    props: [{ c: 'anonymous', i: 'sha256-x', t: 'image/png', l: 'lazy', alt: 'a' }],
  },
  'pre and listing text': {
    patchable: [],
    source: `export function A({ t }) {
  return <div><pre>{t}</pre><listing>{t}</listing><pre>x{t}</pre></div>;
}`,
    props: [{ t: 'a' }],
  },
  'cloned children': {
    patchable: [],
    source: `import { Children, cloneElement } from 'react';
function Slot({ children }) { return cloneElement(Children.only(children), { className: 'slot ' + (children.props.className ?? '') }); }
function Frame({ children }) { return Children.map(children, (c) => cloneElement(c, { title: 'framed' })); }
export function A({ c, t }) {
  return <div><Slot><a className={c} href="/x">{t}</a></Slot><Frame><p title={t}>{t}</p></Frame></div>;
}`,
    props: [{ c: 'c', t: 't' }],
  },

  'url attributes': {
    patchable: ['A.href', 'A.src', 'A.poster', 'A.cite'],
    source: `export function A({ href, src, action, poster, cite }) {
  return <div><a href={href}>x</a><img src={src} loading="lazy" /><form action={action}><button formAction={action}>go</button></form><video poster={poster} /><blockquote cite={cite}>q</blockquote><iframe src={src} /><source src={src} /></div>;
}`,
    props: [{ href: '/a', src: '/s.png', action: '/f', poster: '/p.png', cite: '/c' }],
  },
  'aria and data with booleans': {
    patchable: ['A.a', 'A.d', 'A.role'],
    source: `export function A({ a, d, role }) {
  return <div aria-hidden={a} data-x={d} role={role} aria-expanded={a}>x</div>;
}`,
    props: [{ a: 'true', d: 'y', role: 'button' }],
  },
  'renamed attributes': {
    patchable: ['A.t', 'A.c', 'A.f'],
    source: `export function A({ t, c, h, f, ch, enc }) {
  return <div><span tabIndex={t}>x</span><img crossOrigin={c} loading="lazy" src="/x" /><meta httpEquiv={h} /><label htmlFor={f}>l</label><form acceptCharset={ch} encType={enc}>f</form></div>;
}`,
    props: [{ t: 1, c: 'anonymous', h: 'refresh', f: 'id', ch: 'utf-8', enc: 'text/plain' }],
  },
  'lowercase attributes React may treat specially': {
    patchable: ['A.w', 'A.h', 'A.s', 'A.n', 'A.l', 'A.x', 'A.t', 'A.ty', 'A.tr', 'A.sp', 'A.ac', 'A.ct', 'A.dir', 'A.draggable', 'A.spellcheck', 'A.hidden', 'A.cols', 'A.rows', 'A.max', 'A.step', 'A.min', 'A.wrap', 'A.lang', 'A.form', 'A.list', 'A.accept', 'A.autocomplete', 'A.enterkeyhint', 'A.inputmode', 'A.translate', 'A.contenteditable', 'A.popover'],
    source: `export function A({ v, w, h, s, n, l, x, t, ty, tr, sp, ac, ct, dir, draggable, spellcheck, hidden, cols, rows, size, span, start, max, step, min, wrap, lang, form, list, accept, autocomplete, enterkeyhint, inputmode, translate, contenteditable, popover }) {
  return <div>
    <img width={w} height={h} alt={s} loading="lazy" src="/x" />
    <p lang={lang} dir={dir} translate={translate} draggable={draggable} spellcheck={spellcheck} contenteditable={contenteditable} popover={popover}>p</p>
    <input name={n} list={list} accept={accept} autocomplete={autocomplete} max={max} min={min} step={step} size={size} form={form} type={ty} enterkeyhint={enterkeyhint} inputmode={inputmode} />
    <ol start={start}><li>i</li></ol>
    <table><colgroup span={span}></colgroup><tbody><tr><td colspan={cols} rowspan={rows}>c</td></tr></tbody></table>
    <abbr title={t}>t</abbr>
    <svg viewBox={v} width={w}><path d={x} stroke={s} fill={l} /></svg>
  </div>;
}`,
    props: [{ v: '0 0 1 1', w: 10, h: 20, s: 'alt', n: 'n', l: 'red', x: 'M0 0', t: 'tt', ty: 'text', lang: 'en', dir: 'ltr', translate: 'yes', draggable: 'true', spellcheck: 'false', contenteditable: 'true', popover: 'auto', list: 'l', accept: '*', autocomplete: 'on', max: 3, min: 1, step: 1, size: 2, form: 'f', enterkeyhint: 'go', inputmode: 'text', start: 2, span: 1, cols: 2, rows: 1 }],
  },
  'custom element class': {
    patchable: [],
    source: `export function A({ c, t }) {
  return <div><my-el class={c} title={t}>x</my-el><my-el>{t}</my-el></div>;
}`,
    props: [{ c: 'k', t: 'x' }],
  },
  'text separators': {
    patchable: ['A.a', 'A.b'],
    source: `export function A({ a, b }) {
  return <div>
    <p>{a}{b}</p>
    <p>x{a} {b}y</p>
    <p>{' '}{a}{' '}</p>
    <p>{1}{a}{2}</p>
    <p>
      {a}
      {b}
    </p>
    <p>   </p>
    <span>{a}&amp;{b}&nbsp;</span>
  </div>;
}`,
    props: [{ a: 'A', b: 'B' }, { a: '', b: null }],
  },
  'select option textarea': {
    patchable: [],
    source: `export function A({ v, l, t }) {
  return <form>
    <select value={v}><option value={v}>{l}</option><option value="b">b</option></select>
    <textarea value={t} />
    <input value={v} />
    <label>{l}</label>
  </form>;
}`,
    props: [{ v: 'a', l: 'L', t: 'T' }],
  },
  'hoisted and resource elements': {
    patchable: [],
    source: `export function A({ t, d, h, s }) {
  return <div>
    <title>{t}</title>
    <meta name="d" content={d} />
    <link rel="stylesheet" href={h} precedence="default" />
    <link rel="icon" href={h} />
    <style>{s}</style>
    <script src={h} async />
    <p>{t}</p>
  </div>;
}`,
    props: [{ t: 'T', d: 'D', h: '/h.css', s: 'p{}' }],
  },
  'document shell': {
    patchable: ['Doc.cls'],
    source: `export function Doc({ lang, title, cls }) {
  return <html lang={lang}><head><title>{title}</title></head><body className={cls}><h1>{title}</h1></body></html>;
}`,
    props: [{ lang: 'en', title: 'T', cls: 'b' }],
  },
  'shadowed prop names': {
    patchable: ['A.title', 'A.cls'],
    source: `export function A({ title, cls }) {
  const list = [1, 2].map((title) => <li key={title} className={cls}>{title}</li>);
  { const cls = 'shadow'; return <ul className={cls}>{list}<li>{title}</li></ul>; }
}`,
    props: [{ title: 'T', cls: 'c' }],
  },
  // The default is modelled (`label === undefined ? title : label`), so `title` and `cls` are
  // value props too: an override of one without the other re-renders (the hole reads both).
  'prop used in another default': {
    patchable: ['A.title', 'A.label', 'A.cls', 'A.other'],
    source: `export function A({ title, label = title, cls, other = cls }) {
  return <div className={other}><h1>{title}</h1><p>{label}</p><i className={cls}>x</i></div>;
}`,
    props: [{ title: 'T', label: 'L', cls: 'c', other: 'o' }],
  },
  'key on marked element and recursion': {
    patchable: ['Tree.label'],
    source: `export function Tree({ label, depth }) {
  return <div key="k" className={label}><span>{label}</span>{depth > 0 ? <Tree depth={depth - 1} /> : null}</div>;
}`,
    // Depth 0 only: the harness gives overrides to the outer instance alone, the runtime to all.
    props: [{ label: 'L', depth: 0 }],
  },
  'two components and double export': {
    patchable: ['Card.title', 'Page.sub'],
    source: `function Card({ title }) { return <h2>{title}</h2>; }
export function Page({ title, sub }) { return <main><Card title={title} /><p>{sub}</p></main>; }
export { Card };
export default Card;`,
    props: [{ title: 'T', sub: 'S' }],
  },
  // Found by review of the value holes (each was a wrong `value` label before its fix).
  'a callback handed to a component as on…: it may call it during render': {
    patchable: [],
    source: `function Label({ onFormat }) { return <b>{onFormat()}</b>; }
export function Badge({ text }) { return <div><p>{text}</p><Label onFormat={() => text.toUpperCase()} /></div>; }`,
    props: [{ text: 'sale' }],
  },
  'a module constant changed by its own methods, or through a pattern': {
    patchable: [],
    source: `const SIZES = ['small', 'medium', 'large'];
SIZES.reverse();
const L = { a: 'x' };
[L.a] = ['m'];
export function Size({ i, k }) { return <p><span>{SIZES[i]}</span><b>{L[k]}</b></p>; }`,
    props: [{ i: 2, k: 'a' }],
  },
  'an app hook that reads its array argument is not a dependency list': {
    patchable: [],
    source: `function useShout(_, [v]) { return v.toUpperCase() + '!'; }
export function Title({ t }) { const s = useShout(0, [t]); return <h2><span>{t}</span><em>{s}</em></h2>; }`,
    props: [{ t: 'hello' }],
  },
  'a hook named like React\'s but not React\'s': {
    patchable: [],
    source: `const useEffect = (f) => f();
const box = { v: 'x' };
export function E({ a }) { const label = a; useEffect(() => { box.v = label; }); return <p>{label}</p>; }`,
    props: [{ a: 'A' }],
  },
  'className and class on one element: two class attributes': {
    patchable: ['A.t'],
    source: `export function A({ c, d, t }) { return <p className={c} class={d}>{t}</p>; }`,
    props: [{ c: 'x', d: 'y', t: 'T' }],
  },
  'slice of a list in text: several text nodes, not one run': {
    patchable: [],
    source: `export function L({ first, rest }) { return <p>{first}{rest.slice(0, 2)}</p>; }`,
    props: [{ first: 'A', rest: ['x', 'y', 'z'] }],
  },
  'constants JSON cannot carry (Infinity, -0) are not copied': {
    patchable: [],
    source: `const C = { neg: -0 };
export function N({ a, k }) { return <p><i>{a ? 1e999 : 'no'}</i><b>{String(1 / C[k])}</b></p>; }`,
    props: [{ a: true, k: 'neg' }],
  },
  // NaN is falsy: React leaves a boolean attribute out for it (`Number('x')`, `'x' * 2`).
  'a boolean attribute from a computed NaN': {
    patchable: ['A.h'],
    source: `export function A({ h }) {
  return <div><p hidden={Number(h)}>x</p><button disabled={h * 2}>b</button><details open={-h}>d</details><p inert={h / 1}>i</p></div>;
}`,
    props: [{ h: 1 }, { h: 'x' }],
  },
  // Two props React writes under one name are two attributes; one name written twice in JSX is
  // one prop with the last value at the first place. The manifest's one entry fits neither.
  'one attribute name twice, or two names React writes alike': {
    patchable: [],
    source: `export function A({ f, t, w, a, b, c }) {
  return <div>
    <label htmlFor={f} for="s">x</label>
    <label for={f} htmlFor="s">x</label>
    <div tabIndex={t} tabindex="0">y</div>
    <svg><path strokeWidth={w} stroke-width="2" /></svg>
    <p title={a} title={b}>z</p>
    <p className="s" className={c}>q</p>
  </div>;
}`,
    props: [{ f: null, t: null, w: null, a: 'A', b: null, c: null }, { f: 'F', t: 1, w: 2, a: 'A', b: 'B', c: 'C' }],
  },
  // The component's rest may hold \`class\` or \`for\`: with the hole left out (null), the
  // rest's attribute would be the only one of that name, and taken for the hole's.
  'own rest spread beside an attribute React also writes from another prop name': {
    patchable: ['A.t'],
    source: `export function A({ c, f, t, ...rest }) {
  return <div><p {...rest} className={c}>x</p><label htmlFor={f} {...rest}>y</label><b {...rest} className={\`b \${t}\`}>{t}</b></div>;
}`,
    props: [{ c: null, f: null, t: 'x', class: 'k', for: 'l' }, { c: 'C', f: 'F', t: '' }],
  },
  // The edge refuses a manifest with a hole in these names: every override of the page skipped.
  'attributes the edge never writes: is, srcdoc': {
    patchable: ['A.t'],
    source: `export function A({ a, t }) {
  return <div><div is={a}>x</div><iframe srcdoc={a} /><p title={t}>t</p></div>;
}`,
    props: [{ a: 'x', t: 'T' }],
  },
  'typescript wrappers': {
    // Type-only wrappers lower to what they wrap.
    patchable: ['A.t', 'A.c', 'A.n'],
    file: 'probe.tsx',
    source: `export function A({ t, c, n }: { t: string; c?: string; n: number | null }) {
  return <div className={c as string}><p>{t satisfies string}</p><p>{n!}</p><p title={(t)}>{(t)}</p></div>;
}`,
    props: [{ t: 'T', c: 'C', n: 1 }],
  },
  'jsx in props and maps': {
    patchable: [],
    source: `function Box({ header, children }) { return <section>{header}{children}{children}</section>; }
export function A({ t, c, items }) {
  return <div><Box header={<h1 className={c}>{t}</h1>}><p className={c}>{t}</p></Box><ul>{items.map((i) => <li key={i} title={t}>{t}</li>)}</ul></div>;
}`,
    props: [{ t: 'T', c: 'C', items: [1, 2] }],
  },
  'numbers and whitespace literals': {
    patchable: ['A.n'],
    source: `export function A({ n }) {
  return <div><p>{n}{0}</p><p>{1e21}{n}</p><p>{' '}</p><p>{\`\`}{n}</p><p>{''}{n}</p><p>{"a\\nb"}{n}</p></div>;
}`,
    props: [{ n: 5 }],
  },
};

describe('differential probes: what the compiler accepts renders as the manifest says', () => {
  for (const [name, probe] of Object.entries(probes)) {
    it(name, () => {
      const file = probe.file ?? 'probe.jsx';
      const result = compile(probe.source, { filename: `src/${file}`, root: '' });
      expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      const patchable = Object.values(result.components).flatMap((c) => Object.keys(c.props).filter((p) => c.props[p]!.tier === 'value').map((p) => `${c.name}.${p}`));
      expect(patchable).toEqual(probe.patchable);
      if (!result.changed) return;
      checkModule(probe.source, file, result, probe.props);
    });
  }
});

describe('differential on random components', () => {
  const prop = fc.constantFrom('props.a', 'props.b');
  const tag = fc.constantFrom('div', 'p', 'a', 'span', 'pre', 'input', 'form', 'button', 'ol', 'img', 'svg', 'section');
  const attr = fc.constantFrom('className', 'href', 'title', 'data-x', 'aria-label', 'name', 'start', 'id', 'action', 'loading', 'src', 'tabIndex');
  const value = fc.oneof(prop, fc.constantFrom("'s'", '1', 'null', "'lazy'"));
  const element: fc.Memo<string> = fc.memo((n) =>
    fc.tuple(tag, fc.array(fc.tuple(attr, value), { maxLength: 3 }), n > 1 ? fc.array(child(n - 1), { maxLength: 3 }) : fc.constant([] as string[])).map(
      ([tg, attrs, kids]) => {
        const seen = new Set<string>();
        const written = attrs.filter(([a]) => !seen.has(a) && seen.add(a)).map(([a, v]) => ` ${a}={${v}}`).join('');
        return tg === 'input' || tg === 'img' ? `<${tg}${written} />` : `<${tg}${written}>${kids.join('')}</${tg}>`;
      },
    ),
  );
  const child = (n: number): fc.Arbitrary<string> =>
    fc.oneof(element(n), prop.map((p) => `{${p}}`), fc.constantFrom('text', ' ', '{" "}', '{0}', '\n  '), prop.map((p) => `{[1, 2].map((k) => <i key={k}>{${p}}</i>)}`));
  const program = fc.tuple(fc.constantFrom('props', '{ a, b }'), element(3)).map(([param, body]) => {
    const src = `export function Comp(${param}) {\n  return ${body};\n}\n`;
    return param === 'props' ? src : src.replace(/props\./g, '');
  });

  it('whatever the compiler accepts renders as the manifest says', () => {
    let checked = 0;
    fc.assert(
      fc.property(program, (source) => {
        const result = compile(source, { filename: 'src/random.jsx', root: '' });
        expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        if (!result.changed) return;
        checked += checkModule(source, 'random.jsx', result, [{ a: 'A', b: 2 }, { a: '', b: null }]);
      }),
      { numRuns: 150 },
    );
    expect(checked).toBeGreaterThan(0);
  });
});

/**
 * Random expressions in holes: what the expression IR lowers (operators, ternaries, logical
 * operators, templates, String/Number/Math, string methods, clsx with object and array
 * arguments, members of an object prop, a module constant, a followed `const`) renders as the
 * manifest's evaluation says, for the original props and for every override the edge accepts.
 * Props are primitives (and `d`, an object of them), so that every hole renders as React allows.
 */
describe('differential on random expressions in holes', () => {
  const leaf = fc.constantFrom('a', 'b', 'c', 'd.x', "'s'", "'btn'", '0', '1', '2.5', '-1', 'true', 'false', 'null', 'undefined', 'TONES[a]', 'label');
  const expr: fc.Memo<string> = fc.memo((n) => {
    if (n <= 1) return leaf;
    const sub = expr(n - 1);
    return fc.oneof(
      { arbitrary: leaf, weight: 3 },
      fc.tuple(fc.constantFrom('!', '-', '+'), sub).map(([op, e]) => `${op}(${e})`),
      fc.tuple(sub, fc.constantFrom('===', '!==', '==', '<', '>=', '+', '-', '*', '/', '%'), sub).map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc.tuple(sub, fc.constantFrom('&&', '||', '??'), sub).map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc.tuple(sub, sub, sub).map(([t, y, z]) => `(${t} ? ${y} : ${z})`),
      fc.tuple(sub, sub).map(([x, y]) => `\`x-\${${x}}-\${${y}}\``),
      sub.map((e) => `String(${e})`),
      sub.map((e) => `Number(${e})`),
      fc.tuple(fc.constantFrom('round', 'floor', 'abs'), sub).map(([f, e]) => `Math.${f}(${e})`),
      fc.tuple(sub, sub).map(([x, y]) => `Math.max(${x}, ${y})`),
      fc.tuple(sub, fc.constantFrom('toUpperCase()', 'trim()', 'slice(1, 3)', 'toLowerCase()')).map(([e, m]) => `String(${e}).${m}`),
      fc.tuple(sub, sub, sub).map(([x, y, z]) => `clsx('k', ${x}, { on: ${y}, 'is-x': ${z} }, [${x}, 'z'])`),
    );
  });
  const program = fc.tuple(expr(3), expr(3), expr(3), expr(3)).map(([cls, title, text, aria]) =>
    `import clsx from 'clsx';\nconst TONES = { s: 'sea', btn: 'button', 1: 'one' };\n` +
    `export function Comp({ a, b, c, d }) {\n  const label = (a ? 'A' : 'B');\n` +
    `  return <div className={${cls}} title={${title}} aria-label={${aria}}><p>{${text}}</p><span>{${text}} and {${title}}</span></div>;\n}\n`);
  const primitive = fc.oneof(fc.constantFrom<JsonValue>('', 's', 'btn', ' x ', '<b>&', 'Straße', '1', 0, 1, -1, 2.5, 1e21, true, false, null), fc.string({ maxLength: 4 }), fc.integer({ min: -9, max: 9 }));
  const props = fc.record({ a: primitive, b: primitive, c: primitive, d: fc.record({ x: primitive }) });

  it('renders as the manifest says, and the edge computes every override it accepts as React does', () => {
    let checked = 0;
    let holes = 0;
    fc.assert(
      fc.property(program, fc.array(props, { minLength: 1, maxLength: 2 }), (source, cases) => {
        const result = compile(source, { filename: 'src/random-expr.jsx', root: '' });
        expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        for (const entry of Object.values(result.components)) holes += entry.elements.reduce((n, e) => n + e.attrs.filter((a) => a.hole).length + (e.text ?? []).filter((i) => i.kind === 'hole').length, 0);
        if (!result.changed) return;
        checked += checkModule(source, 'random-expr.jsx', result, cases as Props[]);
      }),
      { numRuns: 60 },
    );
    // The generator must produce holes, or this proves nothing.
    expect(holes).toBeGreaterThan(60);
    expect(checked).toBeGreaterThan(0);
  });
});
