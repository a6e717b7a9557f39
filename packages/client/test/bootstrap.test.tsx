/**
 * @jest-environment node
 */
import { renderToString } from 'react-dom/server';
import { SpliceProvider, useSpliceProps, readBootstrap, resetBootstrapCache } from '@splice/client';
import { bootstrapScript } from '@splice/manifest';
import { checkedBootstrap } from '../src/bootstrap';

const ref = { key: 'Hero.k1', name: 'Hero', file: 'src/Hero.tsx' };
function Hero(input: { title: string }) {
  const s = useSpliceProps(ref, input);
  return <h1 data-splice={s.marker(0)}>{s.props.title}</h1>;
}

// A minimal `document` is enough: the bootstrap reader only needs the page's `script#__SPLICE__` elements.
function withDocument(html: string, run: () => void) {
  const scripts = [...html.matchAll(/<script[^>]*id="__SPLICE__"[^>]*>([\s\S]*?)<\/script>/g)].map((m) => ({ textContent: m[1], text: m[1] }));
  (globalThis as any).document = {
    querySelectorAll: (selector: string) => (selector === 'script#__SPLICE__' ? scripts : []),
  };
  resetBootstrapCache();
  try {
    run();
  } finally {
    delete (globalThis as any).document;
    resetBootstrapCache();
  }
}

describe('the bootstrap in the browser', () => {
  it('wins over the provider prop, so hydration renders what the edge patched', () => {
    const page = bootstrapScript({ buildId: 'b', assignments: {}, overrides: [{ component: 'Hero.k1', props: { title: '</script>' } }] });
    withDocument(page, () => {
      expect(readBootstrap()?.overrides).toHaveLength(1);
      const html = renderToString(
        <SpliceProvider overrides={[{ component: 'Hero', props: { title: 'ignored' } }]}>
          <Hero title="default" />
        </SpliceProvider>,
      );
      expect(html).toContain('&lt;/script&gt;</h1>');
    });
  });

  it('reads a malformed bootstrap as none: default props, no exception', () => {
    withDocument('<script type="application/json" id="__SPLICE__">{not json</script>', () => {
      expect(readBootstrap()).toBeNull();
      expect(renderToString(<SpliceProvider><Hero title="default" /></SpliceProvider>)).toContain('>default</h1>');
    });
  });
});

describe('the beacon a bootstrap names', () => {
  // URL parsers read `\` as `/` in http(s) URLs: `/\host/x` is `//host/x`, another site.
  it.each(['/\\evil.example/collect', '/\\/evil.example', '//evil.example', 'https://evil.example/'])('%s is not a path of this site: left out, and nothing is reported', (beacon) => {
    expect(new URL(beacon, 'https://shop.example/').host).not.toBe('shop.example');
    const read = checkedBootstrap({ buildId: 'b', assignments: {}, overrides: [], beacon, site: [{ experiment: 'x', variant: 'a', touches: ['Hero'], overrides: [] }] });
    expect(read.beacon).toBeUndefined();
    expect(read.site?.[0]?.touches).toBeUndefined();
  });

  it.each(['/__splice/exposure', '/a/b?c=d', '/%5Cx'])('%s is kept', (beacon) => {
    expect(new URL(beacon, 'https://shop.example/').host).toBe('shop.example');
    expect(checkedBootstrap({ buildId: 'b', assignments: {}, overrides: [], beacon }).beacon).toBe(beacon);
  });
});
