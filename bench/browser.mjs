// `npm run bench:browser`: what a visitor sees, in headless Chromium at 4× CPU throttle on an
// emulated 4G link (40 ms, 10 Mbps), for four setups of the storefront's home page:
//   static   the default page as the CDN serves it (no experiment at all): the baseline;
//   static-b variant B prerendered and served static: the like-for-like baseline (B's longer
//            title is its largest element; the default page's is a product image);
//   splice   the edge worker (Node, @splice/dev) patches variant B into the cached page, for a
//            returning visitor of variant B (the edge cache holds the base page);
//   client   the usual client-side alternative: the static page plus an anti-flicker snippet that
//            hides the body until a script has fetched the experiment and swapped the variant in.
// Each load is a fresh browser context (cold cache); the setups take turns so that drift on a
// shared machine hits them alike. FCP and LCP come from the page's own PerformanceObserver; the
// variant's title must be on screen when the load ends (static shows the default title).
// Requires `npm run build:storefront` first (the npm script runs it).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const storefront = path.join(here, '..', 'examples', 'storefront');
const publicDir = path.join(storefront, 'dist', 'public');
const { startNodeServer, nodeAssets } = require('@splice/dev');
const { DEV_SECRET } = require(path.join(storefront, 'scripts', 'dev-secret.js'));
const { variants, renderPage } = require(path.join(storefront, 'dist', 'server', 'server.js'));
const { preparePageSync } = require('@splice/edge');

const LOADS = Number(process.env.BENCH_LOADS ?? 21);
const WARMUP = 2;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// A good 4G link: 40 ms round trip, 10 Mbps down, 5 Mbps up. (Lighthouse's slower profile,
// 150 ms and 1.6 Mbps, takes minutes per load with the example's development React build.)
const NETWORK = { offline: false, latency: 40, downloadThroughput: (10 * 1024 * 1024) / 8, uploadThroughput: (5 * 1024 * 1024) / 8 };

const hero = variants.b.find((o) => o.component === 'Hero').props;
const tagline = variants.b.find((o) => o.component === 'Header').props.tagline;

/**
 * Variant B prerendered as a static page: the like-for-like baseline for Splice's variant (its
 * longer title is the page's largest element, where the default page's is a product image).
 */
// With the bootstrap the edge would add, so that hydration renders the same variant.
const variantHtml = new TextDecoder().decode(preparePageSync(renderPage(variants.b)).html)
  .replace('</body>', `<script type="application/json" id="__SPLICE__">${JSON.stringify({ buildId: 'static', assignments: {}, overrides: variants.b })}</script></body>`);
const staticVariantWorker = {
  fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/') return new Response(variantHtml, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=60' } });
    return env.ASSETS.fetch(request);
  },
};

/** The static page and its assets, as a CDN would serve them. */
const staticWorker = {
  fetch(request, env) {
    const url = new URL(request.url);
    return env.ASSETS.fetch(url.pathname === '/' ? new Request(new URL('/index.html', url)) : request);
  },
};

/**
 * The client-side alternative, built the way those tools ship: an inline anti-flicker snippet
 * in the head hides the page (with a safety timeout), an async script fetches the experiment's
 * changes and applies them to the DOM (again whenever the DOM changes: React's hydration of a
 * page edited behind its back puts its own text back), then shows the page.
 */
const snippet = `<style id="ab-hide">body{opacity:0!important}</style><script>setTimeout(function(){var s=document.getElementById('ab-hide');s&&s.remove()},4000)</script><script src="/ab.js" async></script>`;
const abScript = `fetch('/ab-config.json').then(function(r){return r.json()}).then(function(c){
  function apply(){
    document.querySelector('.hero-title').textContent=c.title;
    document.querySelector('.hero-sub').textContent=c.subtitle;
    var a=document.querySelector('a.cta');a.textContent=c.ctaLabel;a.setAttribute('href',c.ctaHref);
    document.querySelector('.tagline').textContent=c.tagline;
    var s=document.getElementById('ab-hide');s&&s.remove();
  }
  function start(){
    apply();
    // React's hydration puts its own text back (a mismatch): re-applied as these tools do, by
    // watching the DOM.
    new MutationObserver(function(){var t=document.querySelector('.hero-title');if(t&&t.textContent!==c.title)apply()}).observe(document.body,{subtree:true,childList:true,characterData:true});
  }
  if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',start);else start();
});`;
const clientWorker = {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/ab.js') return new Response(abScript, { headers: { 'content-type': 'text/javascript' } });
    if (url.pathname === '/ab-config.json') return Response.json({ ...hero, tagline });
    if (url.pathname !== '/') return env.ASSETS.fetch(request);
    const html = (await (await env.ASSETS.fetch(new Request(new URL('/index.html', url)))).text()).replace('</title>', `</title>${snippet}`);
    return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  },
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function loadOnce(browser, url, expectTitle, cookie) {
  const context = await browser.newContext();
  if (cookie) await context.addCookies([{ name: 'splice', value: cookie, url }]);
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__paint = { fcp: null, lcp: null };
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') window.__paint.fcp = e.startTime; }).observe({ type: 'paint', buffered: true });
    new PerformanceObserver((list) => { const all = list.getEntries(); window.__paint.lcp = all[all.length - 1].startTime; }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__paint.lcp !== null && window.__paint.fcp !== null, null, { timeout: 30_000 }).catch(async (e) => { throw new Error(`${url}: ${JSON.stringify(await page.evaluate(() => ({ paint: window.__paint, title: document.title, body: document.body?.innerHTML.length })))}: ${e.message}`); });
  // The variant on screen, and visible (the snippet's style gone), when the numbers are read.
  await page.waitForFunction((t) => document.querySelector('.hero-title')?.textContent === t && getComputedStyle(document.body).opacity === '1', expectTitle, { timeout: 30_000 })
    .catch(async (e) => { throw new Error(`${url}: ${JSON.stringify(await page.evaluate(() => ({ title: document.querySelector('.hero-title')?.textContent, opacity: getComputedStyle(document.body).opacity })))}: ${e.message}`); });
  await page.waitForTimeout(300);
  const paint = await page.evaluate(() => window.__paint);
  await context.close();
  return paint;
}

