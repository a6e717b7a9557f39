/**
 * No script runs that the page did not hold, in a real browser. The storefront's source page gets
 * extra shell content in every context where markers and `</body>` must not count (scripts with
 * `</body>` and template literals, a copy of a marked card inside a JS template literal, quoted
 * attributes, comments, textarea, title, noscript, style), and is patched with override values
 * written to break out of wherever they land (quotes, `</script>`, `${…}`, backticks, `"><img
 * onerror>`, U+2028, `<!--`). Chromium loads the result (scripts and images from elsewhere are
 * refused: only the page's own scripts run) and must show no `window.__pwned`, no dialog, and a
 * bootstrap that is an element and says exactly what was patched.
 *
 * Negative controls show the checks see execution when there is some. The last group holds pages
 * on which the scanner and the browser disagree about what is markup; there the checks fail.
 */
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { patchHtml } from '@splice/edge';
import { loadBuild, readAll, streamOf } from './helpers';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ORIGIN = 'https://shop.splice.test';

const { renderPage, manifest, createRenderer } = loadBuild();
const renderer = createRenderer();
const source: string = renderPage([]);

const keyOf = (name: string): string => {
  const entry = Object.entries<{ name: string }>(manifest.components).find(([, c]) => c.name === name);
  if (entry === undefined) throw new Error(`no component ${name}`);
  return entry[0];
};
const CARD_KEY = keyOf('ProductCard');
/** The real cards' ids, in document order: from React's output alone (no forgeries in it). */
const cardIds = [...new Set([...source.matchAll(new RegExp(`data-splice="${CARD_KEY.replace('.', '\\.')} \\d+ ([^"| ]+)[^"]*"`, 'g'))].map((m) => m[1] as string))];
/** The first card's whole source HTML, markers and all: the forgery's model. */
const cardCopy = new RegExp(`<article data-splice="${CARD_KEY.replace('.', '\\.')} 0 ${cardIds[0]}[^"]*"[\\s\\S]*?</article>`).exec(source)![0];

const PWN = 'window.__pwned=1';
const HOSTILE = {
  quote: `';${PWN};//`,
  scriptClose: `</script><script>${PWN}</script>`,
  template: '${' + PWN + '}',
  backtick: '`;' + PWN + ';//',
  attr: `"><img src=x onerror="${PWN}">`,
  lineSep: `\u2028${PWN}\u2029`,
  comment: '<!--',
  dialog: '<img src=x onerror=alert(1)>',
};

type Ov = { component: string; props: Record<string, unknown>; instance?: number };
const OVERRIDES: Ov[] = [
  { component: 'Hero', props: { title: HOSTILE.scriptClose + HOSTILE.template, subtitle: HOSTILE.attr, ctaLabel: HOSTILE.backtick, ctaHref: `/x?"><script>${PWN}</script>` } },
  { component: 'Header', props: { tagline: HOSTILE.quote + HOSTILE.lineSep, storeName: HOSTILE.comment + HOSTILE.dialog } },
  // `badge` and `features` are structural: the card is re-rendered with them.
  { component: 'ProductCard', instance: 0, props: { name: HOSTILE.template, badge: HOSTILE.backtick } },
  // `name` is also the card image's `alt`: an attribute hole.
  { component: 'ProductCard', instance: 2, props: { name: HOSTILE.attr, features: [HOSTILE.quote + HOSTILE.dialog, HOSTILE.scriptClose + HOSTILE.comment] } },
];

/** What the bootstrap must say: keys resolved, numeric instances as the real cards' ids. */
function told(overrides: Ov[]): unknown[] {
  return overrides.map((o) => {
    const key = keyOf(o.component);
    return o.instance === undefined ? { component: key, props: o.props } : { component: key, props: o.props, instance: cardIds[o.instance] };
  });
}

// ── Pages: the storefront's source page with extra shell content.

/** `at`: after `</main>` (inside the root), before the root, in `<head>`, or after `</body>`. */
function withShell(pieces: { main?: string; body?: string; head?: string; tail?: string }): string {
  // (Replacement functions: a `$'` in a piece must stay as written.)
  let page = source;
  if (pieces.main) page = page.replace('</main>', () => `</main>${pieces.main}`);
  if (pieces.body) page = page.replace('<body>', () => `<body>${pieces.body}`);
  if (pieces.head) page = page.replace('</head>', () => `${pieces.head}</head>`);
  if (pieces.tail) page = page.replace('</body></html>', () => `</body>${pieces.tail}</html>`);
  return page;
}

