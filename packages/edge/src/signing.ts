/**
 * Signed values with HMAC-SHA-256 (Web Crypto): `base64url(JSON) "." base64url(MAC)`. The
 * assignment cookie and preview tokens are such values; anything that does not verify is treated
 * as absent, never as what it says.
 */

const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    // One secret per deployment: a handful of keys at most.
    if (keys.size > 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

export async function sign(value: unknown, secret: string): Promise<string> {
  const payload = base64url(new TextEncoder().encode(JSON.stringify(value)));
  const mac = await crypto.subtle.sign('HMAC', await keyFor(secret), new TextEncoder().encode(payload));
  return `${payload}.${base64url(new Uint8Array(mac))}`;
}

/** The value a signed string carries, or null when it is malformed or its MAC does not verify (constant-time, by Web Crypto). */
export async function verify(signed: string, secret: string): Promise<unknown> {
  if (signed.length > 4096) return null;
  const dot = signed.indexOf('.');
  if (dot <= 0 || dot !== signed.lastIndexOf('.')) return null;
  const payload = signed.slice(0, dot);
  const mac = fromBase64url(signed.slice(dot + 1));
  if (mac === null || mac.length !== 32) return null;
  const ok = await crypto.subtle.verify('HMAC', await keyFor(secret), mac, new TextEncoder().encode(payload));
  if (!ok) return null;
  const bytes = fromBase64url(payload);
  if (bytes === null) return null;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return null;
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    const out = new Uint8Array(new ArrayBuffer(binary.length));
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
