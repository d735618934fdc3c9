// lacuna's store. Timestamps are epoch milliseconds (UTC) in integer columns; periods are the
// canonical strings of src/core/period.ts. Facts (observations, events, fetch runs, flips) are
// append-mostly: a revision adds a row and closes the old one, nothing is overwritten.
import { sql } from 'drizzle-orm';
import { blob, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const publishers = sqliteTable('publishers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  nameLocal: text('name_local'),
  url: text('url'),
  timeZone: text('time_zone').notNull(),
  /** ISO 3166-1 alpha-2 code of the country whose statistics it publishes; null for an international body. */
  country: text('country'),
  /**
   * Source health, judged from the publisher's recent fetch runs (src/core/source-health.ts):
   * 'ok', 'failing' (unreachable, 5xx, timeouts) or 'blocked' (a firewall or captcha answer).
   */
  health: text('health', { enum: ['ok', 'failing', 'blocked'] }).notNull().default('ok'),
  lastError: text('last_error'),
  lastErrorAt: integer('last_error_at'),
  healthChangedAt: integer('health_changed_at'),
});

export const series = sqliteTable('series', {
  id: text('id').primaryKey(),
  publisherId: text('publisher_id').notNull().references(() => publishers.id),
  /** ISO 3166-1 alpha-2: the series' own country in the catalogue, else its publisher's; null when neither says. */
  country: text('country'),
  title: text('title').notNull(),
  titleLocal: text('title_local'),
  description: text('description'),
  unit: text('unit').notNull(),
  frequency: text('frequency').notNull(),
  /** JSON array of topic tags. */
  topics: text('topics').notNull().default('[]'),
  /** Which fetcher reads it and with what reference, as JSON ({ kind, ... }); null = not fetched. */
  source: text('source'),
  /** The publisher's release calendar that promises its periods, as JSON ({ kind, ... }); null = none. */
  calendar: text('calendar'),
  /** The release rule, as JSON (src/core ReleaseRule). */
  releaseRule: text('release_rule').notNull(),
  gridFrom: text('grid_from').notNull(),
  recordFrom: text('record_from').notNull(),
  successorId: text('successor_id'),
  /** JSON array of proxy series ids. */
  proxies: text('proxies').notNull().default('[]'),
  notes: text('notes'),
  /** Catalogue file the series came from (for error messages and the page footer). */
  catalogueFile: text('catalogue_file'),
  /** Up to when lacuna's record is complete: the later of the bundle's and the last good read (ms), null = never. */
  checkedAt: integer('checked_at'),
  /**
   * When db/record-values.ts last changed the series' values (added, revised, withdrawn): set once
   * per write, and through the series_changed trigger it drops the stored read model, as any other
   * change to what the core reads does.
   */
  valuesChangedAt: integer('values_changed_at'),
  /** Up to when the bundled record is complete (the catalogue's checked_through, its grace end); null = not said. */
  bundleCheckedAt: integer('bundle_checked_at'),
  /** When the series left the catalogue: kept with its fetched history, no longer shown, read or evaluated. */
  retractedAt: integer('retracted_at'),
  paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
  snoozedUntil: integer('snoozed_until'),
  // Derived by the core and stored so jobs ask only "what is due?" and the board reads one row.
  status: text('status').notNull().default('new'),
  statusReason: text('status_reason'),
  statusChangedAt: integer('status_changed_at'),
  lastDisclosed: text('last_disclosed'),
  darkSince: text('dark_since'),
  darkSinceDueAt: integer('dark_since_due_at'),
  /** When the status check next evaluates: the evaluation's stableUntil; null = due now (new facts). */
  nextCheckAt: integer('next_check_at'),
  evaluatedAt: integer('evaluated_at'),
  /** When the fetch job should next read the series' source (null: not fetched). */
  nextFetchAt: integer('next_fetch_at'),
  /** Consecutive failed fetches, for backoff. */
  fetchFailures: integer('fetch_failures').notNull().default(0),
  /**
   * The series' own source, judged from its latest read: 'ok', or 'misconfigured' when the
   * publisher answered but not for this series (an unknown code, an answer without it).
   */
  sourceState: text('source_state', { enum: ['ok', 'misconfigured', 'stale'] }).notNull().default('ok'),
  sourceError: text('source_error'),
  sourceErrorAt: integer('source_error_at'),
  /** The last read that answered (any role): when, and from which source ("fred TRESEGCNM052N (mirror)"). */
  lastReadAt: integer('last_read_at'),
  lastReadSource: text('last_read_source'),
  /** The last status check of this series failed with this error (it is retried with backoff). */
  checkError: text('check_error'),
  checkFailures: integer('check_failures').notNull().default(0),
}, (t) => [
  index('series_next_check_idx').on(t.nextCheckAt),
  index('series_next_fetch_idx').on(t.nextFetchAt),
  index('series_status_idx').on(t.status),
  index('series_publisher_idx').on(t.publisherId),
  index('series_country_idx').on(t.country),
]);

