import { useState } from 'react';

export interface ProductCardProps {
  name: string;
  priceCents: number;
  image: string;
  badge: string | null;
  features: string[];
  onAdd: () => void;
}

/** `1900` → `€19.00`: the edge re-renders the card for a new price, so this runs there too. */
function formatPrice(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}

export function ProductCard({ name, priceCents, image, badge, features, onAdd }: ProductCardProps) {
  const [added, setAdded] = useState(false);
  return (
    <article className="card">
      <img className="card-img" src={image} alt={name} width="160" height="120" />
      {badge ? <span className="badge">{badge}</span> : null}
      <h2 className="card-name">{name}</h2>
      <p className="price">Only {formatPrice(priceCents)}</p>
      <ul className="features">
        {features.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      <button
        type="button"
        className="add"
        onClick={() => {
          setAdded(true);
          onAdd();
        }}
      >
        {added ? 'Added ✓' : 'Add to cart'}
      </button>
    </article>
  );
}
