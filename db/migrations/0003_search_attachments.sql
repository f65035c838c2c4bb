CREATE TABLE `saved_searches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`sort` text DEFAULT 'date' NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_searches_name_unique` ON `saved_searches` (`name`);--> statement-breakpoint
ALTER TABLE `attachments` ADD `text_status` text;--> statement-breakpoint
ALTER TABLE `attachments` ADD `text_error` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `search_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_search_stale` ON `messages` (`id`) WHERE search_version < 2;--> statement-breakpoint
-- Messages indexed before attachment text existed are current unless they have attachments; the
-- others are re-indexed by the background back-fill (main/archive: backfillSearchIndex).
UPDATE `messages` SET `search_version` = 2 WHERE `has_attachments` = 0 AND `id` IN (SELECT rowid FROM `message_fts`);
