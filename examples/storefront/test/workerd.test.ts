/** The built worker in the real runtime (workerd via miniflare): no mocks. */
import * as path from 'path';
import { createTestEdge } from '@splice/dev';
import type { TestEdge } from '@splice/dev';
import { dist, loadBuild, splitBootstrap, stripMarkers } from './helpers';
import { variants } from '../src/variants';

const { renderPage } = loadBuild();
let edge: TestEdge;

beforeAll(async () => {
  edge = await createTestEdge({ scriptPath: path.join(dist, 'worker', 'worker.mjs'), assetsDir: path.join(dist, 'public') });
}, 60_000);
afterAll(() => edge?.dispose());

describe('storefront worker in workerd', () => {
  it('serves the variant, patched, with the bootstrap and private caching', async () => {
    const res = await edge.fetch('/?variant=b');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-splice')).toMatch(/^patched; build=\w+; applied=3; skipped=0$/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('Winter sale: 30% off &lt;everything&gt; &amp; more');
    const { page, bootstrap } = splitBootstrap(html);
    expect(bootstrap.assignments).toEqual({ home: 'b' });
    expect(html.indexOf('id="__SPLICE__"')).toBeLessThan(html.indexOf('</body>'));
    // The oracle again, this time through workerd's streams.
    expect(page).toBe(stripMarkers(renderPage(variants.b)));
  });

  it('serves the layout variant: the edge module re-renders the cards in workerd', async () => {
    const res = await edge.fetch('/?variant=c');
    expect(res.headers.get('x-splice')).toMatch(/^patched; build=\w+; applied=3; skipped=0$/);
    const { page, bootstrap } = splitBootstrap(await res.text());
    expect(page).toBe(stripMarkers(renderPage(variants.c)));
    expect(bootstrap.overrides).toHaveLength(3);
  });

  it('serves the default page unchanged but for the bootstrap', async () => {
    const res = await edge.fetch('/');
    const { page, bootstrap } = splitBootstrap(await res.text());
    expect(page).toBe(stripMarkers(renderPage([])));
    expect(bootstrap).toEqual(expect.objectContaining({ assignments: { home: 'a' }, overrides: [] }));
  });

  it('serves static assets untouched', async () => {
    const res = await edge.fetch('/styles.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/css/);
    expect(res.headers.get('x-splice')).toBeNull();
  });
});
