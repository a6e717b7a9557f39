/**
 * Hand-instrumented components: they render exactly what the compiler's output would (a
 * `data-splice` marker as the FIRST prop of each marked element, `key element instance[ mask]`),
 * plus the manifest the compiler would write for them. A tiny stand-in for `SpliceProvider`
 * applies overrides the way the client does, so React itself produces the oracle's expected HTML.
 */
import { createContext, useContext, useId } from 'react';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { formatMarker, overrideNames, textMask } from '@splice/manifest';
import type { Override, SpliceManifest } from '@splice/manifest';

export const HERO = { key: 'Hero.h1', name: 'Hero', file: 'src/Hero.tsx' };
export const GREET = { key: 'Greeting.g1', name: 'Greeting', file: 'src/Greeting.tsx' };
export const CARD = { key: 'Card.c1', name: 'Card', file: 'src/Card.tsx' };
export const PROMO = { key: 'Promo.p1', name: 'Promo', file: 'src/Promo.tsx' };

const prop = (name: string) => ({ kind: 'prop' as const, path: [name] });

export const manifest: SpliceManifest = {
  schemaVersion: 4,
  buildId: 'build-1',
  components: {
    [HERO.key]: {
      name: HERO.name, file: HERO.file, line: 1,
      props: {
        title: { tier: 'value' },
        subtitle: { tier: 'value' },
        href: { tier: 'value' },
        tracking: { tier: 'none', code: 'SPL201', reason: 'tracking is passed to a child the analyzer cannot see into' },
      },
      elements: [
        // <h1 className="hero-title">{title}</h1>
        { tag: 'h1', attrs: [{ name: 'class' }], text: [{ kind: 'hole', expr: prop('title') }] },
        // <p>Hi {subtitle}!</p>
        { tag: 'p', attrs: [], text: [{ kind: 'static', value: 'Hi ' }, { kind: 'hole', expr: prop('subtitle') }, { kind: 'static', value: '!' }] },
        // <a href={href} title={title} className="cta">Go <b>now</b></a>: no text entry
        { tag: 'a', attrs: [{ name: 'href', hole: prop('href') }, { name: 'title', hole: prop('title') }, { name: 'class' }] },
      ],
    },
    [GREET.key]: {
      name: GREET.name, file: GREET.file, line: 1,
      props: { first: { tier: 'value' }, last: { tier: 'value' }, count: { tier: 'value' } },
      elements: [
        // <p>Hello {first} {last}, you have {count} items</p>
        {
          tag: 'p', attrs: [],
          text: [
            { kind: 'static', value: 'Hello ' }, { kind: 'hole', expr: prop('first') }, { kind: 'static', value: ' ' },
            { kind: 'hole', expr: prop('last') }, { kind: 'static', value: ', you have ' }, { kind: 'hole', expr: prop('count') },
            { kind: 'static', value: ' items' },
          ],
        },
      ],
    },
    [CARD.key]: {
      name: CARD.name, file: CARD.file, line: 1,
      props: { name: { tier: 'value' }, badge: { tier: 'value' }, alt: { tier: 'value' }, label: { tier: 'value' }, tone: { tier: 'value' } },
      elements: [
        // <div className={`card card-${tone}`} data-badge={badge} id="c">…nested marked elements…</div>
        {
          tag: 'div',
          attrs: [
            { name: 'class', hole: { kind: 'template', quasis: ['card card-', ''], exprs: [prop('tone')] } },
            { name: 'data-badge', hole: prop('badge') },
            { name: 'id' },
          ],
        },
        // <img src="/p.png" alt={alt} loading="lazy"/>
        { tag: 'img', attrs: [{ name: 'src' }, { name: 'alt', hole: prop('alt') }, { name: 'loading' }] },
        // <h2>{name}</h2>
        { tag: 'h2', attrs: [], text: [{ kind: 'hole', expr: prop('name') }] },
        // <a aria-label={label} href="/buy" className="buy">{badge ? 'Buy now' : 'Buy'}</a>
        {
          tag: 'a',
          attrs: [{ name: 'aria-label', hole: prop('label') }, { name: 'href' }, { name: 'class' }],
          text: [{ kind: 'hole', expr: { kind: 'cond', test: prop('badge'), then: { kind: 'literal', value: 'Buy now' }, else: { kind: 'literal', value: 'Buy' } } }],
        },
      ],
    },
    [PROMO.key]: {
      name: PROMO.name, file: PROMO.file, line: 1,
      props: { note: { tier: 'value' } },
      // <input type="text" placeholder={note}/>: a void element whose hole may be absent (insert before `/>`)
      elements: [{ tag: 'input', attrs: [{ name: 'type' }, { name: 'placeholder', hole: prop('note') }] }],
    },
  },
};

