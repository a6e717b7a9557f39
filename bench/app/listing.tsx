// The structural bench's page: a REAL React render of the storefront's own components (Header,
// Hero, CartSummary, ProductCard from examples/storefront/src, instrumented by SplicePlugin in
// bench/build.mjs) in a listing of 60 products, each card in a tile with the unmarked markup real
// listings carry (a description with inline links, an SVG icon, a star rating, tags, a spec list,
// colour swatches, breadcrumbs), plus a category nav and a footer: ≈150 KB of base page. Instance
// ids, tree positions and instance states are React's own (nothing is copied or rewritten), so
// the edge's re-render of a card must reproduce exactly what this render wrote.
//
// Built by bench/build.mjs (`structural`) into bench/dist/structural/listing.js (production React,
// for Node) with the manifest and the edge module `splice-edge.mjs` SplicePlugin emits next to it.
import { renderToString } from 'react-dom/server';
import { SpliceProvider } from '@splice/client';
import type { Override } from '@splice/client';
import { Header } from '../../examples/storefront/src/components/Header';
import { Hero } from '../../examples/storefront/src/components/Hero';
import { CartSummary } from '../../examples/storefront/src/components/CartSummary';
import { ProductCard } from '../../examples/storefront/src/components/ProductCard';
import type { Product } from '../../examples/storefront/src/products';

/** The same renderer the edge module exports, built with this bundle's production React. */
export { createRenderer } from '@splice/client/render';

const NAMES = ['Alpine Parka', 'Merino Beanie', 'Trail Runner', 'Canvas Tote', 'Wool Scarf', 'Down Vest', 'Rain Shell', 'Hiking Sock', 'Fleece Mid-layer', 'Storm Gloves'];
const FEATURES = ['Recycled fabric', 'Lifetime repairs', 'Machine washable', 'Packs into its pocket', 'Reflective trim', 'PFC-free finish'];

export const PRODUCTS = 60;

export const products: Product[] = Array.from({ length: PRODUCTS }, (_, i) => ({
  id: `p${i + 1}`,
  name: `${NAMES[i % NAMES.length]} ${i + 1}`,
  priceCents: 1900 + ((i * 1300) % 23000),
  image: `/img/p${(i % 4) + 1}.svg`,
  badge: i % 3 === 0 ? 'New' : null,
  features: FEATURES.slice(i % 4, (i % 4) + 1 + (i % 3)),
}));

const TAGS = ['wool', 'outdoor', 'winter', 'waterproof', 'recycled', 'travel', 'hiking', 'unisex', 'limited', 'bestseller', 'light', 'warm'];
const COLOURS = ['#1d3557', '#457b9d', '#a8dadc', '#e63946', '#2a9d8f', '#e9c46a'];
const SPECS: [string, (i: number) => string][] = [['Weight', (i) => `${300 + (i % 200)} g`], ['Fabric', () => 'Merino'], ['Fit', () => 'Regular'], ['Origin', () => 'Portugal'], ['Care', () => 'Hand wash'], ['Size', (i) => 'SML'[i % 3] as string]];

/** Unmarked markup around card `i` (not a Splice component: plain React). */
function TileExtras({ i }: { i: number }) {
  const tags = TAGS.map((_, k) => TAGS[(i + k * 5) % TAGS.length] as string);
  return (
    <div className="tile-body">
      <p className="desc">
        A <em>warm</em>, <strong>light</strong> layer for <a href={`/c/outdoor?ref=${i}`}>outdoor</a> days and <a href={`/c/city?ref=${i}`}>city</a> evenings.
        Item <span className="sku">SKU-{100000 + i}</span> ships in <b>{1 + (i % 5)}</b> days; <a href="/returns">free returns</a>. Cut from a soft, breathable knit that keeps its shape wash after wash.
      </p>
      <svg className="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
        <g fill="none" stroke="currentColor"><path d="M3 12h18" /><path d="M12 3v18" /><circle cx="12" cy="12" r="9" /></g>
      </svg>
      <div className="rating" title={`${3 + (i % 3)} of 5`}>
        {[0, 1, 2, 3, 4].map((k) => <i key={k} className="star" />)}
        <span>({(i * 37) % 500})</span>
      </div>
      <ul className="tags">{tags.map((t, k) => <li key={k}><a href={`/t/${t}`}>{t}</a></li>)}</ul>
      <dl className="specs">{SPECS.map(([k, v]) => [<dt key={`t${k}`}>{k}</dt>, <dd key={`d${k}`}>{v(i)}</dd>])}</dl>
      <div className="swatches">{COLOURS.map((c) => <button key={c} className="swatch" title={c}><i style={{ background: c }} /></button>)}</div>
      <ol className="crumbs"><li><a href="/">Home</a></li><li><a href="/c/outdoor">Outdoor</a></li><li><a href={`/p/${i}`}>Item {i}</a></li></ol>
    </div>
  );
}

function Listing({ items, onAdd }: { items: Product[]; onAdd: () => void }) {
  return (
    <main className="grid">
      {items.map((p, i) => (
        <div key={p.id} className="tile">
          <ProductCard name={p.name} priceCents={p.priceCents} image={p.image} badge={p.badge} features={p.features} onAdd={onAdd} />
          <TileExtras i={i} />
        </div>
      ))}
    </main>
  );
}

function links(prefix: string, n: number) {
  return Array.from({ length: n }, (_, k) => <li key={k}><a href={`/${prefix}/${k}`}>{prefix} {k}</a></li>);
}

function App() {
  return (
    <div className="page">
      <Header storeName="Splice Outfitters" tagline="Gear for every weather" />
      <nav className="categories"><ul>{links('category', 24)}</ul></nav>
      <Hero title="Autumn collection" subtitle="Layers that move with you." ctaHref="/collections/autumn" ctaLabel="Shop autumn" />
      <CartSummary count={0} label="In your cart" />
      <Listing items={products} onAdd={() => undefined} />
      <footer className="footer"><ul>{links('help', 30)}</ul><p className="legal">© 2026 Splice Outfitters. All prices include VAT.</p></footer>
    </div>
  );
}

/** The full document (the source page, with Splice's markers); `[]` is the cached page, others the oracle. */
export function renderPage(overrides: readonly Override[] = []): string {
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>' +
    '<title>Splice Outfitters: all products</title><link rel="stylesheet" href="/styles.css"/>' +
    '<script src="/client.js" defer></script></head><body>' +
    `<div id="root">${renderToString(<SpliceProvider overrides={overrides}><App /></SpliceProvider>)}</div>` +
    '</body></html>'
  );
}
