// Types of native-electron.mjs for the tests that import it.
export interface ElectronFacts {
  electron: string;
  abi: string | null;
  platform: string;
  arch: string;
  modules: Record<string, string>;
}
export interface Tools {
  node: string;
  prebuildInstall: string | null;
  nodeGyp: string | null;
  home: string;
}
export interface BuildCommand {
  how: 'prebuilt' | 'compiled';
  cmd: string;
  args: string[];
}
export const ELECTRON_MODULES_DIR: string;
export const MARKER: string;
export const FIX_COMMAND: string;
export const REBUILT: { name: string; binary: string }[];
export const ABI_STABLE: { name: string; why: string }[];
export function electronFacts(checkout?: string, platform?: string, arch?: string): ElectronFacts;
export function planElectronNative(
  facts: ElectronFacts,
  marker: (ElectronFacts & { how?: Record<string, string> }) | null,
  binaryExists: (file: string) => boolean,
): { current: boolean; reasons: string[] };
export function buildCommands(facts: ElectronFacts, tools: Tools): BuildCommand[];
export function findTools(checkout?: string, env?: NodeJS.ProcessEnv): Tools;
export function ensureElectronNative(options?: {
  checkout?: string;
  facts?: ElectronFacts;
  tools?: Tools;
  run?: (cmd: string, args: string[], cwd: string) => boolean;
  log?: (line: string) => void;
  force?: boolean;
}): { built: boolean; how: Record<string, string> };
