import { useState } from 'react';
import { Header } from './components/Header';
import { Hero } from './components/Hero';
import { ProductGrid } from './components/ProductGrid';
import { CartSummary } from './components/CartSummary';
import { products } from './products';

export function App() {
  const [count, setCount] = useState(0);
  return (
    <div className="page">
      <Header storeName="Splice Outfitters" tagline="Gear for every weather" />
      <Hero title="Autumn collection" subtitle="Layers that move with you." ctaHref="/collections/autumn" ctaLabel="Shop autumn" />
      <CartSummary count={count} label="In your cart" />
      <ProductGrid items={products} onAdd={() => setCount((c) => c + 1)} />
    </div>
  );
}
