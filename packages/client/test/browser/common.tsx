/** Two instrumented components, written the way the compiler's output calls the runtime. */
import { useSpliceProps } from '@splice/client';
const BannerRef = { key: 'Banner.k1', name: 'Banner', file: 'src/Banner.tsx' };
const CtaRef = { key: 'Cta.k1', name: 'Cta', file: 'src/Cta.tsx' };
export function Banner(raw: { text: string; cls?: string }) {
  const { props } = useSpliceProps(BannerRef, raw);
  return <p className={props.cls ?? 'banner'}>{props.text}</p>;
}
export function Cta(raw: { label: string; cls?: string }) {
  const { props } = useSpliceProps(CtaRef, raw);
  return <button type="button" className={props.cls ?? 'cta'}>{props.label}</button>;
}
