import { createContext, createElement, useContext, useId } from 'react';
import type { ReactNode } from 'react';

interface Route { locale: string; region: string; path: string }
const Ctx = createContext<Route | null>(null);
export function RouteProvider({ locale, region, path, children }: Route & { children?: ReactNode }) {
  return createElement(Ctx.Provider, { value: { locale, region, path } }, children);
}
function useCtx(): Route { const c = useContext(Ctx); if (c === null) throw new Error('no provider'); return c; }
export function useLocale(): string { return useCtx().locale; }
export function useRegion(): string { return useCtx().region; }
/** Like next/navigation's usePathname: null without its provider (no throw). */
export function usePath<T extends string = string>(): T | null { return (useContext(Ctx)?.path ?? null) as T | null; }
export function useFieldId(): string { return useId(); }
export function useKeyGen(): () => string { let n = 0; return () => `k${++n}`; }
export function useSparse(): string[] { const a = ['a', 'b', 'c']; delete a[1]; return a; }
export function useDict(): Record<string, string> { const d = Object.create(null) as Record<string, string>; d.apple = 'Apfel'; return d; }
export function useCounter() { return { n: 0, get count() { return this.n; }, inc() { this.n++; } }; }
const LocaleCtx = createContext('en');
export function LocaleProvider({ locale, children }: { locale: string; children?: ReactNode }) { return createElement(LocaleCtx.Provider, { value: locale }, children); }
export function useNestedLocale(): string { return useContext(LocaleCtx); }
export function useBig(): string[] { return Array.from({ length: 6000 }, () => 'ab'); }
const RegCtx = createContext<{ items: string[] }>({ items: [] });
export function RegistryProvider({ children }: { children?: ReactNode }) { return createElement(RegCtx.Provider, { value: { items: [] } }, children); }
export function useRegistry(): { items: string[] } { return useContext(RegCtx); }
export function useRegister(name: string): void { useContext(RegCtx).items.push(name); }
