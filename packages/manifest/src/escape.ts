/**
 * Escaping exactly as React DOM's server renderer escapes text and attribute values
 * (`escapeTextForBrowser`): the same five characters, the same entities. The oracle
 * (contract 4) compares bytes, so `&#x27;` is not interchangeable with `&#39;` here.
 */
const ESCAPE_RE = /["'&<>]/;

export function escapeHtml(value: string): string {
  const first = ESCAPE_RE.exec(value);
  if (first === null) return value;
  let out = '';
  let last = 0;
  for (let i = first.index; i < value.length; i++) {
    let entity: string;
    switch (value.charCodeAt(i)) {
      case 34: entity = '&quot;'; break;
      case 38: entity = '&amp;'; break;
      case 39: entity = '&#x27;'; break;
      case 60: entity = '&lt;'; break;
      case 62: entity = '&gt;'; break;
      default: continue;
    }
    out += value.slice(last, i) + entity;
    last = i + 1;
  }
  return out + value.slice(last);
}
