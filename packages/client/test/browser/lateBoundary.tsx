/**
 * Two instances of one component, the first inside a Suspense boundary that hydrates late (its
 * code arrives 300 ms after the shell's): hydration renders the second one first. The server
 * renders the same tree with `Banner` itself in the boundary.
 */
import { Suspense } from 'react';
import type { ComponentType } from 'react';
import { useSpliceProps } from '@splice/client';

const BannerRef = { key: 'Banner.k1', name: 'Banner', file: 'src/Banner.tsx' };
export function Banner(raw: { text: string; cls: string }) {
  const { props, marker } = useSpliceProps(BannerRef, raw);
  return <p data-splice={marker(0)} className={props.cls}>{props.text}</p>;
}
export function App({ First }: { First: ComponentType<{ text: string; cls: string }> }) {
  return <main><Suspense fallback={null}><First text="First" cls="first" /></Suspense><Banner text="Second" cls="second" /></main>;
}
