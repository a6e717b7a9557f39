/**
 * The oracle (contract 4 in docs/contracts.md): patching the default render with overrides O gives, byte for
 * byte, what React renders with O, once the bootstrap script is removed. And the bootstrap the
 * edge writes, applied the way the client applies it, renders that same HTML: hydration is clean.
 */
import type { Override } from '@splice/manifest';
import { Card, Greeting, Hero, Page, Promo, manifest, render } from './fixtures';
import { patch, splitBootstrap, stripMarkers } from './helpers';

/**
 * `base` is the source page (markers in); `expected` is what the browser must get for the
 * overrides: React's render with them, markers removed. `patch` also checks that the base page
 * patched through its index gives the same bytes.
 */
async function oracle(overrides: Override[], node = <Page />) {
  const base = render(node);
  const expected = stripMarkers(render(node, overrides));
  const run = await patch(base, { manifest, overrides });
  const { html, bootstrap } = splitBootstrap(run.html);
  expect(run.report.skipped).toEqual([]);
  expect(run.report.problems).toEqual([]);
  expect(html).toBe(expected);
  expect(bootstrap).not.toBeNull();
  // The client sees only keys and instance ids, and must render the same bytes from them.
  expect(stripMarkers(render(node, bootstrap!.overrides))).toBe(expected);
  return { base, expected, run, bootstrap: bootstrap! };
}

describe('text holes', () => {
  it('replaces a whole-text hole, escaping like React', async () => {
    const { base, expected, run } = await oracle([{ component: 'Hero', props: { title: `<script>alert("x")</script> & 'co'` } }]);
    expect(expected).not.toBe(stripMarkers(base));
    expect(expected).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;');
    // The same prop feeds the <a title>: both elements patched.
    expect(run.report.patchedElements).toBe(2);
  });

  it('handles static + hole + static, including the hole becoming empty and non-empty', async () => {
    await oracle([{ component: 'Hero', props: { subtitle: 'pal' } }]);
    await oracle([{ component: 'Hero', props: { subtitle: '' } }]);
    await oracle([{ component: 'Hero', props: { subtitle: null } }]);
    await oracle([{ component: 'Hero', props: { subtitle: 42 } }]);
    await oracle([{ component: 'Hero', props: { title: '' } }]);
    await oracle([{ component: 'Hero', props: { title: 0 } }]);
  });

  it('an empty hole becomes non-empty and back (single hole, run count decides)', async () => {
    const page = <Hero title="" subtitle="" href="/x" />;
    await oracle([{ component: 'Hero', props: { title: 'now here', subtitle: 'there' } }], page);
    await oracle([{ component: 'Hero', props: { title: '', subtitle: '' } }], page);
  });

  it('two or more holes: the mask attributes the runs, and is rewritten', async () => {
    // base: first "Ada", last "" , count 3 → mask 101
    const { run } = await oracle([{ component: 'Greeting', props: { last: 'Lovelace' } }]);
    // The mask (which holes rendered) lived in the source page's marker; the browser gets none.
    expect(run.html).toContain('<p>Hello <!-- -->Ada<!-- --> <!-- -->Lovelace<!-- -->, you have <!-- -->3<!-- --> items</p>');
    await oracle([{ component: 'Greeting', props: { first: '' } }]);
    await oracle([{ component: 'Greeting', props: { first: null, last: 'X', count: '' } }]);
    await oracle([{ component: 'Greeting', props: { first: 'A&B', last: '<i>', count: 0 } }]);
    // Keep untouched holes' base bytes: only count changes.
    await oracle([{ component: 'Greeting', props: { count: 12 } }]);
  });

  it('every mask transition with two holes', async () => {
    const values = ['', 'x'];
    for (const f0 of values) for (const l0 of values) for (const f1 of values) for (const l1 of values) {
      await oracle([{ component: 'Greeting', props: { first: f1, last: l1 } }], <Greeting first={f0} last={l0} count={null} />);
    }
  });
});

