import fc from 'fast-check';
import { formatMarker, parseMarker, type Marker } from '../src/marker';

/**
 * The marker grammar as its plain definition (the implementation before the scan needed it
 * fast): the oracle `parseMarker` is held to, byte for byte, on any input.
 */
function parseMarkerByDefinition(text: string): Marker | null {
  const cut = text.indexOf('|');
  const value = cut < 0 ? text : text.slice(0, cut);
  const parts = value.split(' ');
  if (parts.length < 3 || parts.length > 5) return null;
  const [key, element, instance] = parts as [string, string, string];
  if (key === '' || instance === '' || !/^\d{1,6}$/.test(element)) return null;
  const marker: Marker = { key, element: Number(element), instance };
  let rest = parts.slice(3);
  if (rest[0] !== undefined && /^#\d{1,9}$/.test(rest[0])) {
    marker.ordinal = Number(rest[0].slice(1));
    rest = rest.slice(1);
  }
  if (rest.length > 1) return null;
  if (rest[0] !== undefined) {
    if (!/^[01]{2,64}$/.test(rest[0])) return null;
    marker.mask = rest[0];
  }
  if (cut >= 0) marker.state = text.slice(cut + 1);
  return marker;
}

describe('parseMarker', () => {
  it.each([
    ['Card.k1 0 _R_1_', { key: 'Card.k1', element: 0, instance: '_R_1_' }],
    ['Card.k1 12 _R_1_ #3', { key: 'Card.k1', element: 12, instance: '_R_1_', ordinal: 3 }],
    ['Card.k1 1 _R_1_ #3 0110', { key: 'Card.k1', element: 1, instance: '_R_1_', ordinal: 3, mask: '0110' }],
    ['Card.k1 1 _R_1_ 01', { key: 'Card.k1', element: 1, instance: '_R_1_', mask: '01' }],
    ['Card.k1 0 _R_1_ #0|{"props":{"a":"b c|d"}}', { key: 'Card.k1', element: 0, instance: '_R_1_', ordinal: 0, state: '{"props":{"a":"b c|d"}}' }],
    ['Card.k1 0 _R_1_|', { key: 'Card.k1', element: 0, instance: '_R_1_', state: '' }],
  ])('reads %j', (text, expected) => {
    expect(parseMarker(text)).toEqual(expected);
  });

  it.each([
    '', 'Card.k1', 'Card.k1 0', ' 0 id', 'Card.k1 0 ', 'Card.k1  0 id', 'Card.k1 x id', 'Card.k1 1234567 id',
    'Card.k1 0 id #1 01 extra', 'Card.k1 0 id 0', 'Card.k1 0 id 012', 'Card.k1 0 id #', 'Card.k1 0 id #1234567890',
    `Card.k1 0 id ${'0'.repeat(65)}`, 'Card.k1 0 id #1 #2', 'Card.k1 ٣ id', 'Card.k1 0 id 01 ',
  ])('refuses %j', (text) => {
    expect(parseMarker(text)).toBeNull();
  });

  it('gives what the plain definition gives, on any text of the marker alphabet', () => {
    const char = fc.constantFrom(' ', ' ', ' ', '#', '0', '1', '2', '9', 'a', 'K', '|', '.', '_', '٣', '\n');
    fc.assert(fc.property(fc.array(char, { maxLength: 48 }).map((cs) => cs.join('')), (text) => {
      expect(parseMarker(text)).toEqual(parseMarkerByDefinition(text));
    }), { numRuns: 5_000 });
  });

  it('reads back what formatMarker writes', () => {
    const marker = fc.record({
      key: fc.stringMatching(/^[A-Za-z]\w{0,8}\.[a-z0-9]{1,6}$/),
      element: fc.nat({ max: 999_999 }),
      instance: fc.stringMatching(/^_R_[a-z0-9]{1,6}_$/),
      ordinal: fc.option(fc.nat({ max: 999_999_999 }), { nil: undefined }),
      mask: fc.option(fc.stringMatching(/^[01]{2,64}$/), { nil: undefined }),
      state: fc.option(fc.string(), { nil: undefined }),
    }, { requiredKeys: ['key', 'element', 'instance'] });
    fc.assert(fc.property(marker, (m) => {
      const clean = Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as unknown as Marker;
      expect(parseMarker(formatMarker(clean))).toEqual(clean);
    }), { numRuns: 2_000 });
  });
});
