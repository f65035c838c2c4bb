/**
 * `npx tsx scripts/make-demo-pki.ts`: makes the demo archive's PKI once, into
 * resources/demo/demo-pki.json, which is shipped (main/demo/demo-pki.ts: loadDemoPki says why that
 * is safe: no CA key is kept). Run it again only to replace the demo PKI.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeDemoPki } from '../main/demo/demo-pki.ts';

const out = fileURLToPath(new URL('../resources/demo/demo-pki.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(makeDemoPki(), null, 2)}\n`);
console.log(`demo PKI written to ${out}`);
