import * as fs from 'fs';
import * as path from 'path';
import { compileFixture, listFixtures, renderOutput } from './helpers';
import type { CompileResult } from '../src/index';

const update = process.env.UPDATE_FIXTURES === '1';

describe('fixtures', () => {
  for (const fixture of listFixtures()) {
    it(fixture.name, () => {
      const actual = renderOutput(fixture.name, compileFixture(fixture));
      const file = path.join(fixture.dir, 'output.md');
      if (update || !fs.existsSync(file)) {
        fs.writeFileSync(file, actual);
        if (!update) throw new Error(`wrote ${file}: review it, then run again`);
        return;
      }
      expect(actual).toBe(fs.readFileSync(file, 'utf8'));
    });
  }
});

// `splice analyze` compiles with `analysisOnly`: the same components, prop tiers and diagnostics
// as a full compile, and the input untouched.
describe('fixtures, analysis only', () => {
  const fixtures = listFixtures();
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const full = compileFixture(fixture);
    const only: CompileResult = compileFixture(fixture, { analysisOnly: true });
    expect({ components: only.components, propTypes: only.propTypes, diagnostics: only.diagnostics, dependencies: only.dependencies })
      .toEqual({ components: full.components, propTypes: full.propTypes, diagnostics: full.diagnostics, dependencies: full.dependencies });
    expect(only.code).toBe(fixture.source);
    expect(only.changed).toBe(false);
  });
});
