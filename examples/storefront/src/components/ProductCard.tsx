import { useState } from 'react';

export interface ProductCardProps {
  name: string;
  price: string;
  image: string;
  badge: string;
  onAdd: () => void;
}

export function ProductCard({ name, price, image, badge, onAdd }: ProductCardProps) {
  const [added, setAdded] = useState(false);
  return (
    <article className="card">
      <img className="card-img" src={image} alt={name} width="160" height="120" />
      <span className="badge">{badge}</span>
      <h2 className="card-name">{name}</h2>
      <p className="price">Only {price}</p>
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
