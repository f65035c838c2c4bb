CREATE TABLE `campaign_recipients` (
	`campaign_id` integer NOT NULL,
	`row` integer NOT NULL,
	`address` text NOT NULL,
	`fields` text NOT NULL,
	`outbox_id` integer,
	PRIMARY KEY(`campaign_id`, `row`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `campaign_recipients_outbox` ON `campaign_recipients` (`outbox_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer,
	`from_address` text NOT NULL,
	`name` text NOT NULL,
	`subject_template` text NOT NULL,
	`body_template` text NOT NULL,
	`receipt_type` text NOT NULL,
	`attach_column` text,
	`columns` text DEFAULT '[]' NOT NULL,
	`state` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer,
	`from_address` text NOT NULL,
	`message_id` text NOT NULL,
	`object_hash` text NOT NULL,
	`size` integer NOT NULL,
	`subject` text,
	`recipients` text NOT NULL,
	`receipt_type` text NOT NULL,
	`state` text NOT NULL,
	`phase` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`attempt_started_at` text,
	`next_attempt_at` text,
	`lease_owner` text,
	`lease_until` text,
	`last_error_code` text,
	`last_error` text,
	`sent_at` text,
	`sent_by` text,
	`archived_message_id` integer,
	`sent_copy` text DEFAULT 'pending' NOT NULL,
	`campaign_id` integer,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`archived_message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message_id` ON `outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `outbox_state` ON `outbox` (`state`);--> statement-breakpoint
CREATE INDEX `outbox_campaign` ON `outbox` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `outbox_account_started` ON `outbox` (`account_id`,`attempt_started_at`);--> statement-breakpoint
CREATE TABLE `send_templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`receipt_type` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `send_templates_name_unique` ON `send_templates` (`name`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `send_per_minute` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `max_recipients` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `max_total_bytes` integer;