import type { AnalyzeReport } from './analyze';

/** The human-readable summary `splice analyze` prints without `--json`. */
export function formatReport(report: AnalyzeReport): string {
  const s = report.summary;
  const lines: string[] = [];
  const pct = (n: number): string => (s.props === 0 ? '-' : `${((100 * n) / s.props).toFixed(1)}%`);

  lines.push(...table(['', 'count', 'share'], [
    ['files', String(s.files), ''],
    ['components', String(s.components), ''],
    ['props', String(s.props), ''],
    ['  value', String(s.byTier.value), pct(s.byTier.value)],
    ['  structural', String(s.byTier.structural), pct(s.byTier.structural)],
    ['  none', String(s.byTier.none), pct(s.byTier.none)],
    ['value + structural', String(s.byTier.value + s.byTier.structural), pct(s.byTier.value + s.byTier.structural)],
  ]));
  const handlers = s.props - s.renderedProps;
  if (handlers > 0) {
    lines.push('', `Rendered props (event handlers left out, SPLICE036: ${handlers}): ${s.renderedProps}, of which value + structural: ${(100 * s.renderedShare).toFixed(1)}%`);
  }

  if (s.frameworkEnv.length > 0) {
    // Said up front: it changes what counts as re-renderable, and the reader may not build that way.
    lines.push('', 'process.env names counted as inlined, because the framework\'s build inlines them (--no-framework-env to not):');
    for (const f of [...s.frameworkEnv].sort((a, b) => a.packageJson.localeCompare(b.packageJson))) {
      lines.push(`  ${f.inlinedEnv.join(', ')} (${f.framework}) in ${f.files} file${f.files === 1 ? '' : 's'} of ${f.packageJson}`);
    }
  }

  const refusals = Object.entries(s.refusals);
  lines.push('', 'Refusals (props with tier none), by code:');
  if (refusals.length === 0) lines.push('  none');
  else lines.push(...table(['code', 'props', 'share of none'], refusals.map(([code, n]) => [code, String(n), `${((100 * n) / s.byTier.none).toFixed(1)}%`])));

  const replayed = Object.entries(s.replayedHooks);
  if (replayed.length > 0) {
    lines.push('', 'Package hooks replayed at the edge (re-renderable components calling each):');
    lines.push(...table(['hook', 'components'], replayed.slice(0, 15).map(([hook, n]) => [hook, String(n)])));
    if (replayed.length > 15) lines.push(`  … and ${replayed.length - 15} more (see --json)`);
  }

  const refused = Object.entries(s.refusedComponents);
  if (refused.length > 0) {
    lines.push('', 'Components not analyzed (not counted above):');
    lines.push(...table(['code', 'components'], refused.map(([code, n]) => [code, String(n)])));
  }

  if (s.failedFiles.length > 0) {
    lines.push('', `Files that could not be analyzed: ${s.failedFiles.length}`);
    for (const f of s.failedFiles.slice(0, 10)) lines.push(`  ${f.file}:${f.line} ${f.code} ${firstLine(f.message)}`);
    if (s.failedFiles.length > 10) lines.push(`  … and ${s.failedFiles.length - 10} more (see --json)`);
  }

  lines.push('', `Slowest files (of ${s.files}):`);
  lines.push(...table(['ms', 'file'], s.slowest.map((t) => [t.ms.toFixed(2), t.file])));
  return lines.join('\n') + '\n';
}

/** Left-aligned first column, right-aligned numbers, except a trailing path column which is left-aligned. */
function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const last = header.length - 1;
  const pathLast = header[last] === 'file';
  return all.map((row) =>
    row
      .map((cell, i) => {
        const w = widths[i] ?? 0;
        if (i === last && pathLast) return cell;
        return i === 0 && !pathLast ? cell.padEnd(w) : cell.padStart(w);
      })
      .join('  ')
      .trimEnd()
      .replace(/^/, '  '),
  );
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i === -1 ? s : s.slice(0, i);
}
