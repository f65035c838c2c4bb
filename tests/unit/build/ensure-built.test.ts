import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeTargetCurrent } from '../../../scripts/ensure-built.mjs';
import { tempDir } from '../../support/archive.ts';

/** A checkout with the server target built from two sources, as scripts/build.mjs records it. */
function builtCheckout() {
  const root = tempDir('pecdesk-built-');
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write('main/a.ts', 'export const a = 1;\n');
  write('package-lock.json', '{}\n');
  const outputs = ['dist/server/serve.mjs', 'dist/server/extract-worker.mjs'];
  for (const out of outputs) write(out, '// bundle\n');
  const stamp = () => {
    const inputs: Record<string, [number, number]> = {};
    for (const file of ['main/a.ts', 'package-lock.json']) {
      const info = statSync(join(root, file));
      inputs[file] = [info.mtimeMs, info.size];
    }
    write('dist/server/build-inputs.json', JSON.stringify({ outputs, inputs }));
  };
  stamp();
  return { root, write, stamp };
}

describe('is the server bundle current', () => {
  it('is while every source it was built from is as it was', () => {
    const { root } = builtCheckout();
    expect(nodeTargetCurrent('server', root)).toBe(true);
  });

  it('is not once a source changed, even back to an earlier date, or the lock file did', () => {
    const edited = builtCheckout();
    edited.write('main/a.ts', 'export const a = 2;\n');
    expect(nodeTargetCurrent('server', edited.root)).toBe(false);

    // An older version put back (a checkout, a copy that keeps dates): same size, earlier date.
    const restored = builtCheckout();
    utimesSync(join(restored.root, 'main/a.ts'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(nodeTargetCurrent('server', restored.root)).toBe(false);

    const deps = builtCheckout();
    deps.write('package-lock.json', '{"lockfileVersion":3}\n');
    expect(nodeTargetCurrent('server', deps.root)).toBe(false);
  });

  it('is not when a source, a bundle or the record is missing', () => {
    const source = builtCheckout();
    rmSync(join(source.root, 'main/a.ts'));
    expect(nodeTargetCurrent('server', source.root)).toBe(false);

    const output = builtCheckout();
    rmSync(join(output.root, 'dist/server/extract-worker.mjs'));
    expect(nodeTargetCurrent('server', output.root)).toBe(false);

    const record = builtCheckout();
    rmSync(join(record.root, 'dist/server/build-inputs.json'));
    expect(nodeTargetCurrent('server', record.root)).toBe(false);
  });
});
