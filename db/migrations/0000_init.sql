CREATE TABLE `catalogue_loads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hash` text NOT NULL,
	`loaded_at` integer NOT NULL,
	`series_count` integer NOT NULL,
	`observation_count` integer NOT NULL,
	`event_count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`config` text DEFAULT '{}' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`last_error` text,
	`last_error_at` integer
);
--> statement-breakpoint
CREATE TABLE `citations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`position` integer NOT NULL,
	`url` text NOT NULL,
	`title` text NOT NULL,
	`publisher` text NOT NULL,
	`date` text,
	`quote` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `citations_event_idx` ON `citations` (`event_id`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`flip_id` integer NOT NULL,
	`channel_id` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`sent_at` integer,
	FOREIGN KEY (`flip_id`) REFERENCES `flips`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_flip_channel_uq` ON `deliveries` (`flip_id`,`channel_id`);--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`series_id` text NOT NULL,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`date_approximate` integer DEFAULT false NOT NULL,
	`period_from` text,
	`period_to` text,
	`title` text NOT NULL,
	`description` text,
	`evidence` text NOT NULL,
	`confidence` text NOT NULL,
	`origin` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_series_idx` ON `events` (`series_id`,`date`);--> statement-breakpoint
CREATE TABLE `fetch_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`series_id` text,
	`source` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`outcome` text,
	`http_status` integer,
	`error` text,
	`bytes` integer,
	`content_hash` text,
	`added` integer DEFAULT 0 NOT NULL,
	`revised` integer DEFAULT 0 NOT NULL,
	`withdrawn` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `fetch_runs_series_idx` ON `fetch_runs` (`series_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `flips` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`series_id` text NOT NULL,
	`at` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`reason` text NOT NULL,
	`resumed` integer DEFAULT false NOT NULL,
	`break_at` text,
	`evidence` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `flips_series_idx` ON `flips` (`series_id`,`at`);--> statement-breakpoint
CREATE INDEX `flips_at_idx` ON `flips` (`at`);--> statement-breakpoint
CREATE TABLE `observations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
CREATE UNIQUE INDEX `observations_current_uq` ON `observations` (`series_id`,`period`) WHERE superseded_at IS NULL;--> statement-breakpoint
CREATE INDEX `observations_series_period_idx` ON `observations` (`series_id`,`period`);--> statement-breakpoint
CREATE TABLE `publishers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_local` text,
	`url` text,
	`time_zone` text NOT NULL,
	`health` text DEFAULT 'ok' NOT NULL,
	`last_error` text,
	`last_error_at` integer
);
--> statement-breakpoint
CREATE TABLE `raw_answers` (
	`hash` text PRIMARY KEY NOT NULL,
	`content_type` text,
	`encoding` text DEFAULT 'gzip' NOT NULL,
	`size` integer NOT NULL,
	`body` blob NOT NULL,
	`first_fetch_run_id` integer
);
--> statement-breakpoint
CREATE TABLE `series` (
	`id` text PRIMARY KEY NOT NULL,
	`publisher_id` text NOT NULL,
	`title` text NOT NULL,
	`title_local` text,
	`description` text,
	`unit` text NOT NULL,
	`frequency` text NOT NULL,
	`topics` text DEFAULT '[]' NOT NULL,
	`source` text,
	`release_rule` text NOT NULL,
	`grid_from` text NOT NULL,
	`record_from` text NOT NULL,
	`successor_id` text,
	`proxies` text DEFAULT '[]' NOT NULL,
	`notes` text,
	`catalogue_file` text,
	`checked_at` integer,
	`paused` integer DEFAULT false NOT NULL,
	`snoozed_until` integer,
	`status` text DEFAULT 'new' NOT NULL,
	`status_reason` text,
	`status_changed_at` integer,
	`last_disclosed` text,
	`dark_since` text,
	`dark_since_due_at` integer,
	`next_check_at` integer,
	`evaluated_at` integer,
	FOREIGN KEY (`publisher_id`) REFERENCES `publishers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `series_next_check_idx` ON `series` (`next_check_at`);--> statement-breakpoint
CREATE INDEX `series_status_idx` ON `series` (`status`);--> statement-breakpoint
CREATE INDEX `series_publisher_idx` ON `series` (`publisher_id`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` text NOT NULL,
	`series_id` text,
	`topic` text,
	`publisher_id` text,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `subscriptions_channel_idx` ON `subscriptions` (`channel_id`);