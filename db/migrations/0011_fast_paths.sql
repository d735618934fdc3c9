ALTER TABLE `series` ADD `values_changed_at` integer;--> statement-breakpoint
-- The stored read model is made again with every small column before the large ones: a column
-- after the evaluation (stamp, added by 0006) could only be read by walking the evaluation's
-- overflow pages, on every read of the API. Both tables are copies the status check writes, and
-- the read-model stamp changes with this migration, so the first check after it fills them again.
DROP TABLE `series_answers`;--> statement-breakpoint
DROP TABLE `series_grids`;--> statement-breakpoint
CREATE TABLE `series_grids` (
	`series_id` text PRIMARY KEY NOT NULL,
	`stamp` text DEFAULT '' NOT NULL,
	`evaluated_at` integer NOT NULL,
	`valid_until` integer NOT NULL,
	`changed_at` integer NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`evaluation` text NOT NULL,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);--> statement-breakpoint
CREATE INDEX `series_grids_changed_idx` ON `series_grids` (`changed_at`);--> statement-breakpoint
CREATE TABLE `series_answers` (
	`series_id` text PRIMARY KEY NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`observations_gz` blob NOT NULL,
	`csv_gz` blob NOT NULL,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);--> statement-breakpoint
CREATE TRIGGER `series_grids_drop_answer` AFTER DELETE ON `series_grids` BEGIN
	DELETE FROM `series_answers` WHERE `series_id` = OLD.`series_id`;
END;--> statement-breakpoint
CREATE TRIGGER `page_generation_series_grids_insert` AFTER INSERT ON `series_grids` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `page_generation_series_grids_update` AFTER UPDATE ON `series_grids` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `page_generation_series_grids_delete` AFTER DELETE ON `series_grids` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
UPDATE `series` SET `next_check_at` = NULL;--> statement-breakpoint
-- Values: record-values.ts sets values_changed_at once per write that changed anything, and
-- series_changed drops the read model from there, instead of a trigger firing for every row a
-- bulk import inserts. A deleted observation (lacuna never deletes one) still drops it directly.
DROP TRIGGER `observations_changed_insert`;--> statement-breakpoint
DROP TRIGGER `observations_changed_update`;--> statement-breakpoint
DROP TRIGGER `series_changed`;--> statement-breakpoint
CREATE TRIGGER `series_changed` AFTER UPDATE OF `title`, `unit`, `frequency`, `release_rule`, `grid_from`, `record_from`, `checked_at`, `bundle_checked_at`, `paused`, `retracted_at`, `values_changed_at` ON `series` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`id`;
END;
