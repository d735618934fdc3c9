ALTER TABLE `events` RENAME COLUMN "evidence" TO "evidence_kind";--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `error_code` text;--> statement-breakpoint
ALTER TABLE `flips` ADD `period` text;--> statement-breakpoint
ALTER TABLE `flips` ADD `due_at` integer;--> statement-breakpoint
ALTER TABLE `flips` ADD `event_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `flips` ADD `snoozed` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- The flip's JSON "evidence" becomes columns of its own.
UPDATE `flips` SET
	`period` = json_extract(`evidence`, '$.period'),
	`due_at` = json_extract(`evidence`, '$.dueAt'),
	`event_ids` = coalesce(json_extract(`evidence`, '$.eventIds'), '[]'),
	`snoozed` = coalesce(json_extract(`evidence`, '$.snoozed'), 0)
WHERE json_valid(`evidence`);--> statement-breakpoint
ALTER TABLE `flips` DROP COLUMN `evidence`;--> statement-breakpoint
ALTER TABLE `publishers` ADD `health_changed_at` integer;--> statement-breakpoint
ALTER TABLE `series` ADD `bundle_checked_at` integer;--> statement-breakpoint
ALTER TABLE `series` ADD `retracted_at` integer;--> statement-breakpoint
ALTER TABLE `series` ADD `source_state` text DEFAULT 'ok' NOT NULL;--> statement-breakpoint
ALTER TABLE `series` ADD `source_error` text;--> statement-breakpoint
ALTER TABLE `series` ADD `source_error_at` integer;--> statement-breakpoint
ALTER TABLE `series` ADD `check_error` text;--> statement-breakpoint
ALTER TABLE `series` ADD `check_failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `series_grids` ADD `stamp` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `summaries` ADD `stamp` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- One invalidation path: any change to a series' facts (a value, an event, a rule, a check, a
-- pause, leaving the catalogue) drops its stored read model (the answers go with it) and makes it
-- due for a status check. Values are checked against an existing copy first, so that an ingest
-- of many values pays one lookup per row and one write per series.
DROP TRIGGER `events_stale_grid_insert`;--> statement-breakpoint
DROP TRIGGER `events_stale_grid_update`;--> statement-breakpoint
DROP TRIGGER `events_stale_grid_delete`;--> statement-breakpoint
DROP TRIGGER `series_stale_grid`;--> statement-breakpoint
CREATE TRIGGER `observations_changed_insert` AFTER INSERT ON `observations`
WHEN EXISTS (SELECT 1 FROM `series_grids` WHERE `series_id` = NEW.`series_id`) BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`series_id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`series_id`;
END;--> statement-breakpoint
CREATE TRIGGER `observations_changed_update` AFTER UPDATE OF `value`, `value_text`, `obs_status`, `released_at`, `superseded_at`, `withdrawn_at` ON `observations`
WHEN EXISTS (SELECT 1 FROM `series_grids` WHERE `series_id` = NEW.`series_id`) BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`series_id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`series_id`;
END;--> statement-breakpoint
CREATE TRIGGER `observations_changed_delete` AFTER DELETE ON `observations` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = OLD.`series_id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = OLD.`series_id`;
END;--> statement-breakpoint
CREATE TRIGGER `events_changed_insert` AFTER INSERT ON `events` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`series_id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`series_id`;
END;--> statement-breakpoint
CREATE TRIGGER `events_changed_update` AFTER UPDATE ON `events` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` IN (OLD.`series_id`, NEW.`series_id`);
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` IN (OLD.`series_id`, NEW.`series_id`);
END;--> statement-breakpoint
CREATE TRIGGER `events_changed_delete` AFTER DELETE ON `events` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = OLD.`series_id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = OLD.`series_id`;
END;--> statement-breakpoint
CREATE TRIGGER `series_changed` AFTER UPDATE OF `title`, `unit`, `frequency`, `release_rule`, `grid_from`, `record_from`, `checked_at`, `bundle_checked_at`, `paused`, `retracted_at` ON `series` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
-- Stored copies of an older stamp are recomputed at the first check; the catalogue is loaded again
-- at the next start so that bundle_checked_at is filled.
UPDATE `series` SET `next_check_at` = NULL;--> statement-breakpoint
DELETE FROM `catalogue_loads`;
