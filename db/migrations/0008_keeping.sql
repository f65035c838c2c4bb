CREATE TABLE `emptying_items` (
	`run_id` integer NOT NULL,
	`mailbox_id` integer NOT NULL,
	`uid` integer NOT NULL,
	`message_id` integer NOT NULL,
	`object_hash` text NOT NULL,
	`size` integer NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`done_at` text,
	PRIMARY KEY(`run_id`, `mailbox_id`, `uid`),
	FOREIGN KEY (`run_id`) REFERENCES `emptying_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `emptying_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`policy` text NOT NULL,
	`state` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`actor` text NOT NULL,
	`actor_name` text NOT NULL,
	`origin` text NOT NULL,
	`candidates` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`error` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `emptying_runs_account` ON `emptying_runs` (`account_id`,`state`);--> statement-breakpoint
CREATE TABLE `keep_policies` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`mode` text DEFAULT 'older-than' NOT NULL,
	`older_than_days` integer,
	`until_percent` integer,
	`folder` text,
	`action` text DEFAULT 'delete' NOT NULL,
	`move_to` text,
	`include_unhandled` integer DEFAULT false NOT NULL,
	`alert_level` integer DEFAULT 0 NOT NULL,
	`last_auto_run_at` text,
	`updated_at` text,
	`updated_by` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `quota_samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`at` text NOT NULL,
	`used_bytes` integer NOT NULL,
	`limit_bytes` integer NOT NULL,
	`messages_used` integer,
	`messages_limit` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quota_samples_account_at` ON `quota_samples` (`account_id`,`at`);--> statement-breakpoint
ALTER TABLE `mailboxes` ADD `local` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `message_locations` ADD `removed_at` text;