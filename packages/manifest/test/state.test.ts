import { checkInstanceState } from '@splice/manifest';

// An instance state comes from a page: untrusted.
describe('instance states: where context values held functions', () => {
  const contexts = [{ user: { name: 'R' }, links: [{ label: 'a' }, null] }, null, 'x'];
  const state = (functions: unknown) => ({ props: {}, contexts, tree: '_R_1_', functions });

  it('takes paths through the recorded containers to an empty slot', () => {
    const ok = [[0, 'signOut'], [0, 'user', 'refresh'], [0, 'links', 1], [0, 'links', 0, 'open'], [1]];
    expect(checkInstanceState(state(ok), 3)).toEqual(state(ok));
  });

  it.each([
    ['an empty list', []],
    ['a path onto recorded data', [[0, 'user']]],
    ['an array slot that holds data', [[0, 'links', 0]]],
    ['a whole context that holds data', [[2]]],
    ['a key through a missing container', [[0, 'missing', 'x']]],
    ['__proto__', [[0, '__proto__']]],
    ['__proto__ on the way', [[0, '__proto__', 'polluted']]],
    ['a string index into an array', [[0, 'links', '1']]],
    ['an index past an array', [[0, 'links', 2]]],
    ['a number key into an object', [[0, 0]]],
    ['a context past the list', [[3]]],
    ['a path into a string', [[2, 'length']]],
    ['an empty path', [[]]],
    ['not a list', { 0: 'signOut' }],
  ])('refuses %s', (_label, functions) => {
    expect(checkInstanceState(state(functions), 3)).toBeNull();
  });
});
