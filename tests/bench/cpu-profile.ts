/**
 * Where a benchmark child's time went: its V8 CPU profiles (`node --cpu-prof`, one file per thread)
 * summed up by self time, per thread, per place (a file of ours, a package, Node itself) and per
 * function. Idle time is what a thread spent waiting (for I/O, for the disk, for another thread).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A package name, a path of ours inside the checkout, or what V8 calls the frame. */
function place(url: string, fn: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1]!;
  const ours = /\/((?:main|db|tests)\/.*)$/.exec(path);
  if (ours) return ours[1]!;
  if (path.startsWith('node:')) return 'node (internals)';
  return path || fn || '(native)';
}

export interface ProfileSummary {
  threads: { file: string; totalMs: number; busyMs: number }[];
  byPlace: [string, number][];
  byFunction: [string, number][];
  busyMs: number;
}

export function summarizeProfiles(dir: string): ProfileSummary {
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const threads: ProfileSummary['threads'] = [];
  let busy = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let total = 0;
    let threadBusy = 0;
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      total += us;
      const frame = nodes.get(id)!.callFrame;
      if (frame.functionName === '(idle)') return;
      threadBusy += us;
      const where = place(frame.url, frame.functionName);
      byPlace.set(where, (byPlace.get(where) ?? 0) + us);
      const fn = `${frame.functionName || '(anonymous)'} (${where}${frame.url ? `:${frame.lineNumber + 1}` : ''})`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    });
    busy += threadBusy;
    threads.push({ file, totalMs: total / 1000, busyMs: threadBusy / 1000 });
  }
  const sorted = (m: Map<string, number>) =>
    [...m].map(([k, v]) => [k, v / 1000] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { threads, byPlace: sorted(byPlace), byFunction: sorted(byFunction), busyMs: busy / 1000 };
}

export function printProfile(dir: string, top = 25): void {
  const s = summarizeProfiles(dir);
  const pct = (ms: number) => `${((100 * ms) / s.busyMs).toFixed(1).padStart(5)} %`;
  console.log(`\nCPU profile (${dir}): ${s.busyMs.toFixed(0)} ms busy over ${s.threads.length} threads`);
  for (const t of s.threads)
    console.log(`  ${t.file}: ${t.busyMs.toFixed(0)} ms busy of ${t.totalMs.toFixed(0)} ms`);
  console.log('self time by place:');
  for (const [k, ms] of s.byPlace.slice(0, top))
    console.log(`  ${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${k}`);
  console.log('self time by function:');
  for (const [k, ms] of s.byFunction.slice(0, top))
    console.log(`  ${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${k}`);
}
