CREATE TABLE `series_grids` (
	`series_id` text PRIMARY KEY NOT NULL,
	`evaluated_at` integer NOT NULL,
	`valid_until` integer NOT NULL,
	`changed_at` integer NOT NULL,
	`evaluation` text NOT NULL,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `series_grids_changed_idx` ON `series_grids` (`changed_at`);--> statement-breakpoint
CREATE TABLE `summaries` (
	`key` text PRIMARY KEY NOT NULL,
	`computed_at` integer NOT NULL,
	`valid_until` integer,
	`value` text NOT NULL
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_observations` (
	`id` integer PRIMARY KEY NOT NULL,
	`series_id` text NOT NULL,
	`period` text NOT NULL,
	`value` real,
	`value_text` text NOT NULL,
	`obs_status` text,
	`first_seen_at` integer NOT NULL,
	`released_at` integer,
	`origin` text NOT NULL,
	`provenance` text,
	`fetch_run_id` integer,
	`superseded_at` integer,
	`withdrawn_at` integer,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_observations`("id", "series_id", "period", "value", "value_text", "obs_status", "first_seen_at", "released_at", "origin", "provenance", "fetch_run_id", "superseded_at", "withdrawn_at") SELECT "id", "series_id", "period", "value", "value_text", "obs_status", "first_seen_at", "released_at", "origin", "provenance", "fetch_run_id", "superseded_at", "withdrawn_at" FROM `observations`;--> statement-breakpoint
DROP TABLE `observations`;--> statement-breakpoint
ALTER TABLE `__new_observations` RENAME TO `observations`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `observations_current_uq` ON `observations` (`series_id`,`period`) WHERE superseded_at IS NULL;--> statement-breakpoint
CREATE INDEX `observations_superseded_idx` ON `observations` (`series_id`,`period`) WHERE superseded_at IS NOT NULL;--> statement-breakpoint
-- A stored evaluation holds only while the facts it was computed from stand: any change to a
-- series' events or to the series' own rules drops it and makes the series due for a status check.
-- (Values are recorded in one place, db/record-values.ts, which does the same.)
CREATE TRIGGER `events_stale_grid_insert` AFTER INSERT ON `events` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`series_id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`series_id`;
END;--> statement-breakpoint
CREATE TRIGGER `events_stale_grid_update` AFTER UPDATE ON `events` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` IN (OLD.`series_id`, NEW.`series_id`);
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` IN (OLD.`series_id`, NEW.`series_id`);
END;--> statement-breakpoint
CREATE TRIGGER `events_stale_grid_delete` AFTER DELETE ON `events` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = OLD.`series_id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = OLD.`series_id`;
END;--> statement-breakpoint
CREATE TRIGGER `series_stale_grid` AFTER UPDATE OF `title`, `frequency`, `release_rule`, `grid_from`, `record_from`, `checked_at`, `paused` ON `series` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
-- Nothing is stored yet: every series is due, so the first status check stores them all.
UPDATE `series` SET `next_check_at` = NULL;
