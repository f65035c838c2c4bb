CREATE TABLE `flag_changes` (
	`mailbox_id` integer NOT NULL,
	`uid` integer NOT NULL,
	`flag` text NOT NULL,
	`value` integer NOT NULL,
	`changed_at` text NOT NULL,
	PRIMARY KEY(`mailbox_id`, `uid`, `flag`),
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `ca_pem` text;--> statement-breakpoint
ALTER TABLE `accounts` ADD `write_seen` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `recipient_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `warning_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `pending_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `no_proof_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `unverified_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `acceptance_missing` integer DEFAULT false NOT NULL;