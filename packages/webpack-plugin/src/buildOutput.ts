import type { Compilation, Compiler, WebpackError } from 'webpack';
import type { ComponentEntry } from '@splice/manifest';
import type { Diagnostic } from '@splice/compiler';
import { formatDiagnostic } from '@splice/compiler';
import { DIAGNOSTIC_ERROR_NAME } from './api';

const PLUGIN = 'SplicePlugin';

/** What one compilation has to say: its analyzed components and their notes (info diagnostics). */
export interface BuildReport {
  components: Iterable<[string, ComponentEntry]>;
  notes: Iterable<Diagnostic>;
}

/**
 * The compilations of one run of a group's compilers: what they reported, and what has been
 * printed. A run starts again when one of its compilers starts again (a watch rebuild).
 */
interface Round {
  started: Set<Compiler>;
  /** Started, not reported yet: the round prints once none is left. */
  busy: Set<Compiler>;
  reports: Map<Compiler, { compilation: Compilation; report: BuildReport }>;
  /** Notes and errors printed in this round, by their full text. */
  printed: Map<string, Compiler>;
  components: Map<string, ComponentEntry>;
  /** Components counted by the last summary line (none printed yet: -1). */
  summarized: number;
}

interface Group {
  /** In the order the configs were given: the first compilation to print a note is the first listed. */
  compilers: Compiler[];
  round: Round | undefined;
  /** The round each compiler's current compilation belongs to. */
  current: Map<Compiler, Round>;
}

const groups = new WeakMap<Compiler, Group>();
/** The group of compilers being created by the current synchronous run of code. */
let forming: Group | undefined;

/**
 * Where the plugin's output goes: the client and server builds of one `webpack([client, server])`
 * run each analyze the same modules, and would each print the same notes and the same summary.
 * webpack hands a plugin its own compiler and never the MultiCompiler around it, so the
 * compilers of one run are found another way: `webpack([…])` applies every config's plugins in
 * one synchronous run of code, and a MultiCompiler taps each of them. Compilers made together
 * and under a MultiCompiler print as one: each note, error and the summary once, after the last
 * of them has reported (a MultiCompiler prints its children's stats when all are done). Any
 * other compiler prints alone, as soon as it has reported.
 */
export function createBuildOutput(compiler: Compiler): BuildOutput {
  if (forming === undefined) {
    const group: Group = { compilers: [], round: undefined, current: new Map() };
    forming = group;
    queueMicrotask(() => {
      if (forming === group) forming = undefined;
    });
  }
  forming.compilers.push(compiler);
  const formed = forming;
  const currentRound = () => groupOf(compiler, formed).current.get(compiler);
  return {
    start() {
      const group = groupOf(compiler, formed);
      // Started again before it reported (an additional pass): what it had is not coming.
      const previous = group.current.get(compiler);
      if (previous !== undefined && previous.busy.delete(compiler) && previous.busy.size === 0) print(group, previous);
      let round = group.round;
      // A new round when this compiler already ran in the current one, or ran before and the
      // current one is over (a watch rebuild of this compiler alone must print what it finds,
      // not join the other compiler's finished round). A compiler that never ran joins the
      // round under way (a build that waits for another: `dependencies`, parallelism 1).
      if (round === undefined || round.started.has(compiler) || (previous !== undefined && round.busy.size === 0)) {
        round = { started: new Set(), busy: new Set(), reports: new Map(), printed: new Map(), components: new Map(), summarized: -1 };
        group.round = round;
      }
      round.started.add(compiler);
      round.busy.add(compiler);
      group.current.set(compiler, round);
    },
    report(compilation, report) {
      const round = currentRound();
      if (round === undefined) return;
      round.reports.set(compiler, { compilation, report });
      round.busy.delete(compiler);
      if (round.busy.size === 0) print(groupOf(compiler, formed), round);
    },
    abort() {
      const round = currentRound();
      if (round !== undefined && round.busy.delete(compiler) && round.busy.size === 0) print(groupOf(compiler, formed), round);
    },
  };
}