export const observations = sqliteTable('observations', {
  // A rowid key without AUTOINCREMENT: rows are never deleted, and ingest skips sqlite_sequence.
  id: integer('id').primaryKey(),
  seriesId: text('series_id').notNull().references(() => series.id),
  period: text('period').notNull(),
  value: real('value'),
  /** The value exactly as the publisher wrote it ('3989.8100'). */
  valueText: text('value_text').notNull(),
  /** The publisher's observation status (SDMX OBS_STATUS) when the source gives one. */
  obsStatus: text('obs_status'),
  firstSeenAt: integer('first_seen_at').notNull(),
  /** When the figure became public, where a source says so (ms); null = lacuna's first sight. */
  releasedAt: integer('released_at'),
  /** 'bundle' (shipped catalogue), 'import' (CLI), 'fetch' (a fetch run). */
  origin: text('origin').notNull(),
  /** Provenance of the figure: repository/page and path, or the fetch run. */
  provenance: text('provenance'),
  fetchRunId: integer('fetch_run_id'),
  /** Set when a later different value replaces this one (a revision); the row is kept. */
  supersededAt: integer('superseded_at'),
  /** Set when the publisher no longer returns the period in a complete answer. */
  withdrawnAt: integer('withdrawn_at'),
}, (t) => [
  // Current values are unique per period; the few superseded ones (revisions) have their own
  // small index, so an insert maintains one index, not two.
  uniqueIndex('observations_current_uq').on(t.seriesId, t.period).where(sql`superseded_at IS NULL`),
  index('observations_superseded_idx').on(t.seriesId, t.period).where(sql`superseded_at IS NOT NULL`),
]);

/**
 * Each series' latest evaluation (src/core stored-evaluation), written by the status check and
 * read by the board, the API and the CSVs while it holds (evaluated_at <= now < valid_until).
 * Triggers delete the row whenever a fact of the series changes, so a stale copy is never read.
 */
export const seriesGrids = sqliteTable('series_grids', {
  seriesId: text('series_id').primaryKey().references(() => series.id),
  /** The read model's version (core rules, writers and schema) it was written with; another stamp is not read. */
  stamp: text('stamp').notNull().default(''),
  evaluatedAt: integer('evaluated_at').notNull(),
  validUntil: integer('valid_until').notNull(),
  /** When the stored evaluation last differed from the one before (a re-evaluation that changes nothing keeps it). */
  changedAt: integer('changed_at').notNull(),
  /** Names this write of the evaluation (random): a stored answer is read only with the generation it was built from. */
  generation: integer('generation').notNull().default(0),
  evaluation: text('evaluation').notNull(),
}, (t) => [index('series_grids_changed_idx').on(t.changedAt)]);

