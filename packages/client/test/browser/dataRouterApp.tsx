/** react-router's data router (createBrowserRouter): it listens to popstate from the moment it is created. */
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Link, Outlet, RouterProvider } from 'react-router';
import { SpliceProvider } from '@splice/client';
import { Banner, Cta } from './common';
function Shell() { return <><nav><Link to="/" className="to-home">Home</Link> <Link to="/shop" className="to-shop">Shop</Link></nav><Outlet /></>; }
const router = createBrowserRouter([{ path: '/', element: <Shell />, children: [
  { index: true, element: <main className="home"><Banner text="Welcome" /></main> },
  { path: 'shop', element: <main className="shop"><Banner text="Shop banner" /><Cta label="Buy" /></main> },
] }]);
createRoot(document.getElementById('root')!).render(<SpliceProvider><RouterProvider router={router} /></SpliceProvider>);
