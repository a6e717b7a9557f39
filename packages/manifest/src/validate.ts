import { unsafeAttributeName } from './values';
import { isStyleName } from './style';
import type { SpliceManifest, Expr, ElementEntry, Override } from './types';
import { MANIFEST_SCHEMA_VERSION, isHostName } from './types';

const TIERS = new Set<unknown>(['value', 'structural', 'none']);

/** As the compiler's rule (`htmlNames.ts`): no attribute holes in these elements. */
const NO_ATTRIBUTE_HOLES = new Set(['title', 'meta', 'link', 'script', 'style', 'base', 'textarea', 'select', 'option', 'html', 'head']);

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/**
 * Checks that an untrusted value (a parsed `splice-manifest.json`) is a manifest this version
 * can use. Throws a `ManifestError` saying which field is wrong; the edge turns that into a
 * pass-through, never a broken page.
 */
export function validateManifest(value: unknown): SpliceManifest {
  const m = value as SpliceManifest;
  if (!isObject(m)) throw new ManifestError('manifest: expected an object');
  if (m.schemaVersion !== MANIFEST_SCHEMA_VERSION) {
    throw new ManifestError(
      `manifest: schemaVersion ${String(m.schemaVersion)} is not ${MANIFEST_SCHEMA_VERSION}; rebuild with the same @splice version as the edge`,
    );
  }
  if (typeof m.buildId !== 'string' || m.buildId === '') throw new ManifestError('manifest: buildId must be a non-empty string');
  if (!isObject(m.components)) throw new ManifestError('manifest: components must be an object');
  for (const [key, c] of Object.entries(m.components)) {
    const at = `manifest: components[${JSON.stringify(key)}]`;
    if (!isObject(c) || typeof c.name !== 'string' || typeof c.file !== 'string') throw new ManifestError(`${at}: needs name and file`);
    if (!isObject(c.props)) throw new ManifestError(`${at}.props must be an object`);
    for (const [p, entry] of Object.entries(c.props)) {
      if (!isObject(entry) || !TIERS.has(entry.tier)) throw new ManifestError(`${at}.props.${p}.tier must be "value", "structural" or "none"`);
    }
    if (c.render !== undefined) {
      const r = c.render;
      if (!isObject(r) || !(r.reads === null || (Array.isArray(r.reads) && r.reads.every((x: unknown) => typeof x === 'string')))
        || !Number.isInteger(r.contexts) || r.contexts < 0
        || (r.replays !== undefined && !(Array.isArray(r.replays) && r.replays.every((x: unknown) => typeof x === 'string')))) {
        throw new ManifestError(`${at}.render must be { reads: string[] | null, contexts: number, replays?: string[] }`);
      }
    }
    if (!Array.isArray(c.elements)) throw new ManifestError(`${at}.elements must be an array`);
    c.elements.forEach((el, i) => checkElement(el, `${at}.elements[${i}]`));
  }
  return m;
}

function checkElement(el: ElementEntry, at: string): void {
  if (!isObject(el) || typeof el.tag !== 'string' || !Array.isArray(el.attrs)) throw new ManifestError(`${at}: needs tag and attrs`);
  if (el.open !== undefined && el.open !== true) throw new ManifestError(`${at}.open must be true or absent`);
  for (const a of el.attrs) {
    if (!isObject(a) || typeof a.name !== 'string') throw new ManifestError(`${at}.attrs: each needs a name`);
    if (a.hole !== undefined) {
      // Elements whose attributes the compiler never makes holes (React treats them specially, or
      // they load code or change every URL of the page): a manifest that does is forged.
      if (NO_ATTRIBUTE_HOLES.has(el.tag.toLowerCase())) throw new ManifestError(`${at}.attrs: a hole in an attribute of <${el.tag}>, which the compiler never makes`);
      // `style` only as React writes it, from an object (the `style` kind): never a string of CSS.
      const unsafe = a.name === 'style' && isObject(a.hole) && a.hole.kind === 'style' ? undefined : unsafeAttributeName(a.name);
      if (unsafe !== undefined) throw new ManifestError(`${at}.attrs: a hole in ${JSON.stringify(a.name)}, which ${unsafe}`);
      if (isObject(a.hole) && a.hole.kind === 'style' && a.name !== 'style') throw new ManifestError(`${at}.attrs: a style object in ${JSON.stringify(a.name)}, not in \`style\``);
      checkExpr(a.hole, `${at}.attrs.${a.name}`);
    }
  }
  if (el.text !== undefined) {
    if (!Array.isArray(el.text)) throw new ManifestError(`${at}.text must be an array`);
    for (const t of el.text) {
      if (isObject(t) && t.kind === 'static' && typeof t.value === 'string') continue;
      if (isObject(t) && t.kind === 'hole') { checkExpr(t.expr, `${at}.text`); continue; }
      throw new ManifestError(`${at}.text: each item is {kind:'static',value} or {kind:'hole',expr}`);
    }
  }
}

const UNARY = new Set<unknown>(['!', '-', '+']);
const BINARY = new Set<unknown>(['===', '!==', '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%']);
const LOGICAL = new Set<unknown>(['&&', '||', '??']);
const CALLS = new Set<unknown>(['String', 'Number', 'toUpperCase', 'toLowerCase', 'trim', 'slice', 'join', 'toFixed', 'Math.round', 'Math.floor', 'Math.ceil', 'Math.min', 'Math.max', 'Math.abs']);