const CONTEXTS: [string, { main?: string; body?: string; head?: string; tail?: string }][] = [
  ['a script with </body> in a string', { main: `<script>var s='</body>';window.__s=s;</script>` }],
  ['a template literal with </body> and ${…}', { main: "<script>window.__tl=`</body>${'$'}{1+1}</BODY >`;</script>" }],
  ['a marked card copied into a JS template literal', { main: '<script>window.__t=`' + cardCopy + '`;</script>', body: '<script>window.__t0=`' + cardCopy + '`;</script>' }],
  // (`<!--` also starts a JS line comment: the code goes on the next line.)
  ['an escaped script <!-- … -->', { main: `<script><!-- ${cardCopy} </body> -->\nwindow.__e='</body>';</script>` }],
  ['single-quoted attributes', { main: `<span title='</body>' data-card='${cardCopy}'>x</span>` }],
  ['comments', { main: `<!-- </body> ${cardCopy} -->`, head: '<!-- </body> -->', tail: `<!-- ${cardCopy} </body> -->` }],
  ['a textarea', { main: `<textarea id="ta"></body>${cardCopy}</textarea>` }],
  ['a title with forged markers', { head: `<title>${cardCopy} </body></title>` }],
  ['noscript', { main: `<noscript></body>${cardCopy}</noscript>`, head: `<noscript><h2 data-splice="${CARD_KEY} 3 ${cardIds[1]}">x</h2></body></noscript>` }],
  ['a style', { main: `<style>/* </body> ${cardCopy} */ .x::after{content:"</body>"}</style>`, head: `<style>/*${cardCopy}*/</style>` }],
  ['a template', { main: '<template></body><p>t</p></template>' }],
];

// ── The browser.

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

/** The patched page, and what the report found wrong (problems, skipped overrides). */
async function patch(html: string, overrides: Ov[], cuts: number[] = []): Promise<{ html: string; problems: string[] }> {
  let problems: string[] = ['no report'];
  const out = await readAll(patchHtml(streamOf(html, cuts), {
    manifest, overrides, renderer, onReport: (r) => { problems = [...r.problems, ...r.skipped.map((s) => `skipped: ${s.reason}`)]; },
  }));
  return { html: out, problems };
}

interface Visit {
  pwned: unknown;
  dialogs: string[];
  errors: string[];
  bootstrap: { found: boolean; type: string | null; parent: string | null; text: string | null };
  eval: Record<string, unknown>;
}

/** Serves `html` as the document of a fake origin; everything else it asks for is refused. */
async function visit(html: string, probes: Record<string, string> = {}): Promise<Visit> {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  await page.route('**/*', (route) =>
    route.request().url() === `${ORIGIN}/` ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort());
  try {
    await page.goto(`${ORIGIN}/`, { waitUntil: 'load' });
    await page.waitForTimeout(30); // late error events (aborted images) and their handlers
    const pwned = await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
    const bootstrap = await page.evaluate(() => {
      const el = document.getElementById('__SPLICE__');
      return { found: el !== null, type: el?.getAttribute('type') ?? null, parent: el?.parentElement?.tagName ?? null, text: el?.textContent ?? null };
    });
    const evaluated: Record<string, unknown> = {};
    for (const [name, expr] of Object.entries(probes)) evaluated[name] = await page.evaluate(expr);
    return { pwned, dialogs, errors, bootstrap, eval: evaluated };
  } finally {
    await page.close();
  }
}

function expectSafe(v: Visit): void {
  expect({ pwned: v.pwned, dialogs: v.dialogs }).toEqual({ pwned: undefined, dialogs: [] });
}

function expectBootstrap(v: Visit, overrides: Ov[], parent = 'BODY'): void {
  expect(v.bootstrap).toMatchObject({ found: true, type: 'application/json', parent });
  const boot = JSON.parse(v.bootstrap.text as string);
  expect(boot.buildId).toBe(manifest.buildId);
  expect(boot.overrides).toEqual(told(overrides));
}

