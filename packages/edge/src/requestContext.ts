import type { Condition, DeviceClass, RequestContext } from './config';
import { pathMatches } from './config';

/** Geography headers, when the runtime gives no `request.cf` with a country (see `SpliceConfig.geoHeaders`). */
const GEO_HEADERS = {
  country: ['x-vercel-ip-country', 'cloudfront-viewer-country', 'cf-ipcountry'],
  region: ['x-vercel-ip-country-region', 'cloudfront-viewer-country-region'],
  city: ['x-vercel-ip-city', 'cloudfront-viewer-city'],
};

/**
 * What rules see of a request: URL parts, geography, device class, languages, cookies.
 * Geography comes from `request.cf` when it has a country (Cloudflare: then from nothing else, as
 * a client can send any header), else from the CDN headers the config names.
 */
export function requestContext(request: Request, geoHeaders: { country?: string[]; region?: string[]; city?: string[] } = {}): RequestContext {
  const url = new URL(request.url);
  const cf = (request as Request & { cf?: Record<string, unknown> }).cf;
  const fromCf = (key: string): string | null => (typeof cf?.[key] === 'string' && cf[key] !== '' ? (cf[key] as string) : null);
  const fromHeaders = (names: string[]): string | null => {
    for (const n of names) {
      const v = request.headers.get(n);
      if (v !== null && v !== '') return decodeHeader(v);
    }
    return null;
  };
  const onCloudflare = fromCf('country') !== null;
  return {
    url,
    path: url.pathname,
    country: (onCloudflare ? fromCf('country') : fromHeaders(geoHeaders.country ?? GEO_HEADERS.country))?.toUpperCase() ?? null,
    region: onCloudflare ? fromCf('regionCode') ?? fromCf('region') : fromHeaders(geoHeaders.region ?? GEO_HEADERS.region),
    city: onCloudflare ? fromCf('city') : fromHeaders(geoHeaders.city ?? GEO_HEADERS.city),
    device: deviceClass(request.headers),
    languages: acceptedLanguages(request.headers.get('accept-language')),
    cookies: parseCookies(request.headers.get('cookie')),
    headers: request.headers,
    query: url.searchParams,
  };
}

/** Vercel URL-encodes city names (`S%C3%A3o%20Paulo`). */
function decodeHeader(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The device class: the `Sec-CH-UA-Mobile` client hint when sent, else the user agent's own
 * tokens (tablets say `iPad`, or Android without `Mobile`).
 */
export function deviceClass(headers: Headers): DeviceClass {
  const ua = headers.get('user-agent') ?? '';
  if (/\biPad\b|\bTablet\b|\bKindle\b|\bSilk\b/i.test(ua) || (/\bAndroid\b/i.test(ua) && !/\bMobile\b/i.test(ua))) return 'tablet';
  const hint = headers.get('sec-ch-ua-mobile');
  if (hint === '?1') return 'mobile';
  if (hint === '?0') return 'desktop';
  return /\bMobi|\biPhone\b|\biPod\b|\bAndroid\b.*\bMobile\b|\bWindows Phone\b/i.test(ua) ? 'mobile' : 'desktop';
}

/** `Accept-Language` tags by preference (q), lower-cased, without `*`. */
export function acceptedLanguages(header: string | null): string[] {
  if (header === null) return [];
  return header.split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const param = params.find((p) => /^\s*q\s*=/i.test(p));
      const q = param === undefined ? 1 : Number(/^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param)?.[1] ?? NaN);
      return { tag: tag.trim().toLowerCase().replace(/_/g, '-'), q: Number.isFinite(q) ? Math.min(q, 1) : 0, i };
    })
    .filter((l) => l.tag !== '' && l.tag !== '*' && l.q > 0 && /^[a-z]{1,8}(-[a-z0-9]{1,8})*$/.test(l.tag))
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .slice(0, 16)
    .map((l) => l.tag);
}

/** Every value a cookie name has in the request (a parent domain's cookie of the same name comes too). */
export function cookieValues(header: string | null, name: string): string[] {
  if (header === null) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    out.push(value);
  }
  return out;
}

/** The request's cookies; a malformed pair is skipped, the first of repeated names wins (as browsers send the most specific first). */
export function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (header === null) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name !== '' && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** Does the request meet every field of the condition? */
export function matches(condition: Condition, context: RequestContext): boolean {
  const oneOf = (values: string[] | undefined, actual: string | null): boolean =>
    values === undefined || (actual !== null && values.some((v) => v.toLowerCase() === actual.toLowerCase()));
  if (!oneOf(condition.country, context.country) || !oneOf(condition.region, context.region) || !oneOf(condition.city, context.city)) return false;
  if (condition.device !== undefined && !condition.device.includes(context.device)) return false;
  if (condition.language !== undefined) {
    const wanted = condition.language.map((l) => l.toLowerCase());
    if (!context.languages.some((tag) => wanted.some((w) => tag === w || tag.startsWith(`${w}-`)))) return false;
  }
  const has = (want: Record<string, string | true> | undefined, get: (name: string) => string | null): boolean =>
    want === undefined || Object.entries(want).every(([name, value]) => {
      const actual = get(name);
      return actual !== null && (value === true || actual === value);
    });
  if (!has(condition.cookie, (n) => context.cookies.get(n) ?? null)) return false;
  if (!has(condition.header, (n) => context.headers.get(n))) return false;
  if (!has(condition.query, (n) => context.query.get(n))) return false;
  if (condition.path !== undefined && !condition.path.some((p) => pathMatches(p, context.path))) return false;
  return true;
}
