/**
 * A react-router app (BrowserRouter) for the navigation cases: a layout instance kept across
 * routes, two instances of one component, StrictMode and a second root on request
 * (`window.__OPTS`).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Route, Routes, useLocation } from 'react-router';
import { SpliceProvider } from '@splice/client';
import { Banner, Cta } from './common';

const opts = (window as any).__OPTS ?? {};
function Layout() { useLocation(); return opts.layoutBanner ? <Banner text="Layout banner" cls="layout-banner" /> : null; }

function App() {
  return (
    <>
      <nav>
        <Link to="/" className="to-home">Home</Link> <Link to="/shop" className="to-shop">Shop</Link> <Link to="/about" className="to-about">About</Link> <Link to="/two" className="to-two">Two</Link> <Link to="/shop2" className="to-shop2">Shop2</Link>
      </nav>
      <Layout />
      <Routes>
        <Route path="/" element={<main className="home"><Banner text="Welcome" /></main>} />
        <Route path="/shop" element={<main className="shop"><Banner text="Shop banner" /><Cta label="Buy" /></main>} />
        <Route path="/shop2" element={<main className="shop2"><Banner text="Shop A" cls="banner-a" /><Banner text="Shop B" cls="banner-b" /></main>} />
        <Route path="/two" element={<main className="two"><Cta label="One" cls="cta0" /><Cta label="Two" cls="cta1" /></main>} />
        <Route path="/about" element={<main className="about">About us</main>} />
      </Routes>
    </>
  );
}
const tree = <SpliceProvider><BrowserRouter><App /></BrowserRouter></SpliceProvider>;
createRoot(document.getElementById('root')!).render(opts.strict ? <StrictMode>{tree}</StrictMode> : tree);
if (opts.secondRoot) createRoot(document.getElementById('root2')!).render(<SpliceProvider><Banner text="Welcome" cls="banner2" /></SpliceProvider>);
