/**
 * A react-router app (BrowserRouter) with two instrumented components, written the way the
 * compiler's output calls the runtime: the navigation test's page (navigation.browser.test.ts).
 */
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Route, Routes } from 'react-router';
import { SpliceProvider, useSpliceProps } from '@splice/client';

const BannerRef = { key: 'Banner.k1', name: 'Banner', file: 'src/Banner.tsx' };
const CtaRef = { key: 'Cta.k1', name: 'Cta', file: 'src/Cta.tsx' };

function Banner(raw: { text: string }) {
  const { props } = useSpliceProps(BannerRef, raw);
  return <p className="banner">{props.text}</p>;
}

function Cta(raw: { label: string }) {
  const { props } = useSpliceProps(CtaRef, raw);
  return <button type="button" className="cta">{props.label}</button>;
}

function App() {
  return (
    <>
      <nav>
        <Link to="/" className="to-home">Home</Link> <Link to="/shop" className="to-shop">Shop</Link> <Link to="/about" className="to-about">About</Link>
      </nav>
      <Routes>
        <Route path="/" element={<main className="home"><Banner text="Welcome" /></main>} />
        <Route path="/shop" element={<main className="shop"><Banner text="Shop banner" /><Cta label="Buy" /></main>} />
        <Route path="/about" element={<main className="about">About us</main>} />
      </Routes>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <SpliceProvider>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </SpliceProvider>,
);
