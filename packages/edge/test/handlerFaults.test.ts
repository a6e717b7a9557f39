/**
 * Each of the handler's faults (issue: a real A/B test end to end, "handler faults"), in Node;
 * workerd runs the same scenarios (workerd.test.ts). `expectations` is shared.
 */
import { scenarios } from './handlerFaults';
import { expectations } from './handlerFaults.expect';

describe('handleSpliceRequest, faults found by trying it (Node)', () => {
  it.each(Object.keys(expectations))('%s', async (name) => {
    const outcome = await scenarios[name]!();
    expectations[name]!(outcome);
  });

  it('has an expectation for every scenario', () => {
    expect(Object.keys(expectations).sort()).toEqual(Object.keys(scenarios).sort());
  });
});
