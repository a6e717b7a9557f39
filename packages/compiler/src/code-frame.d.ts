// @babel/code-frame ships no types and @types/babel__code-frame is not installed.
declare module '@babel/code-frame' {
  export interface FramePosition { line: number; column?: number }
  export function codeFrameColumns(
    rawLines: string,
    location: { start: FramePosition; end?: FramePosition },
    options?: { highlightCode?: boolean; linesAbove?: number; linesBelow?: number; message?: string },
  ): string;
}
