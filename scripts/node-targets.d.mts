// Types of node-targets.mjs for the tests that import it.
export interface NodeTarget {
  dir: string;
  entry: string;
  out: string;
  workers: [source: string, file: string][];
  copies: { from: string; to: string }[];
  preload: string | null;
  outputs: string[];
}
export function nodeTarget(
  dir: string,
  main: { entry: string; file: string },
  extra?: Partial<Pick<NodeTarget, 'copies' | 'preload'>>,
): NodeTarget;
export const NODE_TARGETS: Record<'electron' | 'cli' | 'server', NodeTarget>;
export const TRACKED_FILES: string[];
export function stampPath(name: 'electron' | 'cli' | 'server'): string;
