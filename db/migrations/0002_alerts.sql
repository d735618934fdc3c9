PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_flips` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text DEFAULT 'status' NOT NULL,
	`series_id` text,
	`publisher_id` text,
	`alert` integer DEFAULT false NOT NULL,
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
INSERT INTO `__new_flips`("id", "series_id", "at", "from_status", "to_status", "reason", "resumed", "break_at", "evidence") SELECT "id", "series_id", "at", "from_status", "to_status", "reason", "resumed", "break_at", "evidence" FROM `flips`;--> statement-breakpoint
DROP TABLE `flips`;--> statement-breakpoint
ALTER TABLE `__new_flips` RENAME TO `flips`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `flips_series_idx` ON `flips` (`series_id`,`at`);--> statement-breakpoint
CREATE INDEX `flips_at_idx` ON `flips` (`at`);--> statement-breakpoint
CREATE INDEX `flips_alert_idx` ON `flips` (`alert`,`at`);--> statement-breakpoint
ALTER TABLE `channels` ADD `last_sent_at` integer;--> statement-breakpoint
ALTER TABLE `channels` ADD `digest` text;--> statement-breakpoint
ALTER TABLE `channels` ADD `origin` text DEFAULT 'cli' NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `created_at` integer DEFAULT 0 NOT NULL;