// Types of ensure-built.mjs for the tests that import it.
export function ensureRendererBuilt(): Promise<void>;
export function nodeTargetCurrent(name: 'electron' | 'cli' | 'server', checkout?: string): boolean;
export function ensureNodeBuilt(name: 'electron' | 'cli' | 'server'): Promise<void>;