describe('attribute holes', () => {
  it('replaces a value', async () => {
    await oracle([{ component: 'Hero', props: { href: '/new?a=1&b="2"' } }]);
  });

  it('removes the attribute when the value is null', async () => {
    const { run } = await oracle([{ component: 'Hero', props: { href: null } }]);
    expect(run.html).toContain('<a title="Big sale" class="cta">');
    await oracle([{ component: 'Card', props: { badge: null } }]);
  });

  it('inserts an attribute absent from the base before its static anchors', async () => {
    const { run } = await oracle([{ component: 'Card', props: { label: 'Buy it', badge: 'hot' } }]);
    expect(run.html).toContain('<a aria-label="Buy it" href="/buy" class="buy">Buy now</a>');
    expect(run.html).toContain('class="card card-plain" data-badge="hot" id="c">');
  });

  it('inserts at the end of a void element, before />', async () => {
    const { run } = await oracle([{ component: 'Promo', props: { note: 'Your "code"' } }]);
    expect(run.html).toContain('type="text" placeholder="Your &quot;code&quot;"/>');
    await oracle([{ component: 'Promo', props: { note: 'a' } }], <Promo note="b" />);
    await oracle([{ component: 'Promo', props: { note: null } }], <Promo note="b" />);
  });

  it('patches void elements (img) and template expressions', async () => {
    await oracle([{ component: 'Card', props: { alt: 'It\'s </script>', tone: 'bright' } }]);
  });

  it('numbers render like React', async () => {
    await oracle([{ component: 'Card', props: { tone: 7, label: 1.5 } }]);
  });
});

describe('instances', () => {
  it('numeric instance: the n-th instance in document order only, sent to the client as its id', async () => {
    const { run, bootstrap } = await oracle([{ component: 'Card', props: { name: 'Matcha' }, instance: 1 }]);
    expect(run.report.patchedElements).toBe(1);
    expect(bootstrap.overrides).toEqual([{ component: 'Card.c1', props: { name: 'Matcha' }, instance: '_R_2e_' }]);
  });

  it('string instance: the instance with that useId', async () => {
    const { bootstrap } = await oracle([{ component: 'Card', props: { name: 'Matcha', badge: 'sale' }, instance: '_R_3e_' }]);
    expect(bootstrap.overrides[0]!.instance).toBe('_R_3e_');
  });

  it('later overrides win, general and per instance combined', async () => {
    await oracle([
      { component: 'Card', props: { name: 'All', tone: 'x' } },
      { component: 'Card', props: { name: 'Second' }, instance: 1 },
      { component: 'Card.c1', props: { tone: 'y' }, instance: '_R_1e_' },
      { component: 'src/Card.tsx#Card', props: { badge: 'b' }, instance: 2 },
    ]);
  });

  it('drops a numeric instance that never appeared from the bootstrap', async () => {
    const base = render(<Page />);
    const run = await patch(base, { manifest, overrides: [{ component: 'Card', props: { name: 'X' }, instance: 9 }] });
    const { html, bootstrap } = splitBootstrap(run.html);
    expect(html).toBe(stripMarkers(base));
    // It wrote nothing, and there are no assignments: the client is told nothing at all.
    expect(bootstrap).toBeNull();
  });

  it('tells the client only the instances whose bytes were written (contract 6)', async () => {
    // The second card's <h2> is too long to buffer under this cap: its override is refused there,
    // so the bootstrap narrows the general override to the instances actually rewritten.
    const node = <div><Card name="a" badge={null} alt="x" label={null} tone="t" /><Card name={'b'.repeat(400)} badge={null} alt="x" label={null} tone="t" /></div>;
    const run = await patch(render(node), { manifest, overrides: [{ component: 'Card', props: { name: 'N' } }], limits: { elementBytes: 200 } });
    const { html, bootstrap } = splitBootstrap(run.html);
    expect(html).toContain('<h2>N</h2>');
    expect(html).toContain(`<h2>${'b'.repeat(400)}</h2>`);
    expect(bootstrap!.overrides).toHaveLength(1);
    expect(bootstrap!.overrides[0]).toEqual({ component: 'Card.c1', props: { name: 'N' }, instance: expect.any(String) });
    expect(stripMarkers(render(node, bootstrap!.overrides))).toBe(html);
  });
});

describe('structure', () => {
  it('leaves content of non-text marked elements alone and patches nested markers', async () => {
    const { run } = await oracle([{ component: 'Card', props: { tone: 'dark', name: 'N', badge: 'b', label: 'L', alt: 'A' } }]);
    // 3 cards × (div, img, h2, a)
    expect(run.report.patchedElements).toBe(12);
    expect(run.report.markers).toBe(17);
  });

  it('only the elements an override reaches are rewritten', async () => {
    const { run } = await oracle([{ component: 'Card', props: { alt: 'A' } }]);
    expect(run.report.patchedElements).toBe(3);
  });

  it('applies several components at once', async () => {
    await oracle([
      { component: 'Hero', props: { title: 'T', subtitle: 'S', href: '/h' } },
      { component: 'Greeting', props: { first: 'F', last: 'L', count: 1 } },
      { component: 'Promo', props: { note: 'n' } },
    ]);
  });

  it('works on a fragment with no <body>: bootstrap at the end', async () => {
    const node = <div><Hero title="a" subtitle="b" href="/c" /></div>;
    const base = render(node);
    const run = await patch(base, { manifest, overrides: [{ component: 'Hero', props: { title: 'z' } }] });
    expect(run.html.startsWith(stripMarkers(render(node, [{ component: 'Hero', props: { title: 'z' } }])))).toBe(true);
    expect(run.html.endsWith('</script>')).toBe(true);
  });
});

