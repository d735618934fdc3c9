-- A counter that any change to what the pages show moves: the web server keeps rendered pages
-- (web/page-cache.ts) while it holds. Observations are not watched row by row (an ingest writes
-- millions): a value that changes a series drops its stored evaluation (series_grids), which is.
CREATE TABLE `page_generation` (`id` integer PRIMARY KEY NOT NULL, `n` integer NOT NULL);
--> statement-breakpoint
INSERT INTO `page_generation` (`id`, `n`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `page_generation_series_grids_insert` AFTER INSERT ON `series_grids` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_series_grids_update` AFTER UPDATE ON `series_grids` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_series_grids_delete` AFTER DELETE ON `series_grids` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_series_insert` AFTER INSERT ON `series` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_series_update` AFTER UPDATE ON `series` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_series_delete` AFTER DELETE ON `series` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_events_insert` AFTER INSERT ON `events` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_events_update` AFTER UPDATE ON `events` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_events_delete` AFTER DELETE ON `events` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_citations_insert` AFTER INSERT ON `citations` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_citations_update` AFTER UPDATE ON `citations` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_citations_delete` AFTER DELETE ON `citations` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_flips_insert` AFTER INSERT ON `flips` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_flips_update` AFTER UPDATE ON `flips` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_flips_delete` AFTER DELETE ON `flips` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_deliveries_insert` AFTER INSERT ON `deliveries` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_deliveries_update` AFTER UPDATE ON `deliveries` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_deliveries_delete` AFTER DELETE ON `deliveries` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_channels_insert` AFTER INSERT ON `channels` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_channels_update` AFTER UPDATE ON `channels` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_channels_delete` AFTER DELETE ON `channels` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_subscriptions_insert` AFTER INSERT ON `subscriptions` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_subscriptions_update` AFTER UPDATE ON `subscriptions` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_subscriptions_delete` AFTER DELETE ON `subscriptions` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_publishers_insert` AFTER INSERT ON `publishers` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_publishers_update` AFTER UPDATE ON `publishers` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_publishers_delete` AFTER DELETE ON `publishers` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_summaries_insert` AFTER INSERT ON `summaries` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_summaries_update` AFTER UPDATE ON `summaries` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_summaries_delete` AFTER DELETE ON `summaries` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_calendar_events_insert` AFTER INSERT ON `calendar_events` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_calendar_events_update` AFTER UPDATE ON `calendar_events` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_calendar_events_delete` AFTER DELETE ON `calendar_events` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_fetch_runs_insert` AFTER INSERT ON `fetch_runs` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_fetch_runs_update` AFTER UPDATE ON `fetch_runs` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `page_generation_fetch_runs_delete` AFTER DELETE ON `fetch_runs` BEGIN UPDATE `page_generation` SET `n` = `n` + 1 WHERE `id` = 1; END;