function checkExpr(e: Expr, at: string, depth = 0): void {
  // A hostile manifest could nest deeply enough to overflow the evaluator's stack.
  if (depth > 64) throw new ManifestError(`${at}: expression nested more than 64 deep`);
  if (!isObject(e)) throw new ManifestError(`${at}: expression must be an object`);
  switch (e.kind) {
    case 'literal': case 'undefined': return;
    case 'prop':
      if (!Array.isArray(e.path) || e.path.length === 0 || !e.path.every((s) => typeof s === 'string')) throw new ManifestError(`${at}: prop path must be strings`);
      if (e.defaults !== undefined && !(Array.isArray(e.defaults) && e.defaults.every((n) => Number.isInteger(n) && n >= 0 && n < e.path.length))) throw new ManifestError(`${at}: prop defaults must be levels of the path`);
      return;
    case 'template':
      if (!Array.isArray(e.quasis) || !Array.isArray(e.exprs) || e.quasis.length !== e.exprs.length + 1) throw new ManifestError(`${at}: malformed template`);
      e.exprs.forEach((x) => checkExpr(x, at, depth + 1));
      return;
    case 'cond':
      checkExpr(e.test, at, depth + 1); checkExpr(e.then, at, depth + 1); checkExpr(e.else, at, depth + 1);
      return;
    case 'unary':
      if (!UNARY.has(e.op)) throw new ManifestError(`${at}: unknown unary operator ${JSON.stringify(e.op)}`);
      checkExpr(e.arg, at, depth + 1);
      return;
    case 'binary':
    case 'logical':
      if (!(e.kind === 'binary' ? BINARY : LOGICAL).has(e.op)) throw new ManifestError(`${at}: unknown ${e.kind} operator ${JSON.stringify(e.op)}`);
      checkExpr(e.left, at, depth + 1); checkExpr(e.right, at, depth + 1);
      return;
    case 'member':
      checkExpr(e.object, at, depth + 1); checkExpr(e.key, at, depth + 1);
      return;
    case 'call':
    case 'classes':
    case 'host':
      if (e.kind === 'call' && !CALLS.has(e.fn)) throw new ManifestError(`${at}: unknown function ${JSON.stringify(e.fn)}`);
      if (e.kind === 'host' && !isHostName(e.fn)) throw new ManifestError(`${at}: unknown package function ${JSON.stringify(e.fn)}`);
      if (!Array.isArray(e.args) || e.args.length > 64) throw new ManifestError(`${at}: ${e.kind} arguments must be an array of at most 64`);
      e.args.forEach((x) => checkExpr(x, at, depth + 1));
      return;
    case 'style':
      if (!Array.isArray(e.entries) || e.entries.length > 64) throw new ManifestError(`${at}: style entries must be an array of at most 64`);
      for (const entry of e.entries) {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || !isStyleName(entry[0])) throw new ManifestError(`${at}: a style entry is [property, expression], the property a CSS custom property or a camelCase name`);
        checkExpr(entry[1], at, depth + 1);
      }
      return;
    case 'object':
      if (!Array.isArray(e.entries) || e.entries.length > 64) throw new ManifestError(`${at}: object entries must be an array of at most 64`);
      for (const entry of e.entries) {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || entry[0] === '__proto__') throw new ManifestError(`${at}: an object entry is [key, expression], key not __proto__`);
        checkExpr(entry[1], at, depth + 1);
      }
      return;
    case 'array':
      if (!Array.isArray(e.items) || e.items.length > 64) throw new ManifestError(`${at}: array items must be an array of at most 64`);
      e.items.forEach((x) => checkExpr(x, at, depth + 1));
      return;
    default:
      throw new ManifestError(`${at}: unknown expression kind ${JSON.stringify((e as { kind: unknown }).kind)}`);
  }
}

/**
 * Checks the shape of overrides that arrive from configuration or request data. Returns the
 * well-formed ones and a reason for each one dropped; never throws on hostile input.
 */
export function validateOverrides(value: unknown): { overrides: Override[]; rejected: { index: number; reason: string }[] } {
  const overrides: Override[] = [];
  const rejected: { index: number; reason: string }[] = [];
  if (!Array.isArray(value)) return { overrides, rejected: [{ index: -1, reason: 'overrides must be an array' }] };
  value.forEach((o: unknown, index) => {
    const ov = o as Override;
    if (!isObject(ov) || typeof ov.component !== 'string' || !isObject(ov.props) || Array.isArray(ov.props)) {
      rejected.push({ index, reason: 'an override is { component: string, props: object, instance?: number | string }' });
    } else if (ov.instance !== undefined && !(typeof ov.instance === 'string' || (Number.isInteger(ov.instance) && ov.instance >= 0))) {
      rejected.push({ index, reason: 'instance must be a non-negative integer or an instance id string' });
    } else {
      overrides.push(ov.instance === undefined ? { component: ov.component, props: ov.props } : { component: ov.component, props: ov.props, instance: ov.instance });
    }
  });
  return { overrides, rejected };
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null;
}
