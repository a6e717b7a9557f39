export function CartSummary({ count, label }: { count: number; label: string }) {
  return (
    <aside className="cart" data-testid="cart">
      {label}: <output className="cart-count">{count}</output>
    </aside>
  );
}
