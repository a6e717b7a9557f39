/**
 * Value holes that call a package function (`Expr` kind `host`): `cn(…)`, tailwind-merge over
 * clsx, and an app's variant function (class-variance-authority's `cva`). With the edge module's `twMerge` handed over with the renderer, the edge rewrites the
 * class in place (no re-render); with a renderer but no `twMerge`, it re-renders the instance;
 * with neither, it skips the override and says what it lacks. Every outcome equals React's full
 * render (contract 4), or the default page.
 */
import { patchHtml, preparePageSync } from '@splice/edge';
import type { PatchReport } from '@splice/edge';
import { createRenderer } from '@splice/client/render';
import type { Override } from '@splice/manifest';
import { twMerge } from 'tailwind-merge';
import { buttonVariants } from './fixtures/cva-variant-button/variants';
import { collect, dec, splitBootstrap, streamOf } from '../helpers';
import { loadFixture, oraclePage, renderPage } from './harness';

const fixture = loadFixture('twmerge-class-badge');
const prepared = preparePageSync(renderPage(fixture.App, []));

async function patched(overrides: Override[], renderer?: ReturnType<typeof createRenderer>) {
  let report: PatchReport | undefined;
  const out = await collect(patchHtml(streamOf([prepared.html]), { manifest: fixture.manifest, overrides, index: prepared.index, ...(renderer ? { renderer } : {}), onReport: (r) => { report = r; } }));
  return { ...splitBootstrap(dec.decode(out)), report: report! };
}

describe('value holes calling tailwind-merge', () => {
  it('the fixture is a value hole of tailwind-merge over clsx', () => {
    const badge = Object.values(fixture.manifest.components).find((c) => c.name === 'Badge')!;
    expect(badge.props.className?.tier).toBe('value');
    expect(badge.elements[0]!.attrs.find((a) => a.name === 'class')?.hole).toMatchObject({ kind: 'host', fn: 'twMerge', args: [{ kind: 'classes' }] });
  });

  // Overrides that set every prop the class reads (`tone` and `className`): computed at the edge.
  // One that sets only some of them re-renders the instance, as for any value hole.
  const whole: [string, Override[]][] = [
    ['a wider, larger badge: tailwind-merge drops the classes it overrides', [{ component: 'Badge', instance: 0, props: { tone: 'neutral', className: 'px-4 text-sm' } }]],
    ['every badge danger, with its own classes', [{ component: 'Badge', props: { tone: 'danger', className: 'text-red-900 py-1' } }]],
    ['no classes of its own', [{ component: 'Badge', instance: 1, props: { tone: 'danger', className: null } }]],
  ];

  it.each(whole)('%s: with the edge module\'s twMerge, rewritten in place', async (_label, overrides) => {
    const r = await patched(overrides, createRenderer({ hosts: { twMerge: twMerge as (...args: unknown[]) => unknown } }));
    expect(r.html).toBe(oraclePage(fixture.App, overrides));
    expect(r.report.rerendered).toBe(0);
    expect(r.report.patchedElements).toBeGreaterThan(0);
    expect(r.bootstrap?.overrides.length).toBeGreaterThan(0);
  });

  it.each(whole)('%s: a renderer without twMerge re-renders the instance', async (_label, overrides) => {
    const r = await patched(overrides, createRenderer());
    expect(r.html).toBe(oraclePage(fixture.App, overrides));
    expect(r.report.rerendered).toBeGreaterThan(0);
  });

  it('without a renderer the override is skipped, saying what the edge lacks', async () => {
    const overrides = whole[0]![1];
    const r = await patched(overrides);
    expect(r.html).toBe(oraclePage(fixture.App, []));
    expect(r.report.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/needs twMerge from the edge module: pass its renderer/)]);
    expect(r.bootstrap).toBeNull();
  });

  // Changed on purpose (was: the page left default, the override skipped): the evaluation throws,
  // and React, re-rendering the instance with the component's own code, computes the class.
  it('a twMerge that returns something else than a string: the instance is re-rendered instead', async () => {
    const overrides = whole[0]![1];
    const r = await patched(overrides, { ...createRenderer(), hosts: { twMerge: () => 42 } });
    expect(r.html).toBe(oraclePage(fixture.App, overrides));
    expect(r.report.rerendered).toBe(1);
    expect(r.report.skipped).toEqual([]);
  });

  it('… and skipped, the page default, where the instance cannot be re-rendered (no render entry)', async () => {
    const overrides = whole[0]![1];
    const manifest = structuredClone(fixture.manifest);
    for (const entry of Object.values(manifest.components)) delete entry.render;
    let report: PatchReport | undefined;
    const out = await collect(patchHtml(streamOf([prepared.html]), { manifest, overrides, index: prepared.index, renderer: { ...createRenderer(), hosts: { twMerge: () => 42 } }, onReport: (x) => { report = x; } }));
    expect(splitBootstrap(dec.decode(out)).html).toBe(oraclePage(fixture.App, []));
    expect(report!.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/cannot be evaluated for these props/)]);
  });
});

