-- Full text of every message, written in the same transaction as the message (main/archive):
-- subject, sender (the certified one, never posta-certificata@), recipients, the original's body
-- and the attachment names. rowid = messages.id. drizzle-kit does not model FTS5 tables.
CREATE VIRTUAL TABLE `message_fts` USING fts5(
  `subject`, `sender`, `recipients`, `body`, `attachments`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
