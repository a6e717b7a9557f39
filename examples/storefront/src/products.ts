export interface Product {
  id: string;
  name: string;
  price: string;
  image: string;
  badge: string;
}

const names = ['Alpine Parka', 'Merino Beanie', 'Trail Runner', 'Canvas Tote', 'Wool Scarf', 'Down Vest', 'Rain Shell', 'Hiking Sock'];

export const products: Product[] = names.map((name, i) => ({
  id: `p${i + 1}`,
  name,
  price: `€${(19 + i * 13).toFixed(2)}`,
  image: `/img/p${(i % 4) + 1}.svg`,
  badge: i % 3 === 0 ? 'New' : '',
}));
