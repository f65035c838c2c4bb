// Types of build.mjs for the benchmarks that import it.
import type { NodeTarget } from './node-targets.mjs';

export function buildBundle(target: NodeTarget): Promise<unknown[]>;
export function buildNodeTarget(name: 'electron' | 'cli' | 'server'): Promise<void>;
export function buildNode(): Promise<void>;
export function buildRenderer(): Promise<void>;
