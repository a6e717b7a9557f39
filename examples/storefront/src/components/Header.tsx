import { useState } from 'react';

export interface HeaderProps {
  storeName: string;
  tagline: string;
}

export function Header({ storeName, tagline }: HeaderProps) {
  const [open, setOpen] = useState(false);
  return (
    <header className="header">
      <strong className="logo">{storeName}</strong>
      <span className="tagline">{tagline}</span>
      <button type="button" className="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Close' : 'Menu'}
      </button>
    </header>
  );
}
