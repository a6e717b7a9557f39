import type { Product } from '../products';
import { ProductCard } from './ProductCard';

export function ProductGrid({ items, onAdd }: { items: Product[]; onAdd: () => void }) {
  return (
    <main className="grid">
      {items.map((p) => (
        <ProductCard key={p.id} name={p.name} priceCents={p.priceCents} image={p.image} badge={p.badge} features={p.features} onAdd={onAdd} />
      ))}
    </main>
  );
}
