ALTER TABLE `publishers` ADD `country` text;--> statement-breakpoint
ALTER TABLE `series` ADD `country` text;--> statement-breakpoint
CREATE INDEX `series_country_idx` ON `series` (`country`);--> statement-breakpoint
-- The export and the API name each series' country: a new country drops the stored copy like a new title does.
DROP TRIGGER `series_changed`;--> statement-breakpoint
CREATE TRIGGER `series_changed` AFTER UPDATE OF `title`, `unit`, `frequency`, `release_rule`, `grid_from`, `record_from`, `checked_at`, `bundle_checked_at`, `paused`, `retracted_at`, `values_changed_at`, `country` ON `series` BEGIN
	DELETE FROM `series_grids` WHERE `series_id` = NEW.`id`;
	UPDATE `series` SET `next_check_at` = NULL WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
-- Countries come with the catalogue: it is loaded again at the next start to fill them.
DELETE FROM `catalogue_loads`;