async function main() {
  const servers = [];
  const start = async (worker, env) => {
    const s = await startNodeServer({ worker, env, port: 0 });
    servers.push(s);
    return s.url;
  };
  const worker = (await import(path.join(storefront, 'dist', 'worker', 'worker.mjs'))).default;
  // A returning visitor of variant B (and not in the cart-label test's `bag` arm): the cookie
  // the edge gave a new visitor who was assigned that. Real traffic, so the edge cache serves
  // the base page (a preview link's parameter would keep it from being stored).
  const spliceOrigin = await start(worker, { ASSETS: nodeAssets(publicDir), SPLICE_SECRET: DEV_SECRET });
  let cookie = null;
  for (let i = 0; i < 400 && cookie === null; i++) {
    const res = await fetch(`${spliceOrigin}/`);
    const html = await res.text();
    const assigned = JSON.parse(/id="__SPLICE__">(.*?)<\/script>/.exec(html)?.[1] ?? '{}').assignments ?? {};
    if (assigned.home === 'b' && assigned['cart-label'] !== 'bag') cookie = /^splice=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? null;
  }
  if (cookie === null) throw new Error('no visitor was assigned variant B in 400 tries');
  const setups = [
    { name: 'static', url: `${await start(staticWorker, { ASSETS: nodeAssets(publicDir) })}/`, title: 'Autumn collection' },
    { name: 'static-b', url: `${await start(staticVariantWorker, { ASSETS: nodeAssets(publicDir) })}/`, title: hero.title },
    { name: 'splice', url: `${spliceOrigin}/`, title: hero.title, cookie },
    { name: 'client', url: `${await start(clientWorker, { ASSETS: nodeAssets(publicDir) })}/`, title: hero.title },
  ];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const results = Object.fromEntries(setups.map((s) => [s.name, { fcp: [], lcp: [] }]));
  try {
    for (let i = 0; i < WARMUP + LOADS; i++) {
      // Rotating order: no setup always goes first after the previous one's load.
      for (let k = 0; k < setups.length; k++) {
        const s = setups[(i + k) % setups.length];
        const paint = await loadOnce(browser, s.url, s.title, s.cookie);
        if (i >= WARMUP) {
          results[s.name].fcp.push(paint.fcp);
          results[s.name].lcp.push(paint.lcp);
        }
      }
      process.stderr.write('.');
    }
  } finally {
    process.stderr.write('\n');
    await browser.close();
    for (const s of servers) await s.close();
  }
  const row = (name) => {
    const r = results[name];
    return { name, loads: r.lcp.length, fcp: median(r.fcp), fcpP25: quantile(r.fcp, 0.25), fcpP75: quantile(r.fcp, 0.75), lcp: median(r.lcp), lcpP25: quantile(r.lcp, 0.25), lcpP75: quantile(r.lcp, 0.75) };
  };
  const rows = setups.map((s) => row(s.name));
  const base = rows[0];
  console.log(`Chromium ${browser.version?.() ?? ''}, 4× CPU throttle, ${NETWORK.latency} ms RTT, ${LOADS} loads per setup after ${WARMUP} warm-up rounds (cold cache each):`);
  console.log('| setup | FCP median (p25–p75) | LCP median (p25–p75) | LCP ÷ static |');
  console.log('|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.fcp.toFixed(0)} ms (${r.fcpP25.toFixed(0)}–${r.fcpP75.toFixed(0)}) | ${r.lcp.toFixed(0)} ms (${r.lcpP25.toFixed(0)}–${r.lcpP75.toFixed(0)}) | ${(r.lcp / base.lcp).toFixed(3)} |`);
  }
  const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
  const splice = byName.splice.lcp / base.lcp;
  const like = byName.splice.lcp / byName['static-b'].lcp;
  console.log(`\nSplice LCP ÷ static LCP: ${splice.toFixed(3)} (target ≤ 1.05: ${splice <= 1.05 ? 'holds' : 'fails'}); Splice ÷ variant B served static (same largest element): ${like.toFixed(3)} (${like <= 1.05 ? 'holds' : 'fails'}); client-side ÷ static: ${(byName.client.lcp / base.lcp).toFixed(3)}, ÷ variant B static: ${(byName.client.lcp / byName['static-b'].lcp).toFixed(3)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