/**
 * What the API and the CSV export answer for a series' stored evaluation, gzip-compressed and
 * written by the status check when the evaluation changes (in a worker thread when it evaluates
 * many series), so that a request sends it rather than writing it again. It is read only with the
 * series_grids row of its generation (a trigger deletes it with that row); until it is written,
 * readers write the answer themselves. A table of its own, so reading it does not walk the
 * evaluation's overflow pages.
 */
export const seriesAnswers = sqliteTable('series_answers', {
  seriesId: text('series_id').primaryKey().references(() => series.id),
  /** The series_grids generation the answer was built from. */
  generation: integer('generation').notNull().default(0),
  /** The body of /api/series/:id/observations. */
  observationsGz: blob('observations_gz', { mode: 'buffer' }).notNull(),
  /** The series' rows of /export.csv (without the header). */
  csvGz: blob('csv_gz', { mode: 'buffer' }).notNull(),
});

/**
 * Figures over every series that the pages show (the board's disclosure headline), computed by
 * the status check after it evaluates: recomputed when a stored evaluation changed after
 * computed_at or the clock passes valid_until.
 */
export const summaries = sqliteTable('summaries', {
  key: text('key').primaryKey(),
  /** As series_grids.stamp. */
  stamp: text('stamp').notNull().default(''),
  computedAt: integer('computed_at').notNull(),
  validUntil: integer('valid_until'),
  value: text('value').notNull(),
});

export const events = sqliteTable('events', {
  id: text('id').primaryKey(),
  seriesId: text('series_id').notNull().references(() => series.id),
  kind: text('kind').notNull(),
  date: text('date').notNull(),
  /** True when the date is known only roughly (research marks it ⚠️). */
  dateApproximate: integer('date_approximate', { mode: 'boolean' }).notNull().default(false),
  periodFrom: text('period_from'),
  periodTo: text('period_to'),
  title: text('title').notNull(),
  description: text('description'),
  /** What kind of evidence supports it: official_notice, media_report or inferred. */
  evidenceKind: text('evidence_kind').notNull(),
  confidence: text('confidence').notNull(),
  /** 'catalogue' or 'inferred' (recorded by lacuna itself). */
  origin: text('origin').notNull(),
  recordedAt: integer('recorded_at').notNull(),
}, (t) => [index('events_series_idx').on(t.seriesId, t.date)]);

export const citations = sqliteTable('citations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  eventId: text('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  url: text('url').notNull(),
  title: text('title').notNull(),
  publisher: text('publisher').notNull(),
  date: text('date'),
  quote: text('quote'),
}, (t) => [index('citations_event_idx').on(t.eventId)]);

export const fetchRuns = sqliteTable('fetch_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  seriesId: text('series_id').references(() => series.id),
  source: text('source').notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
  /** 'ok', 'no_change' or 'failed'. */
  outcome: text('outcome'),
  httpStatus: integer('http_status'),
  error: text('error'),
  /** What kind of failure (a SourceError code: unreachable, timeout, http, blocked, absent...), for source health. */
  errorCode: text('error_code'),
  bytes: integer('bytes'),
  contentHash: text('content_hash'),
  added: integer('added').notNull().default(0),
  revised: integer('revised').notNull().default(0),
  withdrawn: integer('withdrawn').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  /** Periods the publisher listed without a value. */
  gaps: integer('gaps').notNull().default(0),
  /** 'schedule', 'cli' or 'backfill'. */
  trigger: text('trigger').notNull().default('schedule'),
  /** The first request's URL (without credentials). */
  url: text('url'),
  etag: text('etag'),
  lastModified: text('last_modified'),
  /** JSON array of raw_answers hashes, one per page, in order (a refusal's answer, kept as evidence, included). */
  rawHashes: text('raw_hashes').notNull().default('[]'),
  /** Which of the series' sources was read: its place in `sources:` (0 for a single `source:`), role and label. */
  sourceIndex: integer('source_index'),
  /** 'official', 'secondary' or 'mirror'; null in runs recorded before roles existed (official). */
  sourceRole: text('source_role', { enum: ['official', 'secondary', 'mirror'] }),
  sourceLabel: text('source_label'),
  /** The source's own date for its last update (DBnomics indexed_at, FRED last_updated), where it gives one. */
  sourceUpdatedAt: integer('source_updated_at'),
  /** Why this read found the source stale (a secondary or mirror behind the publisher's schedule); null when fresh. */
  stale: text('stale'),
}, (t) => [index('fetch_runs_series_idx').on(t.seriesId, t.startedAt)]);

