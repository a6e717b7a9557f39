export interface Product {
  id: string;
  name: string;
  /** Price in euro cents: the card formats it. */
  priceCents: number;
  image: string;
  /** Shown over the card, when there is one. */
  badge: string | null;
  features: string[];
}

const names = ['Alpine Parka', 'Merino Beanie', 'Trail Runner', 'Canvas Tote', 'Wool Scarf', 'Down Vest', 'Rain Shell', 'Hiking Sock'];

export const products: Product[] = names.map((name, i) => ({
  id: `p${i + 1}`,
  name,
  priceCents: 1900 + i * 1300,
  image: `/img/p${(i % 4) + 1}.svg`,
  badge: i % 3 === 0 ? 'New' : null,
  features: i % 2 === 0 ? ['Recycled fabric'] : ['Recycled fabric', 'Lifetime repairs'],
}));
