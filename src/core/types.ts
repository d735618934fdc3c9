// The domain's words, shared by the core, the store, the web and the exports.
// Instants are epoch milliseconds (UTC); calendar dates are 'YYYY-MM-DD' strings.

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly', 'annual'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Canonical period key: '2023-06-30' (daily), '2023-W05', '2023-06', '2023-Q2', '2023'. */
export type Period = string;

export const PERIOD_STATES = [
  'disclosed', // a value is on record
  'not_due', // its release date has not come
  'late', // past due, within grace (or an announced delay)
  'missing', // past grace, no value and no word
  'suspended', // an announced suspension covers it
  'cancelled', // the publisher announced that this period will never be published
  'discontinued', // the series was stopped, dropped or replaced
  'access_cut', // the resource exists but lacuna's users are refused access
  'not_expected', // no separate release is expected (January folded into January-February)
  'withdrawn', // published, later removed by the publisher
  'unknown', // lacuna holds no record for it and nothing says it was withheld
] as const;
export type PeriodState = (typeof PERIOD_STATES)[number];

/** States that are holes in the record: what the charts shade and the board counts. */
export const GAP_STATES: ReadonlySet<PeriodState> = new Set([
  'late', 'missing', 'suspended', 'cancelled', 'discontinued', 'access_cut', 'withdrawn', 'unknown',
]);

export const SERIES_STATUSES = ['new', 'current', 'unchecked', 'late', 'overdue', 'suspended', 'discontinued', 'no_record', 'paused'] as const;
export type SeriesStatus = (typeof SERIES_STATUSES)[number];

/** Statuses counted as "gone dark" on the board. */
export const DARK_STATUSES: ReadonlySet<SeriesStatus> = new Set(['overdue', 'suspended', 'discontinued']);

