/**
 * Mass sending's SQL (main/send/campaigns.ts): campaigns, their recipients with the state of each
 * one's PEC (from its outbox row and its thread), and the message templates an office reuses.
 */
import { asc, eq } from 'drizzle-orm';
import { type Db, prepared } from './database.ts';
import { campaignRecipients, campaigns, sendTemplates } from './schema.ts';

export type CampaignRow = typeof campaigns.$inferSelect;
export type NewCampaign = Omit<typeof campaigns.$inferInsert, 'id'>;
export type SendTemplate = typeof sendTemplates.$inferSelect;

export function insertCampaign(db: Db, row: NewCampaign): number {
  return db.insert(campaigns).values(row).returning({ id: campaigns.id }).get().id;
}

export function getCampaign(db: Db, id: number): CampaignRow | undefined {
  return db.select().from(campaigns).where(eq(campaigns.id, id)).get();
}

export function setCampaignState(db: Db, id: number, state: CampaignRow['state']): boolean {
  return db.update(campaigns).set({ state }).where(eq(campaigns.id, id)).run().changes > 0;
}

export function insertCampaignRecipient(
  db: Db,
  r: { campaignId: number; row: number; address: string; fields: string; outboxId: number | null },
): void {
  db.insert(campaignRecipients).values(r).run();
}

export function setRecipientOutbox(db: Db, campaignId: number, row: number, outboxId: number): void {
  prepared(db, 'UPDATE campaign_recipients SET outbox_id = ? WHERE campaign_id = ? AND row = ?').run(
    outboxId,
    campaignId,
    row,
  );
}

/** A recipient with its PEC's outbox row and thread, as the campaign view and export read it. */
export interface CampaignRecipientRow {
  row: number;
  address: string;
  fields: string;
  outboxId: number | null;
  outboxState: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
  messageId: string | null;
  sentAt: string | null;
  /** The sent copy in the archive, to open it with its receipts. */
  archivedMessageId: number | null;
  threadState: string | null;
  acceptedAt: string | null;
  /** This recipient's own delivery (thread_recipients), from its receipts. */
  recipientState: string | null;
  recipientStateAt: string | null;
  recipientError: string | null;
  recipientErrorDetail: string | null;
}

export function campaignRecipientsOf(db: Db, campaignId: number): CampaignRecipientRow[] {
  return prepared(
    db,
    `SELECT r.row, r.address, r.fields, r.outbox_id AS outboxId, o.state AS outboxState,
            o.last_error_code AS lastErrorCode, o.last_error AS lastError, o.message_id AS messageId,
            o.sent_at AS sentAt, o.archived_message_id AS archivedMessageId, t.state AS threadState, t.accepted_at AS acceptedAt,
            tr.state AS recipientState, tr.state_at AS recipientStateAt, tr.error AS recipientError,
            tr.error_detail AS recipientErrorDetail
       FROM campaign_recipients r
       LEFT JOIN outbox o ON o.id = r.outbox_id
       LEFT JOIN threads t ON t.msgid = o.message_id
       LEFT JOIN thread_recipients tr ON tr.thread_id = t.id AND tr.address = lower(r.address)
      WHERE r.campaign_id = ? ORDER BY r.row`,
  ).all(campaignId) as CampaignRecipientRow[];
}

/** Campaigns newest first; `accounts` as in listOutbox (null: all of them). */
export function listCampaigns(db: Db, accounts: number[] | null): (CampaignRow & { total: number })[] {
  return prepared(
    db,
    `SELECT c.id, c.account_id AS accountId, c.from_address AS fromAddress, c.name,
            c.subject_template AS subjectTemplate, c.body_template AS bodyTemplate,
            c.receipt_type AS receiptType, c.attach_column AS attachColumn, c.columns, c.state,
            c.created_at AS createdAt, c.created_by AS createdBy,
            (SELECT count(*) FROM campaign_recipients r WHERE r.campaign_id = c.id) AS total
       FROM campaigns c
      WHERE (? IS NULL OR c.account_id IN (SELECT value FROM json_each(?)))
      ORDER BY c.id DESC`,
  ).all(accounts ? 1 : null, JSON.stringify(accounts ?? [])) as (CampaignRow & { total: number })[];
}

export function listTemplates(db: Db): SendTemplate[] {
  return db.select().from(sendTemplates).orderBy(asc(sendTemplates.name)).all();
}

/** Saves under a name; an existing name is replaced. */
export function saveTemplate(
  db: Db,
  t: { name: string; subject: string; body: string; receiptType: SendTemplate['receiptType'] },
): SendTemplate {
  const updatedAt = new Date().toISOString();
  return db
    .insert(sendTemplates)
    .values({ ...t, updatedAt })
    .onConflictDoUpdate({
      target: sendTemplates.name,
      set: { subject: t.subject, body: t.body, receiptType: t.receiptType, updatedAt },
    })
    .returning()
    .get();
}

export function removeTemplate(db: Db, id: number): boolean {
  return db.delete(sendTemplates).where(eq(sendTemplates.id, id)).run().changes > 0;
}

/** The outbox rows of a campaign (every PEC it sent or will send). */
export function campaignOutboxIds(db: Db, campaignId: number): number[] {
  return prepared(db, 'SELECT id FROM outbox WHERE campaign_id = ? ORDER BY id')
    .pluck()
    .all(campaignId) as number[];
}