describe('negative controls: the checks see script execution', () => {
  it('a page that runs window.__pwned=1 is caught', async () => {
    const v = await visit(withShell({ main: `<script>${PWN}</script>` }));
    expect(v.pwned).toBe(1);
  });

  it('a page that opens a dialog is caught', async () => {
    const v = await visit(withShell({ main: '<img src=x onerror=alert(1)>' }));
    expect(v.dialogs).toEqual(['alert: 1']);
  });

  it('a card in a JS template literal, patched as if it were markup, would run the override', async () => {
    const page = withShell({ main: '<script>window.__t=`' + cardCopy + '`;</script>' });
    const { html } = await patch(page, [{ component: 'ProductCard', props: { name: HOSTILE.template } }]);
    // What a scanner that took the script for markup would write: the copy's name rewritten.
    const name = />([^<]*)<\/h2>/.exec(cardCopy)![1] as string;
    const forged = html.replace(`window.__t=\`${cardCopy}`, () => `window.__t=\`${cardCopy.replace(`>${name}</h2>`, () => `>${HOSTILE.template}</h2>`)}`);
    expect(forged).not.toBe(html);
    expect((await visit(forged)).pwned).toBe(1);
  });
});

describe('hostile overrides on the storefront, with forgeries in every context', () => {
  it('the plain page: values land as text, the bootstrap is an element saying exactly that', async () => {
    const { html, problems } = await patch(source, OVERRIDES);
    expect(problems).toEqual([]);
    const v = await visit(html, {
      h1: `document.querySelector('h1').textContent`,
      tagline: `document.querySelector('.tagline').textContent`,
      cta: `document.querySelector('a.cta').getAttribute('href')`,
      card2: `document.querySelectorAll('.card')[2].querySelector('h2').textContent`,
    });
    expectSafe(v);
    expectBootstrap(v, OVERRIDES);
    expect(v.eval).toEqual({
      h1: OVERRIDES[0]!.props.title,
      tagline: OVERRIDES[1]!.props.tagline,
      cta: OVERRIDES[0]!.props.ctaHref,
      card2: OVERRIDES[3]!.props.name,
    });
  });

  it.each(CONTEXTS)('%s', async (_, pieces) => {
    const page = withShell(pieces);
    const { html, problems } = await patch(page, OVERRIDES);
    expect(problems).toEqual([]);
    const v = await visit(html, {
      t: 'window.__t', t0: 'window.__t0', s: 'window.__s', tl: 'window.__tl', e: 'window.__e',
      ta: `document.getElementById('ta')?.value`,
      h1: `document.querySelector('h1').textContent`,
    });
    expectSafe(v);
    expect(v.errors).toEqual([]);
    expectBootstrap(v, OVERRIDES);
    // The real elements are patched, the forged copies are not (markers and all, byte for byte).
    expect(v.eval.h1).toBe(OVERRIDES[0]!.props.title);
    if (pieces.main?.includes('window.__t=')) expect(v.eval.t).toBe(cardCopy);
    if (pieces.body?.includes('window.__t0=')) expect(v.eval.t0).toBe(cardCopy);
    if (pieces.main?.includes('window.__s=')) expect(v.eval.s).toBe('</body>');
    if (pieces.main?.includes('window.__tl=')) expect(v.eval.tl).toBe('</body>${1+1}</BODY >');
    if (pieces.main?.includes('window.__e=')) expect(v.eval.e).toBe('</body>');
    // A textarea's value is its text with character references decoded (the copy's state has &quot;).
    if (pieces.main?.includes('id="ta"')) expect(v.eval.ta).toBe(`</body>${cardCopy.replace(/&quot;/g, '"')}`);
  });

  it('all of them at once', async () => {
    const all = { main: '', head: '', body: '', tail: '' };
    for (const [, p] of CONTEXTS) {
      all.main += p.main ?? '';
      all.head += (p.head ?? '').replace(/<title>[\s\S]*<\/title>/, '');
      all.body += p.body ?? '';
      all.tail += p.tail ?? '';
    }
    const { html, problems } = await patch(withShell(all), OVERRIDES);
    expect(problems).toEqual([]);
    const v = await visit(html, { t: 'window.__t' });
    expectSafe(v);
    expectBootstrap(v, OVERRIDES);
    expect(v.eval.t).toBe(cardCopy);
  });
});