export const EVENT_KINDS = [
  'suspension_announced',
  // The publisher announced that the periods covered will never be published (a cancelled release).
  'cancelled',
  'delayed',
  'resumed',
  'method_change',
  'discontinued',
  'replaced',
  'line_dropped',
  'access_cut',
  'access_restored',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVIDENCE_KINDS = ['official_notice', 'media_report', 'inferred'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Confidence as research marks it: ✅ verified, ⚠️ partly verified, ❓ unverified lead. */
export const CONFIDENCES = ['verified', 'partly_verified', 'unverified'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export type JanFebCombined = boolean | 'both';

export interface ReleaseRule {
  /** Days after the period's last day on which the release is expected (local date). */
  lagDays: number;
  /** Local release time 'HH:MM' in the publisher's time zone. */
  time: string;
  timeZone: string;
  /** Days after the due instant before a missing release counts as missing rather than late. */
  graceDays: number;
  /**
   * NBS's combined January-February release: true, January is folded into February's figure
   * (year-to-date series); 'both', the combined figure belongs to neither month (monthly growth
   * rates), so neither is expected on its own (src/core/release.ts isExpected).
   */
  janFebCombined: JanFebCombined;
  /** Explicit release dates (local 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM') that override the lag. */
  calendar: Readonly<Record<Period, string>>;
  /**
   * A daily series published on business days only: Saturdays, Sundays and the `holidays` (local
   * dates from the publisher's cited holiday file, `calendar` its id) have no figure of their own,
   * and a figure due on such a day is due the next business day. Absent: every day has one.
   */
  businessDays?: BusinessDays | null;
}

export interface BusinessDays {
  /** The holiday file's id (catalogue/holidays/<id>.yaml). */
  calendar: string;
  /** Its dates, 'YYYY-MM-DD'. */
  holidays: readonly string[];
  /**
   * The days the file can speak for ('YYYY-MM-DD', both included): the whole years it lists
   * holidays in. Outside them lacuna cannot tell a closed day from a missed one, so those days
   * are not judged. Absent: every day (a rule stored before coverage was recorded).
   */
  covers?: { from: string; to: string } | null;
}

export interface ObservationFact {
  period: Period;
  value: number | null;
  /** The value exactly as the publisher wrote it. */
  valueText: string;
  /** When lacuna's recorder first saw this value (epoch ms); null for a bundled value, which it never saw published. */
  firstSeenAt: number | null;
  /** When the value became public, where a source says so or lacuna saw it itself (epoch ms). */
  knownAt: number;
  /** Earlier different values exist for this period. */
  revised: boolean;
  /** The publisher no longer returns it. */
  withdrawn: boolean;
  /** The publisher's own observation status (SDMX OBS_STATUS such as P, SD, e), as given; absent or null: none given. */
  obsStatus?: string | null;
}

export interface EventFact {
  id: string;
  kind: EventKind;
  /** Local date the event happened or was announced ('YYYY-MM-DD'). */
  date: string;
  /** First period the event covers (or, for a method change, where the break is). */
  from: Period | null;
  /** Last period covered; null = open-ended. */
  to: Period | null;
  title: string;
}

/**
 * What became of a promised release, version by version: `scheduled` names a date; `cancelled`,
 * the announcement says the release will not happen; `removed`, it vanished from the calendar
 * before its date (lacuna does not say why).
 */
export const PROMISE_STATES = ['scheduled', 'cancelled', 'removed'] as const;
export type PromiseState = (typeof PROMISE_STATES)[number];

/** One version of a publisher's promise to release a period (an advance release calendar's entry). */
export interface PromiseFact {
  period: Period;
  /** The promised release instant (UTC ms); null when this version names none. */
  dueAt: number | null;
  /** When lacuna first saw this version (ms): it counts from then. */
  seenAt: number;
  state: PromiseState;
  /** The calendar that made it, as a reader names it ("BLS release calendar: Consumer Price Index"). */
  source: string;
  /** The promise as written ('2025-10-15 08:30', 'January 2016'), for readers; absent when not kept. */
  written?: string | null;
  /** The publisher's stated reason (a cancellation's) or change note, for readers. */
  reason?: string | null;
}

export interface SeriesFacts {
  frequency: Frequency;
  release: ReleaseRule;
  /** First period of the expected grid. */
  gridFrom: Period;
  /** Before this period, an absent value is unknown rather than missing (the record is partial). */
  recordFrom: Period;
  /** Up to this instant lacuna's record is complete (last successful check); null = never checked. */
  checkedAt: number | null;
  paused: boolean;
  observations: readonly ObservationFact[];
  events: readonly EventFact[];
  /** The publisher's promises (its release calendar), every version; absent: none. */
  promises?: readonly PromiseFact[];
}

export interface Marks {
  break: boolean;
  revised: boolean;
  backfilled: boolean;
}

export interface PeriodCell {
  period: Period;
  state: PeriodState;
  dueAt: number;
  graceEndsAt: number;
  value: number | null;
  valueText: string | null;
  firstSeenAt: number | null;
  /** The publisher's own observation status of the value on record, as given; null when none. */
  obsStatus: string | null;
  marks: Marks;
  /** The event that explains this cell's state, if any. */
  eventId: string | null;
}

export interface SeriesEvaluation {
  grid: PeriodCell[];
  status: SeriesStatus;
  /** Human sentence explaining the status, with dates. */
  reason: string;
  lastDisclosed: Period | null;
  /** First period of the trailing run of gaps and when it was due, when the series is not current. */
  darkSince: { period: Period; dueAt: number } | null;
  daysOverdue: number | null;
  /** The next instant at which the status could change without new facts. */
  nextCheckAt: number | null;
  /**
   * The next instant at which anything in this evaluation could change without new facts (at or
   * before nextCheckAt): until then a stored copy is exact.
   */
  stableUntil: number;
  /**
   * The first period after the last judged one that is due but unknown (nobody has checked it):
   * the status describes the record up to here, not today's publisher.
   */
  uncheckedFrom: Period | null;
  /**
   * Whether the trailing dark run holds a period still owed (anything but cancelled ones): false,
   * no days overdue. Optional for hand-made evaluations; absent counts as owed.
   */
  owed?: boolean;
  /**
   * The latest judged period is late or missing against a date its publisher promised: that
   * promise (its period, the promised instant and the calendar). Absent or null: none broken.
   */
  brokenPromise?: BrokenPromise | null;
}

export interface BrokenPromise {
  period: Period;
  dueAt: number;
  source: string;
}

/**
 * The catalogue's `record_from: first_read`: the record starts at the first period a live read
 * brought (for a source that answers only its latest day). The read model turns it into a period.
 */
export const FIRST_READ = 'first_read';
