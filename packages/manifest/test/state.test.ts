import { checkInstanceState, parseInstanceState } from '@splice/manifest';

// An instance state comes from a page: untrusted. What it may say about contexts it left out.
describe('instance states: contexts left out (absent)', () => {
  const state = (absent: unknown) => ({ props: {}, contexts: [null, 1, null], tree: '_R_1_', ...(absent === undefined ? {} : { absent }) });

  it('takes ascending indices of its contexts', () => {
    expect(checkInstanceState(state([0, 2]), 3)).toEqual(state([0, 2]));
    expect(checkInstanceState(state(undefined), 3)).toEqual(state(undefined));
    expect(parseInstanceState(JSON.stringify(state([2])), 3)).toEqual(state([2]));
  });

  it.each([
    ['an empty list', []],
    ['an index past the contexts', [3]],
    ['a negative index', [-1]],
    ['a fraction', [0.5]],
    ['a repeated index', [0, 0]],
    ['a descending list', [2, 0]],
    ['a string', ['0']],
    ['not a list', 0],
    ['null', null],
  ])('refuses %s', (_label, absent) => {
    expect(checkInstanceState(state(absent), 3)).toBeNull();
  });
});
