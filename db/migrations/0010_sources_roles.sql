ALTER TABLE `fetch_runs` ADD `source_index` integer;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `source_role` text;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `source_label` text;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `source_updated_at` integer;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `stale` text;--> statement-breakpoint
ALTER TABLE `series` ADD `last_read_at` integer;--> statement-breakpoint
ALTER TABLE `series` ADD `last_read_source` text;