CREATE TABLE `series_answers` (
	`series_id` text PRIMARY KEY NOT NULL,
	`observations_gz` blob NOT NULL,
	`csv_gz` blob NOT NULL,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- An answer holds while its stored evaluation does: it goes when that row goes.
CREATE TRIGGER `series_grids_drop_answer` AFTER DELETE ON `series_grids` BEGIN
	DELETE FROM `series_answers` WHERE `series_id` = OLD.`series_id`;
END;--> statement-breakpoint
-- The answer names the series' unit: a new unit drops the stored copy like a new title does.
DROP TRIGGER `series_stale_grid`;--> statement-breakpoint
CREATE TRIGGER `series_stale_grid` AFTER UPDATE OF `title`, `unit`, `frequency`, `release_rule`, `grid_from`, `record_from`, `checked_at`, `paused` ON `series` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
-- No answer is stored yet: every series is due, so the first status check writes them all.
UPDATE `series` SET `next_check_at` = NULL;
