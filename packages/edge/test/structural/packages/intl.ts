/**
 * A stand-in for an i18n package (`next-intl`, `react-intl`), imported by fixtures as the package
 * `@fixture/intl`: a provider with the messages and hooks that read it. Not compiled by Splice
 * (packages never are), so the fixtures' calls of its hooks are replayed at the edge. It takes a
 * `useId` in its hook, as libraries do, which the replay must account for.
 */
import { createContext, createElement, useContext, useId, useMemo } from 'react';
import type { ReactNode } from 'react';

type Messages = Record<string, Record<string, string>>;

interface Intl { locale: string; messages: Messages }

const IntlContext = createContext<Intl | null>(null);

export function IntlProvider({ locale, messages, children }: { locale: string; messages: Messages; children?: ReactNode }) {
  return createElement(IntlContext.Provider, { value: { locale, messages } }, children);
}

export interface Translate {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
}

function useIntl(): Intl {
  const intl = useContext(IntlContext);
  if (intl === null) throw new Error('@fixture/intl: no <IntlProvider> above');
  return intl;
}

export function useTranslations(namespace: string): Translate {
  const intl = useIntl();
  useId();
  return useMemo(() => {
    const table = intl.messages[namespace] ?? {};
    const t = ((key: string, values: Record<string, string | number> = {}) => {
      const message = table[key];
      if (message === undefined) return `${namespace}.${key}`;
      return message.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
    }) as Translate;
    t.has = (key) => key in table;
    return t;
  }, [intl, namespace]);
}

export function useLocale(): string {
  return useIntl().locale;
}

export interface Formatter {
  price(cents: number): string;
}

/** An object of functions (like `useFormatter()`). */
export function useFormatter(): Formatter {
  const { locale } = useIntl();
  return { price: (cents) => `${locale === 'de-DE' ? '' : '$'}${(cents / 100).toFixed(2)}${locale === 'de-DE' ? ' €' : ''}` };
}
