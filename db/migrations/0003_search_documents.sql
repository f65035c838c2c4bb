CREATE TABLE `message_text` (
	`message_id` integer PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`sender` text NOT NULL,
	`recipients` text NOT NULL,
	`body` text NOT NULL,
	`attachments` text NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `saved_searches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`sort` text DEFAULT 'date' NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_searches_name_unique` ON `saved_searches` (`name`);--> statement-breakpoint
CREATE TABLE `search_docs` (
	`key` integer PRIMARY KEY NOT NULL,
	`head_id` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_docs_head_id_unique` ON `search_docs` (`head_id`);--> statement-breakpoint
ALTER TABLE `attachments` ADD `text_status` text;--> statement-breakpoint
ALTER TABLE `attachments` ADD `text_error` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `search_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_search_stale` ON `messages` (`id`) WHERE search_version < 2;--> statement-breakpoint
-- Search moves from one FTS5 row per message (0002) to one contentless FTS5 document per list row
-- (a PEC thread or a message outside any thread), built from message_text by db/search.ts. The
-- text already indexed is kept; the documents are built by the background back-fill.
INSERT INTO `message_text` (`message_id`, `subject`, `sender`, `recipients`, `body`, `attachments`)
  SELECT f.rowid, f.subject, f.sender, f.recipients, f.body, f.attachments FROM `message_fts` f
  WHERE f.rowid IN (SELECT id FROM `messages`);
--> statement-breakpoint
-- Messages without attachments have nothing new to read; the others get attachment text.
UPDATE `messages` SET `search_version` = 2 WHERE `has_attachments` = 0 AND `id` IN (SELECT message_id FROM `message_text`);
--> statement-breakpoint
DROP TABLE `message_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_fts` USING fts5(
  `subject`, `sender`, `recipients`, `body`, `attachments`, `facets`,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
-- Relevance: a word in the subject weighs most, then sender and recipients, attachments, body.
INSERT INTO `search_fts` (`search_fts`, `rank`) VALUES ('rank', 'bm25(10.0, 5.0, 5.0, 1.0, 3.0, 0.0)');