/** Raw publisher answers, compressed, keyed by content hash so identical answers are kept once. */
export const rawAnswers = sqliteTable('raw_answers', {
  hash: text('hash').primaryKey(),
  contentType: text('content_type'),
  encoding: text('encoding').notNull().default('gzip'),
  size: integer('size').notNull(),
  body: blob('body', { mode: 'buffer' }).notNull(),
  firstFetchRunId: integer('first_fetch_run_id'),
});

export const flips = sqliteTable('flips', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** 'status' (a series' status changed), 'source' (a publisher's source health changed) or 'reminder'. */
  kind: text('kind').notNull().default('status'),
  /** Null for a source flip, which is about a publisher, not one series. */
  seriesId: text('series_id').references(() => series.id),
  publisherId: text('publisher_id'),
  /** Whether the change alerts, by the table in src/core/alert-rules.ts (false when snoozed). */
  alert: integer('alert', { mode: 'boolean' }).notNull().default(false),
  at: integer('at').notNull(),
  fromStatus: text('from_status').notNull(),
  toStatus: text('to_status').notNull(),
  reason: text('reason').notNull(),
  resumed: integer('resumed', { mode: 'boolean' }).notNull().default(false),
  breakAt: text('break_at'),
  /** The period the change is about and when it was due, where one is. */
  period: text('period'),
  dueAt: integer('due_at'),
  /** JSON array of the ids of the events that explain the new status. */
  eventIds: text('event_ids').notNull().default('[]'),
  /** Recorded while the series was snoozed: it does not alert. */
  snoozed: integer('snoozed', { mode: 'boolean' }).notNull().default(false),
}, (t) => [index('flips_series_idx').on(t.seriesId, t.at), index('flips_at_idx').on(t.at), index('flips_alert_idx').on(t.alert, t.at)]);

export const channels = sqliteTable('channels', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  /** JSON settings without secrets (secrets come from the environment). */
  config: text('config').notNull().default('{}'),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  lastError: text('last_error'),
  lastErrorAt: integer('last_error_at'),
  lastSentAt: integer('last_sent_at'),
  /** null: each alert as it happens; 'daily': one digest a day. */
  digest: text('digest'),
  /** 'config' (alerts.yaml, replaced at each start) or 'cli' (kept until removed). */
  origin: text('origin').notNull().default('cli'),
  createdAt: integer('created_at').notNull().default(0),
});

export const subscriptions = sqliteTable('subscriptions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  channelId: text('channel_id').notNull().references(() => channels.id, { onDelete: 'cascade' }),
  /** Exactly one of these says what the channel follows; all null = everything. */
  seriesId: text('series_id'),
  topic: text('topic'),
  publisherId: text('publisher_id'),
}, (t) => [index('subscriptions_channel_idx').on(t.channelId)]);

/** The outbox: one row per flip and channel; the flip id is the idempotency key. */
export const deliveries = sqliteTable('deliveries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  flipId: integer('flip_id').notNull().references(() => flips.id),
  channelId: text('channel_id').notNull().references(() => channels.id, { onDelete: 'cascade' }),
  /** 'pending', 'sent', 'failed' (permanent). */
  state: text('state').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  lastError: text('last_error'),
  sentAt: integer('sent_at'),
  /** A lease: the process sending it now, and until when; another process leaves it alone meanwhile. */
  claimedBy: text('claimed_by'),
  claimedUntil: integer('claimed_until'),
}, (t) => [
  uniqueIndex('deliveries_flip_channel_uq').on(t.flipId, t.channelId),
  index('deliveries_due_idx').on(t.state, t.nextAttemptAt),
]);