/** Decided when the compiler first runs: the MultiCompiler is made after every child's plugins are applied. */
function groupOf(compiler: Compiler, formed: Group): Group {
  let group = groups.get(compiler);
  if (group !== undefined) return group;
  if (underMultiCompiler(compiler)) {
    formed.compilers = formed.compilers.filter(underMultiCompiler);
    for (const c of formed.compilers) groups.set(c, formed);
    return formed;
  }
  group = { compilers: [compiler], round: undefined, current: new Map() };
  groups.set(compiler, group);
  return group;
}

export interface BuildOutput {
  /** A compilation of this compiler starts. */
  start(): void;
  /** Its analysis is complete (every module built or restored from the cache, errors collected). */
  report(compilation: Compilation, report: BuildReport): void;
  /** It failed before reporting. */
  abort(): void;
}

function underMultiCompiler(compiler: Compiler): boolean {
  return compiler.hooks.done.taps.some((tap) => tap.name === 'MultiCompiler');
}

function print(group: Group, round: Round): void {
  const order = group.compilers.filter((c) => round.reports.has(c));
  for (const c of order) for (const [key, entry] of round.reports.get(c)!.report.components) round.components.set(key, entry);
  order.forEach((c, i) => {
    const { compilation, report } = round.reports.get(c)!;
    const logger = compilation.getLogger(PLUGIN);
    // Once per round, and again only if a later build of it added components (one the others did not wait for).
    if (i === 0 && round.components.size !== round.summarized) {
      logger.info(summary(round.components.values()));
      round.summarized = round.components.size;
    }
    for (const note of [...report.notes].sort(byPlace)) {
      const text = formatDiagnostic(note);
      if (round.printed.has(text)) continue;
      round.printed.set(text, c);
      logger.info(shortNote(note));
    }
    shortenRepeatedErrors(compilation, c, round);
  });
  round.reports.clear();
}

/**
 * The same syntax error fails every build that has the module, and must: a build without its
 * error would emit (or report success with) a module that throws. Each build past the first
 * keeps its error, in one line that says where the code frame is.
 */
function shortenRepeatedErrors(compilation: Compilation, owner: Compiler, round: Round): void {
  compilation.errors.forEach((e, i) => {
    const error = e as WebpackError & { error?: unknown };
    const inner = error.error;
    if (!(inner instanceof Error) || inner.name !== DIAGNOSTIC_ERROR_NAME) return;
    const first = round.printed.get(inner.message);
    if (first === undefined) {
      round.printed.set(inner.message, owner);
      return;
    }
    if (first === owner) return;
    const where = first.name === undefined ? 'another' : `the ${JSON.stringify(first.name)}`;
    const short = new owner.webpack.WebpackError(`${inner.message.split('\n')[0]} (in full in ${where} build)`);
    short.name = error.name;
    short.module = error.module;
    short.loc = error.loc;
    short.stack = '';
    compilation.errors[i] = short;
  });
}

function byPlace(a: Diagnostic, b: Diagnostic): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** `splice: 3 components, 4 value, 1 structural, 2 refused`: the props of the manifest, by tier. */
export function summary(components: Iterable<ComponentEntry>): string {
  let count = 0;
  const tiers = { value: 0, structural: 0, none: 0 };
  for (const component of components) {
    count++;
    for (const prop of Object.values(component.props)) tiers[prop.tier]++;
  }
  return `splice: ${count} ${count === 1 ? 'component' : 'components'}, ${tiers.value} value, ${tiers.structural} structural, ${tiers.none} refused`;
}

/** A note in two lines: where and why, and the source line it is about (the caret is in the column). */
export function shortNote(d: Diagnostic): string {
  const line = d.frame.split('\n').find((l) => /^\s*> \d+ \|/.test(l));
  return `${d.file}:${d.line}:${d.column} - ${d.code}: ${d.message}${line === undefined ? '' : `\n${line.trimEnd()}`}`;
}
