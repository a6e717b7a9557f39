import * as fs from 'fs';
import * as path from 'path';
import { compileFixture, listFixtures, renderOutput } from './helpers';

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