// ── The SpliceProvider stand-in: applies overrides as the client runtime would.
interface Ctx { overrides: Override[]; seen: Map<string, string[]> }
const SpliceCtx = createContext<Ctx>({ overrides: [], seen: new Map() });

function useProps<P extends Record<string, unknown>>(ref: typeof HERO, defaults: P): { props: P; id: string } {
  const id = useId();
  const ctx = useContext(SpliceCtx);
  let ids = ctx.seen.get(ref.key);
  if (ids === undefined) ctx.seen.set(ref.key, (ids = []));
  if (!ids.includes(id)) ids.push(id);
  const ordinal = ids.indexOf(id);
  let props: P = defaults;
  for (const o of ctx.overrides) {
    if (!overrideNames(o.component, ref)) continue;
    if (o.instance !== undefined && o.instance !== id && o.instance !== ordinal) continue;
    props = { ...props, ...o.props };
  }
  return { props, id };
}

const m = (ref: typeof HERO, element: number, instance: string, mask?: string) =>
  formatMarker(mask === undefined ? { key: ref.key, element, instance } : { key: ref.key, element, instance, mask });

type Text = string | number | null;

export function Hero(defaults: { title: Text; subtitle: Text; href: string | null; tracking?: string }) {
  const { props: p, id } = useProps(HERO, defaults);
  return (
    <header>
      <h1 data-splice={m(HERO, 0, id)} className="hero-title">{p.title}</h1>
      <p data-splice={m(HERO, 1, id)}>Hi {p.subtitle}!</p>
      <a data-splice={m(HERO, 2, id)} href={p.href ?? undefined} title={p.title === null ? undefined : String(p.title)} className="cta">
        Go <b>now</b>
      </a>
    </header>
  );
}

export function Greeting(defaults: { first: Text; last: Text; count: Text }) {
  const { props: p, id } = useProps(GREET, defaults);
  return (
    <p data-splice={m(GREET, 0, id, textMask([p.first, p.last, p.count]))}>
      Hello {p.first} {p.last}, you have {p.count} items
    </p>
  );
}

export function Card(defaults: { name: Text; badge: string | null; alt: string; label: string | null; tone: string }) {
  const { props: p, id } = useProps(CARD, defaults);
  return (
    <div data-splice={m(CARD, 0, id)} className={`card card-${p.tone}`} data-badge={p.badge ?? undefined} id="c">
      <img data-splice={m(CARD, 1, id)} src="/p.png" alt={p.alt} loading="lazy" />
      <h2 data-splice={m(CARD, 2, id)}>{p.name}</h2>
      <a data-splice={m(CARD, 3, id)} aria-label={p.label ?? undefined} href="/buy" className="buy">{p.badge ? 'Buy now' : 'Buy'}</a>
    </div>
  );
}

export function Promo(defaults: { note: string | null }) {
  const { props: p, id } = useProps(PROMO, defaults);
  return <input data-splice={m(PROMO, 0, id)} type="text" placeholder={p.note ?? undefined} />;
}

export function Page({ children }: { children?: ReactNode }) {
  return (
    <html lang="en">
      <head><title>Shop</title></head>
      <body>
        <main>
          <Hero title="Big sale" subtitle="friend" href="/sale" />
          <Greeting first="Ada" last="" count={3} />
          <section className="grid">
            <Card name="Tea" badge={null} alt="A cup of tea" label={null} tone="plain" />
            <Card name="Coffee" badge="new" alt="Coffee &amp; more" label="Buy coffee" tone="dark" />
            <Card name="Cocoa" badge={null} alt="Cocoa" label={null} tone="plain" />
          </section>
          <Promo note={null} />
          {children}
        </main>
      </body>
    </html>
  );
}

/** Renders with the stand-in provider; `[]` is the cached base page. */
export function render(node: ReactNode, overrides: Override[] = []): string {
  return renderToString(<SpliceCtx.Provider value={{ overrides, seen: new Map() }}>{node}</SpliceCtx.Provider>);
}
