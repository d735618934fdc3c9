CREATE TABLE `calendar_reads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`series_id` text NOT NULL,
	`kind` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`outcome` text,
	`http_status` integer,
	`error` text,
	`error_code` text,
	`url` text,
	`content_hash` text,
	`raw_hashes` text DEFAULT '[]' NOT NULL,
	`changed` integer DEFAULT 0 NOT NULL,
	`trigger` text DEFAULT 'schedule' NOT NULL,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `calendar_reads_series_idx` ON `calendar_reads` (`series_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `promises` (
	`id` integer PRIMARY KEY NOT NULL,
	`series_id` text NOT NULL,
	`calendar` text NOT NULL,
	`source` text NOT NULL,
	`entry` text NOT NULL,
	`period` text NOT NULL,
	`due_at` integer,
	`due_local` text,
	`state` text NOT NULL,
	`reason` text,
	`seen_at` integer NOT NULL,
	`superseded_at` integer,
	`read_id` integer,
	`raw_hash` text,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `promises_series_idx` ON `promises` (`series_id`,`period`);--> statement-breakpoint
CREATE UNIQUE INDEX `promises_current_uq` ON `promises` (`series_id`,`calendar`,`entry`) WHERE superseded_at IS NULL;--> statement-breakpoint
ALTER TABLE `series` ADD `calendar` text;--> statement-breakpoint
-- A promise is a fact of its series: a new or changed version drops the stored evaluation and makes
-- the series due, like an event (the one invalidation path).
CREATE TRIGGER `promises_changed_insert` AFTER INSERT ON `promises` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`series_id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`series_id`;
END;--> statement-breakpoint
CREATE TRIGGER `promises_changed_update` AFTER UPDATE ON `promises` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` IN (OLD.`series_id`, NEW.`series_id`);
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` IN (OLD.`series_id`, NEW.`series_id`);
END;--> statement-breakpoint
CREATE TRIGGER `promises_changed_delete` AFTER DELETE ON `promises` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = OLD.`series_id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = OLD.`series_id`;
END;--> statement-breakpoint
-- The series page lists the calendar's reads: a read moves the page cache's counter.
CREATE TRIGGER `page_generation_calendar_reads_insert` AFTER INSERT ON `calendar_reads` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_calendar_reads_update` AFTER UPDATE ON `calendar_reads` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
