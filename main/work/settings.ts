/**
 * The archive's work settings (issue 14), in meta 'work_settings': who may create tags, when a PEC
 * not taken in charge is escalated, how long before a due day reminders come, whether deadlines
 * are proposed from the terms table on arrival.
 */
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { getMeta, setMeta } from '../../db/meta.ts';

export const workSettingsSchema = z
  .object({
    /** admins: owner and administrators; routers: also whoever may route on some mailbox. */
    tagCreators: z.enum(['admins', 'routers']).default('admins'),
    /** Escalate an incoming PEC nobody took in charge after this many hours (null: never). */
    escalateAfterHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .nullable()
      .default(null),
    /** When escalation was turned on: PEC that arrived before are not escalated (history). */
    escalateSince: z.string().max(40).nullable().default(null),
    /** Reminders this many days before the due day (0: on the day). */
    remindDays: z.array(z.number().int().min(0).max(60)).max(5).default([3, 0]),
    /** Propose a deadline from the terms table when a PEC arrives (always "da verificare"). */
    proposeDeadlines: z.boolean().default(true),
  })
  .strict();

export type WorkSettings = z.infer<typeof workSettingsSchema>;

export function readWorkSettings(db: Db): WorkSettings {
  const text = getMeta(db, 'work_settings');
  let stored: unknown = {};
  try {
    stored = text ? JSON.parse(text) : {};
  } catch {
    stored = {};
  }
  const parsed = workSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : workSettingsSchema.parse({});
}

export function writeWorkSettings(db: Db, settings: WorkSettings): void {
  setMeta(db, 'work_settings', JSON.stringify(workSettingsSchema.parse(settings)));
}