/** Political and holiday events drawn on charts (catalogue/calendar.yaml). */
export const calendarEvents = sqliteTable('calendar_events', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  /** Local dates (Asia/Shanghai), inclusive. */
  fromDate: text('from_date').notNull(),
  toDate: text('to_date').notNull(),
  /** JSON array of citations ({ url, title, publisher, date?, quote? }). */
  citations: text('citations').notNull(),
});

/** Catalogue loads: the hash of the files loaded, so a second start with the same files does nothing. */
export const catalogueLoads = sqliteTable('catalogue_loads', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  hash: text('hash').notNull(),
  loadedAt: integer('loaded_at').notNull(),
  seriesCount: integer('series_count').notNull(),
  observationCount: integer('observation_count').notNull(),
  eventCount: integer('event_count').notNull(),
});

/**
 * What a publisher promised, one row per version of an announcement: a release calendar's entry for
 * a period of a series (its date, or that it is cancelled or gone), with the read that saw it and
 * the archived answer. A change adds a row and closes the previous one (superseded_at); nothing is
 * overwritten, so the first promise stays on record when the publisher moves it.
 */
export const promises = sqliteTable('promises', {
  id: integer('id').primaryKey(),
  seriesId: text('series_id').notNull().references(() => series.id),
  /** The calendar kind (bls_ics, govuk_announcement). */
  calendar: text('calendar').notNull(),
  /** The calendar as a reader names it ("BLS release calendar: Consumer Price Index"). */
  source: text('source').notNull(),
  /** The publisher's id of the announcement (an iCalendar UID, a GOV.UK content id): versions share it. */
  entry: text('entry').notNull(),
  period: text('period').notNull(),
  /** The promised release instant (ms); null when this version names none (cancelled, removed). */
  dueAt: integer('due_at'),
  /** The promised date and time as the publisher wrote them, in its zone ('2025-10-15 08:30'); null when none. */
  dueLocal: text('due_local'),
  state: text('state', { enum: ['scheduled', 'cancelled', 'removed'] }).notNull(),
  /** The publisher's stated reason (a cancellation's) or change note, as given. */
  reason: text('reason'),
  /** When lacuna first saw this version. */
  seenAt: integer('seen_at').notNull(),
  /** When a later version replaced it; null for the current one. */
  supersededAt: integer('superseded_at'),
  /** The calendar read that saw it, and the archived answer that holds it (/raw/<hash>). */
  readId: integer('read_id'),
  rawHash: text('raw_hash'),
}, (t) => [
  index('promises_series_idx').on(t.seriesId, t.period),
  uniqueIndex('promises_current_uq').on(t.seriesId, t.calendar, t.entry).where(sql`superseded_at IS NULL`),
]);

/** Each read of a series' release calendar: when, what came of it, and the answers archived. */
export const calendarReads = sqliteTable('calendar_reads', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  seriesId: text('series_id').notNull().references(() => series.id),
  kind: text('kind').notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
  /** 'ok', 'no_change' or 'failed'. */
  outcome: text('outcome'),
  httpStatus: integer('http_status'),
  error: text('error'),
  /** The SourceError code of a failure. */
  errorCode: text('error_code'),
  /** The first request's URL (without credentials). */
  url: text('url'),
  contentHash: text('content_hash'),
  /** JSON array of raw_answers hashes, one per page, in order. */
  rawHashes: text('raw_hashes').notNull().default('[]'),
  /** Promise versions this read recorded (new, moved, cancelled, removed). */
  changed: integer('changed').notNull().default(0),
  trigger: text('trigger').notNull().default('schedule'),
}, (t) => [index('calendar_reads_series_idx').on(t.seriesId, t.startedAt)]);
