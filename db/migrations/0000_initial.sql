CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`display_name` text,
	`preset` text,
	`imap_host` text NOT NULL,
	`imap_port` integer NOT NULL,
	`imap_security` text NOT NULL,
	`imap_user` text NOT NULL,
	`ca_file` text,
	`smtp_host` text,
	`smtp_port` integer,
	`smtp_security` text,
	`created_at` text NOT NULL,
	`sync_state` text DEFAULT 'idle' NOT NULL,
	`last_error_code` text,
	`last_error` text,
	`last_sync_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_email_unique` ON `accounts` (`email`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`filename` text,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`nested` text,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attachments_message` ON `attachments` (`message_id`);--> statement-breakpoint
CREATE TABLE `mailboxes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`path` text NOT NULL,
	`name` text NOT NULL,
	`special_use` text,
	`uid_validity` text,
	`last_uid` integer DEFAULT 0 NOT NULL,
	`highest_modseq` text,
	`message_count` integer DEFAULT 0 NOT NULL,
	`last_synced_at` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mailboxes_account_path` ON `mailboxes` (`account_id`,`path`);--> statement-breakpoint
CREATE TABLE `message_locations` (
	`mailbox_id` integer NOT NULL,
	`uid` integer NOT NULL,
	`message_id` integer NOT NULL,
	`flags` text DEFAULT '[]' NOT NULL,
	`modseq` text,
	`internal_date` text,
	PRIMARY KEY(`mailbox_id`, `uid`),
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `locations_message` ON `message_locations` (`message_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_hash` text NOT NULL,
	`size` integer NOT NULL,
	`kind` text NOT NULL,
	`basis` text NOT NULL,
	`delivery_type` text,
	`virus` integer DEFAULT false NOT NULL,
	`subject` text,
	`from_address` text,
	`from_name` text,
	`date` text,
	`message_id` text,
	`reference_message_id` text,
	`identificativo` text,
	`pec_msgid` text,
	`certified_sender` text,
	`cert_date` text,
	`cert_provider` text,
	`cert_error` text,
	`cert_error_detail` text,
	`delivery_address` text,
	`cert_recipients` text DEFAULT '[]' NOT NULL,
	`original_subject` text,
	`original_from` text,
	`original_date` text,
	`has_attachments` integer DEFAULT false NOT NULL,
	`signature_verdict` text NOT NULL,
	`signature_reason` text,
	`signer` text,
	`signing_time` text,
	`anomalies` text DEFAULT '[]' NOT NULL,
	`parse_error` text,
	`thread_id` integer,
	`archived_at` text NOT NULL,
	`seq` integer NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_object_hash` ON `messages` (`object_hash`);--> statement-breakpoint
CREATE INDEX `messages_thread` ON `messages` (`thread_id`);--> statement-breakpoint
CREATE INDEX `messages_date` ON `messages` (`date`);--> statement-breakpoint
CREATE INDEX `messages_kind` ON `messages` (`kind`);--> statement-breakpoint
CREATE INDEX `messages_pec_msgid` ON `messages` (`pec_msgid`);--> statement-breakpoint
CREATE INDEX `messages_message_id` ON `messages` (`message_id`);--> statement-breakpoint
CREATE INDEX `messages_identificativo` ON `messages` (`identificativo`);--> statement-breakpoint
CREATE INDEX `messages_seq` ON `messages` (`seq`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `thread_recipients` (
	`thread_id` integer NOT NULL,
	`address` text NOT NULL,
	`type` text NOT NULL,
	`state` text NOT NULL,
	`state_at` text,
	`receipt_message_id` integer,
	`provider` text,
	`error` text,
	`error_detail` text,
	PRIMARY KEY(`thread_id`, `address`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`receipt_message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `threads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`msgid` text NOT NULL,
	`identificativo` text,
	`subject` text,
	`sender` text,
	`direction` text NOT NULL,
	`state` text NOT NULL,
	`accepted_at` text,
	`last_activity_at` text,
	`recipient_count` integer DEFAULT 0 NOT NULL,
	`delivered_count` integer DEFAULT 0 NOT NULL,
	`failed_count` integer DEFAULT 0 NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `threads_msgid` ON `threads` (`msgid`);--> statement-breakpoint
CREATE INDEX `threads_identificativo` ON `threads` (`identificativo`);