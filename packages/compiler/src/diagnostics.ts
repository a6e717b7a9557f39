import { codeFrameColumns } from '@babel/code-frame';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** `SPLICE0xx`, see `DIAGNOSTIC_CODES`. */
  code: string;
  severity: Severity;
  message: string;
  /** Relative to the compile root, `/`-separated. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The source around the location, without colors. */
  frame: string;
}

/** Every code the compiler reports, with a one-line description (documented in the README). */
export const DIAGNOSTIC_CODES = {
  SPLICE001: 'Syntax error: the file could not be parsed and is left unchanged.',
  SPLICE002: 'Internal compiler error: the file is left unchanged (please report it).',
  SPLICE010: 'A prop is used in a condition, a list or another expression: not a value hole (structural when the component can be re-rendered).',
  SPLICE011: 'A prop is passed to a child component, or rendered in an element handed to one (which may clone it with other props): not a value hole.',
  SPLICE012: 'A prop is rendered as text next to elements or non-prop expressions, or is typed to hold elements: not a value hole.',
  SPLICE013: 'A prop is an attribute value React does not write as a plain string (event handler, boolean, style, key, spread attributes, camelCase name).',
  SPLICE014: 'A prop is rendered inside an element React treats specially (title, textarea, option, script, head, meta, dangerouslySetInnerHTML, ...).',
  SPLICE015: 'The props object escapes (spread, passed along, computed or optional access): no prop is a value hole.',
  SPLICE016: 'A prop binding is reassigned or mutated: not a value hole.',
  SPLICE017: 'A `...rest` element in the props pattern: props read through it are not analyzed as value holes.',
  SPLICE018: 'A prop is used inside a nested function (callback, map): not a value hole.',
  SPLICE019: 'A prop is passed to a hook (useState, useMemo, ...): not a value hole.',
  SPLICE020: 'Class component: only function components are analyzed.',
  SPLICE021: 'Unsupported component function: more than one parameter (outside forwardRef), generator or async function, or a non-pattern parameter.',
  SPLICE022: 'Unsupported destructuring of a prop (array pattern, computed key, default value inside a nested pattern).',
  SPLICE023: 'A prop is rendered with no host element around it (returned directly or inside a fragment): not a value hole.',
  SPLICE030: 'The render reads something the edge cannot reproduce (a browser global, the clock, randomness, module-level mutable state, an external store, await): not re-renderable.',
  SPLICE031: 'A prop holds a function: no override can carry one.',
  SPLICE032: 'A prop holds React elements (`children`, or typed so): an override can replace them only with text or null, by a re-render; where the component cannot be re-rendered, not at all.',
  SPLICE033: 'The edge cannot re-render an instance alone: the component returns `<option>`/`<optgroup>` (its `selected` comes from the `<select>`), returns a document shell (`<html>`, `<head>`, `<body>`) inside a fragment or another component, or has no name binding.',
  SPLICE034: 'The render reads a context that is not a module-level value: the edge cannot know it.',
  SPLICE035: 'The render calls a hook the build cannot follow: one from a module it cannot read or find a function in, a package hook given a function or called outside a component or hook body.',
  SPLICE036: 'A prop is an event handler (used only by `on…` attributes, effects and callbacks): it renders nothing into the HTML. Not a rendered prop; no diagnostic is printed.',
  SPLICE040: 'splice.config.ts: an override names a component this build does not have (or the config cannot be read).',
  SPLICE041: 'splice.config.ts: an override sets a prop the component does not have.',
  SPLICE042: 'splice.config.ts: an override sets a prop the analyzer refused (the message gives its code and reason).',
  SPLICE043: 'splice.config.ts: an override names a component by a name two components share: write `path/from/root.tsx#Name`.',
  SPLICE050: 'Build setup: ts-loader with TypeScript 7 or later, which has no JavaScript compiler API for it. Reported by SplicePlugin before compiling, with what to use instead.',
  SPLICE051: "Build setup: rspack's persistent cache, which restores modules without running Splice's loader, so the manifest would miss their components. Reported by SplicePlugin before compiling.",
  SPLICE052: "A build with errors: SplicePlugin writes the last good build's manifest and component map again (none before a first good build), and does not rebuild the edge module.",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface SourceLocation {
  line: number;
  /** 0-based, as Babel reports it. */
  column: number;
}

export function createDiagnostic(
  source: { code: string; file: string },
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  loc: SourceLocation,
): Diagnostic {
  const frame = codeFrameColumns(source.code, { start: { line: loc.line, column: loc.column + 1 } }, { highlightCode: false });
  return { code, severity, message, file: source.file, line: loc.line, column: loc.column + 1, frame };
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} - ${d.code}: ${d.message}\n${d.frame}`;
}
