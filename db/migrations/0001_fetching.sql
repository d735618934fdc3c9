ALTER TABLE `fetch_runs` ADD `unchanged` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `gaps` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `trigger` text DEFAULT 'schedule' NOT NULL;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `url` text;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `etag` text;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `last_modified` text;--> statement-breakpoint
ALTER TABLE `fetch_runs` ADD `raw_hashes` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `series` ADD `next_fetch_at` integer;--> statement-breakpoint
ALTER TABLE `series` ADD `fetch_failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `series_next_fetch_idx` ON `series` (`next_fetch_at`);