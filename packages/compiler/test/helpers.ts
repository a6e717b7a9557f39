import * as fs from 'fs';
import * as path from 'path';
import { compile, createModuleReader, formatDiagnostic, type CompileResult, type ModuleReader } from '@splice/compiler';

export const FIXTURES = path.join(__dirname, 'fixtures');

export interface Fixture {
  name: string;
  dir: string;
  inputFile: string;
  source: string;
  /** The stable path the fixture is compiled under: `src/<case>/input.jsx`. */
  filename: string;
}

export function listFixtures(): Fixture[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((name) => fs.statSync(path.join(FIXTURES, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = path.join(FIXTURES, name);
      const input = fs.readdirSync(dir).find((f) => f.startsWith('input.'));
      if (input === undefined) throw new Error(`fixture ${name} has no input.* file`);
      return { name, dir, inputFile: path.join(dir, input), source: fs.readFileSync(path.join(dir, input), 'utf8'), filename: `src/${name}/${input}` };
    });
}

export function compileFixture(fixture: Fixture, options: { analysisOnly?: boolean } = {}): CompileResult {
  return compile(fixture.source, { filename: fixture.filename, root: '', readModule: fixtureReader(fixture), ...options });
}

/**
 * Reads the fixture's other modules (hooks it imports) from its folder, under the same stable
 * path it is compiled under, so that outputs do not depend on where the repository is.
 */
function fixtureReader(fixture: Fixture): ModuleReader {
  const read = createModuleReader();
  const virtual = path.resolve(path.dirname(fixture.filename));
  return (specifier, importer) => {
    const found = read(specifier, importer.replace(virtual, fixture.dir));
    return found === null ? null : { ...found, filename: found.filename.replace(fixture.dir, virtual) };
  };
}

/** The `output.md` text for a compile result: the compiled code, the manifest entries, the diagnostics. */
export function renderOutput(name: string, result: CompileResult): string {
  const code = result.changed ? result.code : `// unchanged\n${result.code.replace(/\n$/, '')}`;
  const diagnostics = result.diagnostics.length === 0 ? 'none' : '```\n' + result.diagnostics.map((d) => `${d.severity} ${formatDiagnostic(d)}`).join('\n\n') + '\n```';
  return [
    `# ${name}`,
    '',
    '## Code',
    '',
    '```js',
    code,
    '```',
    '',
    '## Components',
    '',
    '```json',
    compactJson(result.components),
    '```',
    '',
    '## Diagnostics',
    '',
    diagnostics,
    '',
  ].join('\n');
}

/** JSON with every object or array that fits on one line written on one line: reviewable diffs. */
export function compactJson(value: unknown, indent = ''): string {
  const flat = JSON.stringify(value);
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= 100) return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + compactJson(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}
