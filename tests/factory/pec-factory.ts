/**
 * The tests' message factory: the PEC builder of the demo (main/demo/pec-builder.ts) signing with
 * the tests' shared PKI by default.
 */
import { setDefaultPki } from '../../main/demo/pec-builder.ts';
import { testPki } from './pki.ts';

setDefaultPki(testPki);

export * from '../../main/demo/pec-builder.ts';
