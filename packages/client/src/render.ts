import { createElement } from 'react';
import type { Context, ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import type { HostFunctions, RenderRequest, SpliceRenderer } from '@splice/manifest';
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
  for (let i = contexts.length - 1; i >= 0; i--) {
    // Not recorded (a descendant's context of callbacks): as the render would be without it.
    if (request.absent?.includes(i) === true) continue;
    const ctx = contexts[i]!;
    node = createElement(ctx.Provider, { value: request.contexts[i] }, node);
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
