/**
 * Issue 10, the archive on disk: internal errors reached the client with absolute paths
 * (`…/objects/be/….eml`), telling where the archive lives and how it is laid out. The reply says in
 * words what failed; the details go to the log.
 */
import { unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getMessage } from '../../db/messages.ts';
import { registryFor } from '../../main/api/handlers.ts';
import { Archive } from '../../main/archive/archive.ts';
import { buildOrdinary } from '../../main/demo/pec-builder.ts';
import { tempDir } from '../support/archive.ts';

describe('internal errors do not carry the archive paths', () => {
  it('a message whose object is missing (ENOENT): the reply says what failed, the log says where', async () => {
    const dir = tempDir('pecdesk-errors-');
    const archive = Archive.open(dir);
    try {
      const [outcome] = await archive.ingest([
        {
          raw: buildOrdinary({
            subject: 'Con allegato',
            attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: 'x' }],
          }),
        },
      ]);
      const id = outcome!.messageId;
      const object = archive.objects.pathOf(getMessage(archive.db, id)!.objectHash);
      unlinkSync(object);
      const logged: string[] = [];
      const registry = registryFor(
        { version: '0', archiveDir: dir, anchors: undefined, archive },
        { error: (line) => logged.push(line) },
      );
      for (const [method, args] of [
        ['messages.get', { id }],
        ['attachments.get', { messageId: id, index: 0 }],
      ] as const) {
        const reply = await registry.call(method, args, { transport: 'http' });
        expect(reply.ok).toBe(false);
        if (reply.ok) continue;
        expect(reply.error.code).toBe('internal');
        const text = reply.error.message;
        expect(text, method).not.toContain(dir);
        expect(text, method).not.toMatch(/objects|\.eml|ENOENT|\/tmp\//);
        expect(text, method).toMatch(/could not read this (message|attachment)/);
      }
      // The person looking at the log still finds the file and the cause.
      expect(logged.join('\n')).toContain(object);
      expect(logged.join('\n')).toContain('ENOENT');
    } finally {
      archive.close();
    }
  });
});
