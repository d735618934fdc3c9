CREATE TABLE `calendar_events` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`citations` text NOT NULL
);
