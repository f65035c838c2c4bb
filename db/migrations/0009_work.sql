CREATE TABLE `approvals` (
	`outbox_id` integer PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_by_name` text NOT NULL,
	`requested_at` text NOT NULL,
	`decided_by` text,
	`decided_by_name` text,
	`decided_at` text,
	`comment` text,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `approvals_state` ON `approvals` (`state`);--> statement-breakpoint
CREATE TABLE `deadline_terms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`label` text NOT NULL,
	`sender_pattern` text NOT NULL,
	`subject_words` text,
	`days` integer NOT NULL,
	`feriale` integer DEFAULT false NOT NULL,
	`civil` integer DEFAULT false NOT NULL,
	`note` text,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `routing_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`definition` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`color` text NOT NULL,
	`category` text,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_key_unique` ON `tags` (`name_key`);--> statement-breakpoint
CREATE TABLE `work_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text NOT NULL,
	`action` text NOT NULL,
	`from_state` text,
	`to_state` text,
	`comment` text,
	`details` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `work_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `work_events_item` ON `work_events` (`item_id`,`at`);--> statement-breakpoint
CREATE TABLE `work_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`row_key` text NOT NULL,
	`thread_id` integer,
	`message_id` integer,
	`state` text,
	`assignee_user_id` integer,
	`assignee_office_id` integer,
	`claimed_by` integer,
	`claimed_by_name` text,
	`claimed_at` text,
	`done_at` text,
	`done_by_name` text,
	`priority` text,
	`due_date` text,
	`due_source` text,
	`due_note` text,
	`reminded_for` integer,
	`escalated_at` text,
	`arrived_at` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assignee_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`claimed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `work_items_row_key_unique` ON `work_items` (`row_key`);--> statement-breakpoint
CREATE INDEX `work_items_state` ON `work_items` (`state`);--> statement-breakpoint
CREATE INDEX `work_items_due` ON `work_items` (`due_date`);--> statement-breakpoint
CREATE INDEX `work_items_assignee_user` ON `work_items` (`assignee_user_id`);--> statement-breakpoint
CREATE INDEX `work_items_assignee_office` ON `work_items` (`assignee_office_id`);--> statement-breakpoint
CREATE INDEX `work_items_thread` ON `work_items` (`thread_id`);--> statement-breakpoint
CREATE INDEX `work_items_message` ON `work_items` (`message_id`);--> statement-breakpoint
CREATE TABLE `work_tags` (
	`item_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	`added_at` text NOT NULL,
	`added_by` text NOT NULL,
	PRIMARY KEY(`item_id`, `tag_id`),
	FOREIGN KEY (`item_id`) REFERENCES `work_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `work_tags_tag` ON `work_tags` (`tag_id`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `require_approval` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `work_since` text;--> statement-breakpoint
-- Archives made before work states: "Da gestire" was the unread incoming PEC. Those stay to handle
-- (explicit 'new' items); every other PEC already archived is history, not work (work starts now).
INSERT INTO `work_items` (`row_key`, `thread_id`, `message_id`, `state`, `arrived_at`, `created_at`, `updated_at`)
SELECT CASE WHEN m.thread_id IS NULL THEN 'm:' || m.id ELSE 't:' || m.thread_id END,
       m.thread_id, CASE WHEN m.thread_id IS NULL THEN m.id END, 'new', m.sort_date,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM `messages` m LEFT JOIN `threads` t ON t.id = m.thread_id
 WHERE (m.thread_id IS NULL OR t.head_message_id = m.id)
   AND m.kind IN ('posta-certificata', 'errore') AND coalesce(t.direction, 'received') = 'received'
   AND NOT EXISTS (SELECT 1 FROM `message_locations` l WHERE l.message_id = m.id AND l.flags LIKE '%\Seen%');
--> statement-breakpoint
UPDATE `accounts` SET `work_since` = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
--> statement-breakpoint
-- The terms proposed from the delivery time (deadlines-sdi.md A5): always "proposta, da verificare".
INSERT INTO `deadline_terms` (`label`, `sender_pattern`, `subject_words`, `days`, `feriale`, `civil`, `note`, `position`) VALUES
  ('Agenzia delle Entrate: ricorso', '*@pce.agenziaentrate.it', NULL, 60, 1, 0, 'Ricorso entro 60 giorni dalla notifica (d.lgs. 546/1992 art. 21); sospensione feriale di agosto. Verificare il tipo di atto: per lo schema di atto il termine è quello indicato nell''atto.', 1),
  ('Agenzia delle Entrate-Riscossione: cartella', '*@pec.agenziariscossione.gov.it', NULL, 60, 0, 0, 'Pagamento entro 60 giorni dalla notifica (DPR 602/1973 art. 25); il ricorso dipende dal credito: verificare l''atto. Intimazione di pagamento: 5 giorni.', 2),
  ('INPS: avviso di addebito', '*@postacert.inps.gov.it', NULL, 40, 0, 0, 'Opposizione nel merito entro 40 giorni (d.lgs. 46/1999 art. 24); pagamento entro 60 giorni.', 3),
  ('Notifica di un avvocato (L. 53/1994)', '*', 'notificazione legge 53 1994', 40, 1, 1, 'Decreto ingiuntivo: opposizione entro 40 giorni (art. 641 c.p.c.), salvo il termine fissato dal giudice: leggere l''atto. Per la citazione conta la data dell''udienza.', 4);
