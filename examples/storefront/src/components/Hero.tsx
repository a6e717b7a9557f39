export interface HeroProps {
  title: string;
  subtitle: string;
  ctaLabel: string;
  ctaHref: string;
}

export function Hero({ title, subtitle, ctaLabel = 'Shop now', ctaHref }: HeroProps) {
  return (
    <section className="hero">
      <h1 className="hero-title">{title}</h1>
      <p className="hero-sub">{subtitle}</p>
      <a className="cta" href={ctaHref}>
        {ctaLabel}
      </a>
    </section>
  );
}
