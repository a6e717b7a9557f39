import { createElement } from 'react';
import type { Context, ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import type { ContextPath, HostFunctions, JsonValue, RenderRequest, SpliceRenderer } from '@splice/manifest';
import { SpliceProvider } from './SpliceProvider';
import { registeredComponent } from './registry';
import { pushesFor, treePosition } from './treePosition';
import { replaying } from './hookReplay';
import type { ReplaySession } from './hookReplay';

export type { RenderRequest, SpliceRenderer } from '@splice/manifest';

export interface RendererOptions {
  /** React's `identifierPrefix`, as the page was rendered with. Default ''. */
  identifierPrefix?: string;
  /** Package functions value holes call (`tailwind-merge`'s `twMerge`), handed to the edge with the renderer. */
  hosts?: HostFunctions;
}

/**
 * The renderer of the edge module: re-renders one registered component instance with
 * `react-dom/server`, in its tree position (so `useId` values equal the full render's), under
 * the contexts it read, with the overrides applied by the same `useSpliceProps` that the client
 * runs, and the package hooks it called answered from the cached page's records (`useSpliceHook`). Synchronous work behind a promise; the edge schedules and budgets it.
 */
export function createRenderer(options: RendererOptions = {}): SpliceRenderer {
  const identifierPrefix = options.identifierPrefix ?? '';
  return {
    ...(options.hosts !== undefined ? { hosts: options.hosts } : {}),
    render(request) {
      try {
        return Promise.resolve(renderInstance(request, identifierPrefix));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

function renderInstance(request: RenderRequest, identifierPrefix: string): string {
  const ref = registeredComponent(request.key);
  if (ref?.render === undefined) throw new Error(`component ${request.key} is not in the edge module`);
  const position = treePosition(request.id, request.tree, identifierPrefix);
  if (typeof position === 'string') throw new Error(position);
  const pushes = pushesFor(position);
  if (typeof pushes === 'string') throw new Error(pushes);
  const contexts = ref.render.contexts() as Context<unknown>[];
  if (contexts.length !== request.contexts.length) throw new Error('instance state does not match the component (contexts)');

  let node: ReactNode = createElement(ref.render.component() as Parameters<typeof createElement>[0], { ...request.props, key: 'splice' });
  // Innermost array first: the outermost level pushes the lowest bits.
  for (let i = pushes.length - 1; i >= 0; i--) {
    const { total, index } = pushes[i]!;
    const level: ReactNode[] = new Array<ReactNode>(total).fill(null);
    level[index] = node;
    node = level;
  }
  const values = withFunctions(request.contexts, request.functions ?? []);
  for (let i = contexts.length - 1; i >= 0; i--) {
    const ctx = contexts[i]!;
    node = createElement(ctx.Provider, { value: values[i] }, node);
  }
  const replay: ReplaySession = { id: request.id, key: request.key, records: request.hooks ?? [], failed: null };
  const html = replaying(replay, () => renderToString(createElement(SpliceProvider, { overrides: request.overrides, instanceState: false }, node), { identifierPrefix }));
  // A replay that failed inside a <Suspense> boundary became a client-rendered fallback in the
  // HTML, not an error: it is one all the same.
  if (replay.failed !== null) throw new Error(replay.failed);
  // Any other error inside a <Suspense> boundary left a client-rendered fallback (`<!--$!`)
  // where the full render has content.
  if (html.includes('<!--$!')) throw new Error('part of the re-render failed inside a <Suspense> boundary (React rendered its fallback)');
  return html;
}

/**
 * The recorded context values with a function wherever the server's had one
 * (`InstanceState.functions`). Copies along each path: the record belongs to a page index that
 * other requests share. The functions throw: a render that calls one is not the server's, and the
 * region stays as cached; one that only hands it to a handler renders the same HTML.
 */
function withFunctions(contexts: readonly JsonValue[], paths: readonly ContextPath[]): unknown[] {
  const values: unknown[] = contexts.slice();
  // Each container of the record on a path is copied once, however many paths go through it.
  const copies = new Set<unknown>();
  const own = (value: unknown): Record<string | number, unknown> => {
    if (copies.has(value)) return value as Record<string | number, unknown>;
    const copy = copyOf(value);
    copies.add(copy);
    return copy;
  };
  for (const path of paths) {
    const [index, ...keys] = path;
    if (keys.length === 0) {
      values[index] = calledAtTheEdge;
      continue;
    }
    let container = own(values[index]);
    values[index] = container;
    for (let i = 0; i < keys.length - 1; i++) {
      const next = own(readOwn(container, keys[i]!));
      writeOwn(container, keys[i]!, next);
      container = next;
    }
    writeOwn(container, keys[keys.length - 1]!, calledAtTheEdge);
  }
  return values;
}

/**
 * The function that stands in. Anything a render can learn from it that it could learn from the
 * server's function fails the re-render too: its `name`, `length`, text (`String(fn)`), a property
 * the server's carried (an i18n `t.locale`), a call. Only what no HTML shows goes through: handing
 * it on (a handler, a prop), `typeof`, `bind` (another stand-in), and `toJSON` (none, as on any
 * function: JSON of a context leaves it out). Its identity still differs from the server's
 * function: a render that compares it with another function is not caught.
 */
const calledAtTheEdge: () => never = new Proxy(() => {
  throw new Error('a function from a context was called during render: the edge has only the context\'s recorded data');
}, {
  get(_target, key) {
    if (key === 'toJSON') return undefined;
    if (key === 'bind') return () => calledAtTheEdge;
    throw new Error(`a function from a context was read during render (${String(key)}): the edge has only the context's recorded data`);
  },
  has(_target, key) {
    throw new Error(`a function from a context was read during render (${String(key)}): the edge has only the context's recorded data`);
  },
  ownKeys() {
    throw new Error('a function from a context was read during render (its keys): the edge has only the context\'s recorded data');
  },
  getOwnPropertyDescriptor(_target, key) {
    throw new Error(`a function from a context was read during render (${String(key)}): the edge has only the context's recorded data`);
  },
});

/** A shallow copy of an object or array of the record (checked by `checkInstanceState`). */
function copyOf(value: unknown): Record<string | number, unknown> {
  if (Array.isArray(value)) return value.slice() as unknown as Record<number, unknown>;
  if (typeof value === 'object' && value !== null) return { ...(value as Record<string, unknown>) };
  throw new Error('instance state does not match its context values (functions)');
}

function readOwn(container: Record<string | number, unknown>, key: string | number): unknown {
  if (!Object.prototype.hasOwnProperty.call(container, key)) throw new Error('instance state does not match its context values (functions)');
  return container[key];
}

// As an own data property: a key such as `__proto__` must not reach the prototype.
function writeOwn(container: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}
