/** The built worker in the real runtime (workerd via miniflare): no mocks. */
import * as path from 'path';
import { createTestEdge } from '@splice/dev';
import type { TestEdge } from '@splice/dev';
import { DEV_SECRET, dist, loadBuild, previewPath, splitBootstrap, stripMarkers } from './helpers';
import { variants } from '../src/variants';

const { renderPage } = loadBuild();
let edge: TestEdge;

beforeAll(async () => {
  edge = await createTestEdge({ scriptPath: path.join(dist, 'worker', 'worker.mjs'), assetsDir: path.join(dist, 'public'), bindings: { SPLICE_SECRET: DEV_SECRET } });
}, 60_000);
afterAll(() => edge?.dispose());

describe('storefront worker in workerd', () => {
  it('serves the variant, patched, with the bootstrap and private caching', async () => {
    const res = await edge.fetch(await previewPath('b'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-splice')).toMatch(/^patched; build=\w+; applied=3; skipped=0$/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('Winter sale: 30% off &lt;everything&gt; &amp; more');
    const { page, bootstrap } = splitBootstrap(html);
    expect(bootstrap.assignments).toEqual({ home: 'b', 'cart-label': 'control' });
    expect(res.headers.get('x-splice-preview')).toBe('home=b; cart-label=control');
    expect(html.indexOf('id="__SPLICE__"')).toBeLessThan(html.indexOf('</body>'));
    // The oracle again, this time through workerd's streams.
    expect(page).toBe(stripMarkers(renderPage(variants.b)));
  });

  it('serves the layout variant: the edge module re-renders the cards in workerd', async () => {
    const res = await edge.fetch(await previewPath('c'));
    expect(res.headers.get('x-splice')).toMatch(/^patched; build=\w+; applied=3; skipped=0$/);
    const { page, bootstrap } = splitBootstrap(await res.text());
    expect(page).toBe(stripMarkers(renderPage(variants.c)));
    expect(bootstrap.overrides).toHaveLength(3);
  });

  it('serves the default page unchanged but for the bootstrap', async () => {
    const res = await edge.fetch(await previewPath('a'));
    const { page, bootstrap } = splitBootstrap(await res.text());
    expect(page).toBe(stripMarkers(renderPage([])));
    expect(bootstrap).toEqual(expect.objectContaining({ assignments: { home: 'a', 'cart-label': 'control' }, overrides: [] }));
  });

  it('assigns a new visitor, keeps the assignment in a signed cookie, and applies the geo rule', async () => {
    const first = await edge.fetch('/', { headers: { 'cf-ipcountry': 'DE' } });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const { page, bootstrap } = splitBootstrap(await first.text());
    expect(page).toContain('Kostenloser Versand diese Woche');
    for (let i = 0; i < 5; i++) {
      const again = await edge.fetch('/', { headers: { cookie } });
      expect(again.headers.get('set-cookie')).toBeNull();
      expect(splitBootstrap(await again.text()).bootstrap.assignments).toEqual(bootstrap.assignments);
    }
  });

  it('serves static assets untouched', async () => {
    const res = await edge.fetch('/styles.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/css/);
    expect(res.headers.get('x-splice')).toBeNull();
  });
});