describe('alignment failures leave the element untouched and are reported', () => {
  it('static text that differs from the manifest', async () => {
    const base = render(<Page />).replace('Hi <!-- -->friend', 'Yo <!-- -->friend');
    const run = await patch(base, { manifest, overrides: [{ component: 'Hero', props: { subtitle: 'x' } }] });
    expect(splitBootstrap(run.html).html).toBe(stripMarkers(base));
    expect(run.report.problems.join()).toMatch(/static text does not match/);
    expect(run.report.patchedElements).toBe(0);
  });

  it('an element with markup where the manifest says text', async () => {
    const base = render(<Page />).replace('>Tea</h2>', '><em>Tea</em></h2>');
    const run = await patch(base, { manifest, overrides: [{ component: 'Card', props: { name: 'x' }, instance: 0 }] });
    expect(splitBootstrap(run.html).html).toBe(stripMarkers(base));
    expect(run.report.problems.join()).toMatch(/not text only/);
  });

  it('an attribute the manifest does not list', async () => {
    const base = render(<Page />).replace('title="Big sale" class="cta"', 'title="Big sale" rel="x" class="cta"');
    const run = await patch(base, { manifest, overrides: [{ component: 'Hero', props: { href: '/y' } }] });
    expect(splitBootstrap(run.html).html).toBe(stripMarkers(base));
    expect(run.report.problems.join()).toMatch(/does not match the manifest/);
  });

  it('a missing mask', async () => {
    const base = render(<Page />).replace(/(Greeting\.g1 0 \S+) 101"/, '$1"');
    const run = await patch(base, { manifest, overrides: [{ component: 'Greeting', props: { first: 'x' } }] });
    expect(splitBootstrap(run.html).html).toBe(stripMarkers(base));
    expect(run.report.problems.join()).toMatch(/mask/);
  });

  // A text hole that rendered an array of strings wrote one run per string: the mask has no
  // bit for that, so the source page carries none and the element is not patched (it was:
  // the second run of `first` was taken for `last`'s, and dropped when `last` changed).
  it('a hole that rendered two text runs in the source page', async () => {
    const node = <Greeting first={['Ada', ' '] as unknown as string} last={[] as unknown as string} count={3} />;
    const base = render(node);
    expect(base).toContain('Hello <!-- -->Ada<!-- --> <!-- --> <!-- -->, you have');
    const run = await patch(base, { manifest, overrides: [{ component: 'Greeting', props: { last: 'Lovelace' } }] });
    expect(splitBootstrap(run.html).html).toBe(stripMarkers(base));
    expect(run.report.problems.join()).toMatch(/mask/);
  });

  it('an element larger than the buffer cap', async () => {
    const long = 'x'.repeat(5000);
    const node = <div><Hero title="t" subtitle={long} href="/h" /><Hero title="t" subtitle="y" href="/h" /></div>;
    const base = render(node);
    const run = await patch(base, { manifest, overrides: [{ component: 'Hero', props: { subtitle: 'short' } }], limits: { elementBytes: 1000 } });
    const { html } = splitBootstrap(run.html);
    // The first <p> is given up (passed through whole), the second is still patched.
    expect(html.includes(long)).toBe(true);
    expect(html.includes('Hi <!-- -->short<!-- -->!')).toBe(true);
    expect(run.report.patchedElements).toBe(1);
    expect(run.report.problems.join()).toMatch(/too long/);
  });

  it('an element index outside the table, and an unknown key after a known one', async () => {
    const base = render(<Page />).replace('Card.c1 2 _R_1e_', 'Card.c1 9 _R_1e_').replace('Promo.p1 0', 'Other.x 0');
    const run = await patch(base, { manifest, overrides: [{ component: 'Card', props: { name: 'x' } }, { component: 'Promo', props: { note: 'n' } }] });
    expect(run.report.stale).toBe(false);
    expect(run.report.problems.join('\n')).toMatch(/element 9 is not in the manifest/);
    expect(run.report.problems.join('\n')).toMatch(/unknown component key "Other\.x"/);
    expect(splitBootstrap(run.html).html).toContain('<h2>x</h2>');
  });
});
