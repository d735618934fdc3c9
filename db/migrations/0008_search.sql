-- Full-text search over series and events (SQLite FTS5, trigram tokens so that Chinese titles
-- match on any three characters). Triggers keep it in step with the tables it indexes; the rows
-- already there are indexed here. kind is 'series' or 'event'; ref is the series or event id.
CREATE VIRTUAL TABLE `search_index` USING fts5(`kind` UNINDEXED, `ref` UNINDEXED, `series_id` UNINDEXED, `title`, `body`, tokenize = 'trigram');
--> statement-breakpoint
CREATE TRIGGER `search_series_ai` AFTER INSERT ON `series` BEGIN
  INSERT INTO `search_index` (`kind`, `ref`, `series_id`, `title`, `body`)
  SELECT 'series', NEW.`id`, NEW.`id`, NEW.`title` || ' ' || coalesce(NEW.`title_local`, ''),
    NEW.`id` || ' ' || NEW.`topics` || ' ' || coalesce(p.`name`, '') || ' ' || coalesce(p.`name_local`, '') || ' ' || coalesce(NEW.`description`, '')
  FROM (SELECT 1) LEFT JOIN `publishers` p ON p.`id` = NEW.`publisher_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_series_au` AFTER UPDATE OF `title`, `title_local`, `topics`, `description`, `publisher_id` ON `series` BEGIN
  DELETE FROM `search_index` WHERE `kind` = 'series' AND `ref` = OLD.`id`;
  INSERT INTO `search_index` (`kind`, `ref`, `series_id`, `title`, `body`)
  SELECT 'series', NEW.`id`, NEW.`id`, NEW.`title` || ' ' || coalesce(NEW.`title_local`, ''),
    NEW.`id` || ' ' || NEW.`topics` || ' ' || coalesce(p.`name`, '') || ' ' || coalesce(p.`name_local`, '') || ' ' || coalesce(NEW.`description`, '')
  FROM (SELECT 1) LEFT JOIN `publishers` p ON p.`id` = NEW.`publisher_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_series_ad` AFTER DELETE ON `series` BEGIN
  DELETE FROM `search_index` WHERE `kind` = 'series' AND `ref` = OLD.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_events_ai` AFTER INSERT ON `events` BEGIN
  INSERT INTO `search_index` (`kind`, `ref`, `series_id`, `title`, `body`)
  VALUES ('event', NEW.`id`, NEW.`series_id`, NEW.`title`, NEW.`kind` || ' ' || NEW.`date` || ' ' || coalesce(NEW.`description`, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `search_events_au` AFTER UPDATE OF `title`, `description`, `kind`, `date`, `series_id` ON `events` BEGIN
  DELETE FROM `search_index` WHERE `kind` = 'event' AND `ref` = OLD.`id`;
  INSERT INTO `search_index` (`kind`, `ref`, `series_id`, `title`, `body`)
  VALUES ('event', NEW.`id`, NEW.`series_id`, NEW.`title`, NEW.`kind` || ' ' || NEW.`date` || ' ' || coalesce(NEW.`description`, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `search_events_ad` AFTER DELETE ON `events` BEGIN
  DELETE FROM `search_index` WHERE `kind` = 'event' AND `ref` = OLD.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_publishers_au` AFTER UPDATE OF `name`, `name_local` ON `publishers` BEGIN
  UPDATE `series` SET `title` = `title` WHERE `publisher_id` = NEW.`id`;
END;
--> statement-breakpoint
INSERT INTO `search_index` (`kind`, `ref`, `series_id`, `title`, `body`)
SELECT 'series', s.`id`, s.`id`, s.`title` || ' ' || coalesce(s.`title_local`, ''),
  s.`id` || ' ' || s.`topics` || ' ' || coalesce(p.`name`, '') || ' ' || coalesce(p.`name_local`, '') || ' ' || coalesce(s.`description`, '')
FROM `series` s LEFT JOIN `publishers` p ON p.`id` = s.`publisher_id`;
--> statement-breakpoint
INSERT INTO `search_index` (`kind`, `ref`, `series_id`, `title`, `body`)
SELECT 'event', e.`id`, e.`series_id`, e.`title`, e.`kind` || ' ' || e.`date` || ' ' || coalesce(e.`description`, '') FROM `events` e;
