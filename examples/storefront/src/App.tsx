import { useState } from 'react';
import { Header } from './components/Header';
import { Hero } from './components/Hero';
import { ProductGrid } from './components/ProductGrid';
import { CartSummary } from './components/CartSummary';
import { products } from './products';
import { follow, usePath } from './router';

/** The shop (`/`) and the cart (`/cart`): two prerendered pages, and client-side navigation between them. */
export function App({ path = '/' }: { path?: string }) {
  const current = usePath(path);
  const [count, setCount] = useState(0);
  return (
    <div className="page">
      <Header storeName="Splice Outfitters" tagline="Gear for every weather" />
      <nav className="nav">
        <a href="/" className="nav-shop" onClick={follow}>Shop</a>
        <a href="/cart" className="nav-cart" onClick={follow}>Cart</a>
      </nav>
      {current === '/cart' ? (
        <main className="cart-page">
          <h2>Your cart</h2>
          <CartSummary count={count} label="In your cart" />
        </main>
      ) : (
        <main className="shop">
          <Hero title="Autumn collection" subtitle="Layers that move with you." ctaHref="/collections/autumn" ctaLabel="Shop autumn" />
          <CartSummary count={count} label="In your cart" />
          <ProductGrid items={products} onAdd={() => setCount((c) => c + 1)} />
        </main>
      )}
    </div>
  );
}
