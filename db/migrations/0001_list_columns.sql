ALTER TABLE `messages` ADD `sort_date` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_sort_date` ON `messages` (`sort_date`);--> statement-breakpoint
ALTER TABLE `threads` ADD `head_message_id` integer;--> statement-breakpoint
UPDATE `messages` SET `sort_date` = coalesce(`cert_date`, `original_date`, `date`, `archived_at`);--> statement-breakpoint
UPDATE `threads` SET `head_message_id` = (SELECT `id` FROM `messages` `m` WHERE `m`.`thread_id` = `threads`.`id` ORDER BY CASE `m`.`kind` WHEN 'ordinary' THEN 0 WHEN 'posta-certificata' THEN 1 WHEN 'errore' THEN 1 WHEN 'accettazione' THEN 2 ELSE 3 END, `m`.`id` LIMIT 1);
