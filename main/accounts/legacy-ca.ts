/**
 * Archives made before the CA was kept as PEM name a CA file in accounts.ca_file. At open the file is
 * read once (a bounded regular file of PEM certificates) into ca_pem and the path is cleared: no path
 * from the db is read after that. A file that cannot be read any more leaves the account without its
 * extra CA; the person is told, and adds the CA again (`pecdesk account add … --ca FILE`).
 */
import { accountsWithCaFile, setAccountCa } from '../../db/accounts.ts';
import type { Db } from '../../db/database.ts';
import { readCaFile } from './ca-pem.ts';

export function adoptLegacyCaFiles(db: Db, warn: (line: string) => void = console.warn): number {
  const rows = accountsWithCaFile(db);
  for (const row of rows) {
    const read = readCaFile(row.caFile!);
    if (read.ok) {
      setAccountCa(db, row.id, row.caPem ?? read.pem);
    } else {
      setAccountCa(db, row.id, row.caPem);
      warn(
        `Warning: ${row.email}: the CA file named by this archive could not be used (${read.reason}); the server's certificate must now chain to a public root, or add the account again with --ca`,
      );
    }
  }
  return rows.length;
}
