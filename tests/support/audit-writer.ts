// A second (and third) process appending to one archive's audit log, for the concurrency test.
import { openDatabase } from '../../db/database.ts';
import { recordAudit } from '../../main/auth/audit.ts';

const [file, name, count] = process.argv.slice(2);
const db = openDatabase(file!);
for (let i = 0; i < Number(count); i++)
  recordAudit(
    db,
    { actor: `cli:${name}`, actorName: name!, origin: 'test' },
    { action: 'message.open', targetId: i },
  );
db.$client.close();