describe('value holes calling a variant function of the app (class-variance-authority)', () => {
  const cvaFixture = loadFixture('cva-variant-button');
  const cvaPrepared = preparePageSync(renderPage(cvaFixture.App, []));
  const button = Object.values(cvaFixture.manifest.components).find((c) => c.name === 'Button')!;
  const hole = button.elements[0]!.attrs.find((a) => a.name === 'class')?.hole;
  // The variant function as the edge module hands it over: imported from the module exporting it.
  const host = hole?.kind === 'host' ? hole.fn : '';
  const hosts = { [host]: buttonVariants as (...args: unknown[]) => unknown };

  async function run(overrides: Override[], renderer?: ReturnType<typeof createRenderer>) {
    let report: PatchReport | undefined;
    const out = await collect(patchHtml(streamOf([cvaPrepared.html]), { manifest: cvaFixture.manifest, overrides, index: cvaPrepared.index, ...(renderer ? { renderer } : {}), onReport: (r) => { report = r; } }));
    return { ...splitBootstrap(dec.decode(out)), report: report! };
  }

  it('the fixture\'s class is a host call of the variant function, every prop it reads a value hole', () => {
    expect(hole).toMatchObject({ kind: 'host', fn: expect.stringMatching(/variants\.ts#buttonVariants$/), args: [{ kind: 'object' }] });
    for (const prop of ['variant', 'size', 'className', 'label']) expect(button.props[prop]?.tier).toBe('value');
  });

  // Overrides that set every prop the class reads (`variant`, `size`, `className`): computed at
  // the edge. The fixture's cases set only some, and re-render the instance (below).
  const whole: [string, Override[]][] = [
    ['the first button large: the compound variant adds its shadow', [{ component: 'Button', instance: 0, props: { variant: 'primary', size: 'lg', className: null } }]],
    ['every button ghost, with classes of its own', [{ component: 'Button', props: { variant: 'ghost', size: 'sm', className: 'w-full' } }]],
    ['an unknown variant: no variant class, as the server renders it', [{ component: 'Button', instance: 1, props: { variant: 'outline', size: 'lg', className: ['ml-2', { 'opacity-50': true }] } }]],
  ];

  it.each(whole)('%s: with the edge module\'s function, rewritten in place', async (_label, overrides) => {
    const r = await run(overrides, createRenderer({ hosts }));
    expect(r.html).toBe(oraclePage(cvaFixture.App, overrides));
    expect(r.report.rerendered).toBe(0);
    expect(r.report.patchedElements).toBeGreaterThan(0);
  });

  // A variant function that throws for the override's values (the app's own error, or JavaScript
  // semantics the edge's copies of the props cannot show): React computes the class in a re-render.
  it('a variant function that throws: the instance is re-rendered, as React computes it', async () => {
    const overrides: Override[] = [{ component: 'Button', instance: 0, props: { variant: 'ghost', size: 'lg', className: 'w-full' } }];
    const throwing = { [host]: () => { throw new Error('the app\'s variant function failed'); } };
    const r = await run(overrides, createRenderer({ hosts: throwing }));
    expect(r.html).toBe(oraclePage(cvaFixture.App, overrides));
    expect(r.report.rerendered).toBe(1);
    expect(r.report.skipped).toEqual([]);
    expect(r.bootstrap?.overrides.length).toBe(1);
  });

  it.each(cvaFixture.cases.map((c) => [c.label, c.overrides] as [string, Override[]]))('%s: a renderer without it re-renders the instance', async (_label, overrides) => {
    const r = await run(overrides, createRenderer());
    expect(r.html).toBe(oraclePage(cvaFixture.App, overrides));
    expect(r.report.rerendered).toBeGreaterThan(0);
  });
});