describe('a page without </body>: the bootstrap after the bytes that close its last context', () => {
  const cutPage = source.slice(0, source.indexOf('</div></div></body>'));
  const ENDS: [string, string][] = [
    ['a comment', `<!-- </body> ${cardCopy}`],
    ['a script', '<script>window.__late=`</body>' + cardCopy],
    ['a textarea', `<textarea></body>${cardCopy}`],
    ['a double-quoted attribute', '<span title="</body>'],
    ['a single-quoted attribute', `<span title='</body>${cardCopy}`],
  ];
  it.each(ENDS)('ends inside %s', async (_, end) => {
    const { html } = await patch(cutPage + end, OVERRIDES);
    const v = await visit(html);
    expectSafe(v);
    expect(v.bootstrap.found).toBe(true);
    expect(v.bootstrap.type).toBe('application/json');
    expect(JSON.parse(v.bootstrap.text as string).overrides).toEqual(told(OVERRIDES));
  });
});

// ── Pages on which the scanner and the browser once disagreed about what is markup (found by
// this file, now fixed). Each hides a marked card's copy (or a `</body>`) in script text that a
// scanner without the browser's reading takes for markup: the override is written into the
// script, and runs.

describe('scanner/browser agreement (regressions)', () => {
  const inScript = (before: string, scriptOpen: string, mid = '') =>
    withShell({ main: `${before}${scriptOpen}window.__t=\`${mid}${cardCopy}\`;</script>` });
  const TEMPLATE_NAME: Ov[] = [{ component: 'ProductCard', props: { name: HOSTILE.template } }];
  // [name, page, the script's string as the browser reads it]
  const DESYNCS: [string, string, string][] = [
    // HTML ignores the self-closing flag on <script>: script text follows until </script>.
    ['<script/> opens a script', inScript('', '<script/>'), cardCopy],
    // In HTML content `<![CDATA[` is a bogus comment that ends at the first `>`; reading it to
    // `]]>` would end it inside the script that the browser opened.
    ['<![CDATA[ in HTML content ends at the first >', inScript('<![CDATA[ > ', '<script>', ']]>'), `]]>${cardCopy}`],
    // In SVG/MathML, <style>/<title> hold markup; `</svg>` closes them and the <script> after is
    // real, while a raw-text reading would run to `</style>`, inside that script.
    ['<svg><style> is not raw text', inScript('<svg><style></svg>', '<script>', '</style>'), `</style>${cardCopy}`],
    ['<svg><title> is not RCDATA', inScript('<svg><title></svg>', '<script>', '</title>'), `</title>${cardCopy}`],
    ['<math><style> is not raw text', inScript('<math><style></math>', '<script>', '</style>'), `</style>${cardCopy}`],
  ];
  const every8k = (page: string) => Array.from({ length: Math.ceil(page.length / 8192) }, (_, i) => i * 8192);

  it.each(DESYNCS)('%s', async (_, page, scriptString) => {
    const { html } = await patch(page, TEMPLATE_NAME);
    const v = await visit(html, { t: 'window.__t' });
    expectSafe(v);
    // The copy in the script is the script's data: untouched, markers and all.
    expect(v.eval.t).toBe(scriptString);
  });

  it('a <script> start tag longer than 64 KiB, streamed in 8 KiB chunks, still opens a script', async () => {
    // Past the tag limit the scanner no longer holds the tag's bytes, and its name (checked
    // against those bytes) is lost when the tag spans chunks: the script's text is read as markup.
    const page = inScript('', `<script data-pad="${'x'.repeat(70_000)}">`);
    const { html } = await patch(page, TEMPLATE_NAME, every8k(page));
    const v = await visit(html, { t: 'window.__t' });
    expectSafe(v);
    // The copy in the script is the script's data: untouched, markers and all.
    expect(v.eval.t).toBe(cardCopy);
  });

  it('a </body> in such a script gets the bootstrap inside the script, and a backtick value runs', async () => {
    // The scanner takes the `</body>` in the script for the last real one and puts the bootstrap
    // there, inside a JS template literal: serializeForScript escapes `<`, `>`, `&`, U+2028/9,
    // but not a backtick.
    const overrides: Ov[] = [{ component: 'Hero', props: { title: HOSTILE.backtick } }];
    const page = withShell({ tail: '<script/>window.__u=`</body>`;</script>' });
    const { html } = await patch(page, overrides);
    const v = await visit(html);
    expectSafe(v);
    expectBootstrap(v, overrides);
  });
});
