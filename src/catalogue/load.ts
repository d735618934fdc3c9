// Reads the catalogue folder (publishers.yaml, series/*.yaml, values CSVs), validates everything,
// and returns it whole or throws a CatalogueError listing every problem with file, line and reason.
// Nothing is written anywhere: the store loads a catalogue only after it has passed.
import { checkSource } from '../sources/registry.js';
import { checkCalendar } from '../sources/calendar-registry.js';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { isValidPeriod, comparePeriods, normalisePeriod } from '../core/period.js';
import { FIRST_READ, type Confidence, type EventKind, type EvidenceKind, type Frequency, type ReleaseRule, type BusinessDays } from '../core/types.js';
import {
  calendarFileSchema, holidayFileSchema, publishersFileSchema, releaseDateProblem, seriesFileSchema, VALUE_COLUMNS,
  type CalendarBlock, type CalendarEntry, type CitationEntry, type SeriesEntry, type SourceBlock,
} from './schema.js';

export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export class CatalogueError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `the catalogue has ${problems.length} error${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'),
    );
    this.name = 'CatalogueError';
  }
}

export interface CataloguePublisher {
  id: string;
  name: string;
  nameLocal: string | null;
  url: string | null;
  timeZone: string;
  /** ISO 3166-1 alpha-2; null for an international body. */
  country: string | null;
}

export interface CatalogueEvent {
  id: string;
  kind: EventKind;
  date: string;
  dateApproximate: boolean;
  from: string | null;
  to: string | null;
  title: string;
  description: string | null;
  evidenceKind: EvidenceKind;
  confidence: Confidence;
  citations: CitationEntry[];
}

export interface BundledValue {
  period: string;
  value: number | null;
  valueText: string;
  provenance: string;
}

export interface CatalogueSeries {
  id: string;
  publisherId: string;
  /** The series' own country, else its publisher's; null when neither gives one. */
  country: string | null;
  title: string;
  titleLocal: string | null;
  description: string | null;
  unit: string;
  frequency: Frequency;
  topics: string[];
  gridFrom: string;
  recordFrom: string;
  checkedThrough: string | null;
  release: ReleaseRule;
  releaseCitation: CitationEntry | null;
  successorId: string | null;
  proxies: string[];
  /** The `source:` block, or the `sources:` list in order of preference; since/until canonical periods. */
  source: SourceBlock | SourceBlock[] | null;
  /** The `calendar:` block: the publisher's release calendar for the series. */
  calendar: CalendarBlock | null;
  notes: string | null;
  events: CatalogueEvent[];
  values: BundledValue[];
  file: string;
}

export interface Catalogue {
  dir: string;
  /** sha256 of every file read, so an unchanged catalogue can be skipped. */
  hash: string;
  publishers: CataloguePublisher[];
  series: CatalogueSeries[];
  calendar: CalendarEntry[];
}

interface ParsedFile {
  rel: string;
  doc: Document;
  lines: LineCounter;
}

/** Line and column of the node at a path, or of its nearest existing parent. */
function locate(f: ParsedFile, path: readonly PropertyKey[]): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = f.doc.getIn(path.slice(0, n) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const pos = f.lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

function problemAt(f: ParsedFile, path: readonly PropertyKey[], message: string, what?: string): Problem {
  return { file: f.rel, ...locate(f, path), message: what ? `${what}: ${message}` : message };
}

function readYaml<S extends z.ZodType>(dir: string, abs: string, schema: S, problems: Problem[]): { file: ParsedFile; data: z.infer<S> } | null {
  const rel = relative(dir, abs);
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(abs, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const file = { rel, doc, lines };
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      problems.push({ file: rel, line: pos.line, column: pos.col, message: `YAML: ${e.message.split('\n')[0]}` });
    }
    return null;
  }
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(problemAt(file, issue.path, issue.message, issue.path.join('.') || undefined));
    }
    return null;
  }
  return { file, data: result.data };
}

export function loadCatalogue(dirArg: string): Catalogue {
  const dir = resolve(dirArg);
  const problems: Problem[] = [];
  const hash = createHash('sha256');
  const pubPath = join(dir, 'publishers.yaml');
  if (!existsSync(pubPath)) throw new CatalogueError([{ file: relative(process.cwd(), pubPath), line: 1, column: 1, message: 'missing: the catalogue needs a publishers.yaml' }]);

  const seriesDir = join(dir, 'series');
  const seriesFiles = existsSync(seriesDir)
    ? readdirSync(seriesDir).filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(seriesDir, n))
    : [];
  const calPath = join(dir, 'calendar.yaml');
  const calFiles = existsSync(calPath) ? [calPath] : [];
  const holidayDir = join(dir, 'holidays');
  const holidayFiles = existsSync(holidayDir)
    ? readdirSync(holidayDir).filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(holidayDir, n))
    : [];
  for (const abs of [pubPath, ...seriesFiles, ...calFiles, ...holidayFiles]) hash.update(relative(dir, abs)).update(readFileSync(abs));
  const holidays = readHolidays(dir, holidayFiles, problems);

  const pubs = readYaml(dir, pubPath, publishersFileSchema, problems);
  const publishers = new Map<string, CataloguePublisher>();
  pubs?.data.publishers.forEach((p, i) => {
    if (publishers.has(p.id)) problems.push(problemAt(pubs.file, ['publishers', i, 'id'], `duplicate publisher id ${p.id}`));
    publishers.set(p.id, { id: p.id, name: p.name, nameLocal: p.name_local ?? null, url: p.url ?? null, timeZone: p.time_zone, country: p.country ?? null });
  });

  const entries: { file: ParsedFile; entry: SeriesEntry; index: number }[] = [];
  for (const abs of seriesFiles) {
    const parsed = readYaml(dir, abs, seriesFileSchema, problems);
    parsed?.data.series.forEach((entry, index) => entries.push({ file: parsed.file, entry, index }));
  }

  const ids = new Set<string>();
  const eventIds = new Set<string>();
  for (const { file, entry, index } of entries) {
    const at = (path: PropertyKey[], message: string) => problems.push(problemAt(file, ['series', index, ...path], message, `series ${entry.id}`));
    if (ids.has(entry.id)) at(['id'], 'duplicate series id');
    ids.add(entry.id);
    if (pubs && !publishers.has(entry.publisher)) at(['publisher'], `unknown publisher "${entry.publisher}" (not in publishers.yaml)`);
    const f = entry.frequency;
    const checkPeriod = (path: PropertyKey[], p: string | undefined) => {
      if (p !== undefined && !isValidPeriod(p, f)) at(path, `"${p}" is not a valid ${f} period`);
    };
    const blocks: [PropertyKey[], SourceBlock][] = entry.source ? [[['source'], entry.source]] : (entry.sources ?? []).map((b, i) => [['sources', i], b]);
    for (const [path, block] of blocks) {
      const checked = checkSource(block);
      if (!checked.ok) for (const pr of checked.problems) at([...path, ...pr.path], pr.message);
      checkWindow(block, f, (key, message) => at([...path, key], message));
    }
    if (entry.calendar) {
      const checked = checkCalendar(entry.calendar);
      if (!checked.ok) for (const pr of checked.problems) at(['calendar', ...pr.path], `${['calendar', ...pr.path].join('.')}: ${pr.message}`);
    }
    const business = entry.release.business_days;
    if (business !== undefined && !holidays.has(business)) at(['release', 'business_days'], `unknown holiday file "${business}" (known: ${[...holidays.keys()].join(', ') || 'none'}; add catalogue/holidays/${business}.yaml)`);
    if (business !== undefined && f !== 'daily') at(['release', 'business_days'], `business_days applies to daily series, not ${f}`);
    checkPeriod(['grid_from'], entry.grid_from);
    if (entry.record_from === FIRST_READ) {
      if (!entry.source) at(['record_from'], 'record_from: first_read needs a source block (the record starts with its first live read)');
    } else checkPeriod(['record_from'], entry.record_from);
    checkPeriod(['checked_through'], entry.checked_through);
    for (const [p, when] of Object.entries(entry.release.calendar)) {
      checkPeriod(['release', 'calendar', p], p);
      const problem = releaseDateProblem(when);
      if (problem) at(['release', 'calendar', p], `release.calendar ${p}: ${problem}`);
    }
    entry.events.forEach((e, i) => {
      if (eventIds.has(e.id)) at(['events', i, 'id'], `duplicate event id ${e.id}`);
      eventIds.add(e.id);
      checkPeriod(['events', i, 'periods', 'from'], e.periods?.from);
      checkPeriod(['events', i, 'periods', 'to'], e.periods?.to);
      const { from, to } = e.periods ?? {};
      if (from && to && isValidPeriod(from, f) && isValidPeriod(to, f) && comparePeriods(from, to, f) > 0) {
        at(['events', i, 'periods'], `periods.from ${from} is after periods.to ${to}`);
      }
      if (e.kind !== 'access_restored' && !e.periods) at(['events', i], `a ${e.kind} event must say which periods it covers (periods.from)`);
    });
  }
  for (const { file, entry, index } of entries) {
    const at = (path: PropertyKey[], message: string) => problems.push(problemAt(file, ['series', index, ...path], message, `series ${entry.id}`));
    if (entry.successor && !ids.has(entry.successor)) at(['successor'], `unknown successor series "${entry.successor}"`);
    entry.proxies.forEach((p, i) => { if (!ids.has(p)) at(['proxies', i], `unknown proxy series "${p}"`); });
  }

  const calendar: CalendarEntry[] = [];
  if (calFiles.length) {
    const cal = readYaml(dir, calPath, calendarFileSchema, problems);
    const seenCal = new Set<string>();
    cal?.data.calendar.forEach((c, i) => {
      if (seenCal.has(c.id)) problems.push(problemAt(cal.file, ['calendar', i, 'id'], `duplicate calendar id ${c.id}`));
      seenCal.add(c.id);
      if (c.to < c.from) problems.push(problemAt(cal.file, ['calendar', i, 'to'], `to ${c.to} is before from ${c.from}`));
      calendar.push(c);
    });
  }

  const values = readValues(dir, entries, problems, hash);
  if (problems.length) throw new CatalogueError(problems);

  return {
    dir,
    hash: hash.digest('hex'),
    publishers: [...publishers.values()],
    series: entries.map(({ file, entry }) => toSeries(entry, file.rel, publishers.get(entry.publisher)!, values.get(entry.id) ?? [], holidays)),
    calendar,
  };
}

/** A source block's since and until: periods of the series' frequency, since not after until. */
function checkWindow(block: SourceBlock, f: Frequency, at: (key: string, message: string) => void): void {
  const norm = (key: 'since' | 'until'): string | null => {
    const raw = block[key];
    if (raw === undefined) return null;
    try {
      return normalisePeriod(raw, f);
    } catch {
      at(key, `${key} "${raw}" is not a ${f} period`);
      return null;
    }
  };
  const since = norm('since');
  const until = norm('until');
  if (since && until && comparePeriods(since, until, f) > 0) at('until', `until ${until} is before since ${since}`);
}

/** The source block(s) as stored: since and until in canonical form. */
function storedSource(e: SeriesEntry): SourceBlock | SourceBlock[] | null {
  const canon = (b: SourceBlock): SourceBlock => ({
    ...b,
    ...(b.since !== undefined ? { since: normalisePeriod(b.since, e.frequency) } : {}),
    ...(b.until !== undefined ? { until: normalisePeriod(b.until, e.frequency) } : {}),
  });
  if (e.source) return canon(e.source);
  return e.sources ? e.sources.map(canon) : null;
}

/** The holiday files by id; every date must cite one of the file's citations, once. */
function readHolidays(dir: string, files: string[], problems: Problem[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const abs of files) {
    const parsed = readYaml(dir, abs, holidayFileSchema, problems);
    if (!parsed) continue;
    const { file, data } = parsed;
    const expected = basename(abs).replace(/\.ya?ml$/, '');
    if (data.id !== expected) problems.push(problemAt(file, ['id'], `the id "${data.id}" must be the file's name, "${expected}"`));
    const seen = new Set<string>();
    data.dates.forEach((d, i) => {
      if (!data.citations[d.citation]) problems.push(problemAt(file, ['dates', i, 'citation'], `unknown citation "${d.citation}" (the file cites: ${Object.keys(data.citations).join(', ')})`));
      if (seen.has(d.date)) problems.push(problemAt(file, ['dates', i, 'date'], `duplicate date ${d.date}`));
      seen.add(d.date);
    });
    out.set(data.id, [...seen].sort());
  }
  return out;
}

/** Reads each values CSV once; every row must belong to a series that names the file. */
function readValues(
  dir: string, entries: { file: ParsedFile; entry: SeriesEntry; index: number }[], problems: Problem[], hash: ReturnType<typeof createHash>,
): Map<string, BundledValue[]> {
  const byFile = new Map<string, Map<string, SeriesEntry>>();
  for (const { file, entry, index } of entries) {
    if (!entry.values) continue;
    const abs = resolve(dir, entry.values);
    if (!existsSync(abs)) {
      problems.push(problemAt(file, ['series', index, 'values'], `values file not found: ${entry.values}`, `series ${entry.id}`));
      continue;
    }
    if (!byFile.has(abs)) byFile.set(abs, new Map());
    byFile.get(abs)!.set(entry.id, entry);
  }
  const out = new Map<string, BundledValue[]>();
  for (const [abs, owners] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const rel = relative(dir, abs);
    const text = readFileSync(abs, 'utf8');
    hash.update(rel).update(text);
    const at = (line: number, message: string) => problems.push({ file: rel, line, column: 1, message });
    let rows: { record: Record<string, string>; info: { lines: number } }[];
    try {
      rows = parseCsv(text, { columns: true, info: true, skip_empty_lines: true, bom: true });
    } catch (e) {
      at((e as { lines?: number }).lines ?? 1, `CSV: ${(e as Error).message}`);
      continue;
    }
    const header = text.split(/\r?\n/, 1)[0]!.replace(/^\uFEFF/, '').split(',');
    const missing = VALUE_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length) { at(1, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`); continue; }
    const seen = new Set<string>();
    for (const { record: r, info } of rows) {
      const line = info.lines;
      const entry = owners.get(r.series_id!);
      if (!entry) { at(line, `series_id "${r.series_id}" does not name a series whose values are this file`); continue; }
      if (!isValidPeriod(r.period!, entry.frequency)) { at(line, `period "${r.period}" is not a valid ${entry.frequency} period`); continue; }
      const key = `${r.series_id}\u0000${r.period}`;
      if (seen.has(key)) { at(line, `duplicate value for ${r.series_id} ${r.period}`); continue; }
      seen.add(key);
      const valueText = r.value!.trim();
      const value = valueText === '' ? null : Number(valueText);
      if (value !== null && !Number.isFinite(value)) { at(line, `value "${r.value}" is not a number`); continue; }
      if (r.unit !== entry.unit) { at(line, `unit "${r.unit}" differs from the series unit "${entry.unit}"`); continue; }
      const provenance = r.source_repo!.startsWith('web:') ? `https://${r.source_repo!.slice(4)}${r.source_path}` : `${r.source_repo}:${r.source_path}`;
      if (!out.has(entry.id)) out.set(entry.id, []);
      out.get(entry.id)!.push({ period: r.period!, value, valueText, provenance });
    }
  }
  return out;
}

function toSeries(e: SeriesEntry, file: string, publisher: CataloguePublisher, values: BundledValue[], holidays: Map<string, string[]>): CatalogueSeries {
  const business = e.release.business_days;
  return {
    id: e.id,
    publisherId: e.publisher,
    country: e.country ?? publisher.country,
    title: e.title,
    titleLocal: e.title_local ?? null,
    description: e.description ?? null,
    unit: e.unit,
    frequency: e.frequency,
    topics: e.topics,
    gridFrom: e.grid_from,
    recordFrom: e.record_from ?? e.grid_from,
    checkedThrough: e.checked_through ?? null,
    release: {
      lagDays: e.release.lag_days,
      time: e.release.time,
      timeZone: e.release.time_zone ?? publisher.timeZone,
      graceDays: e.release.grace_days,
      janFebCombined: e.release.jan_feb_combined,
      calendar: e.release.calendar,
      ...(business !== undefined ? { businessDays: businessDaysOf(business, holidays.get(business) ?? []) } : {}),
    },
    releaseCitation: e.release.citation ?? null,
    successorId: e.successor ?? null,
    proxies: e.proxies,
    source: storedSource(e),
    calendar: e.calendar ?? null,
    notes: e.notes ?? null,
    events: e.events.map((v) => ({
      id: v.id,
      kind: v.kind,
      date: v.date,
      dateApproximate: v.date_approximate,
      from: v.periods?.from ?? null,
      to: v.periods?.to ?? null,
      title: v.title,
      description: v.description ?? null,
      evidenceKind: v.evidence_kind,
      confidence: v.confidence,
      citations: v.citations,
    })),
    values: values.sort((a, b) => comparePeriods(a.period, b.period, e.frequency)),
    file,
  };
}

/** A series' business days: its holiday file's dates, and the whole years they speak for. */
function businessDaysOf(calendar: string, holidays: readonly string[]): BusinessDays {
  const years = holidays.map((d) => d.slice(0, 4)).sort();
  return { calendar, holidays, covers: years.length ? { from: `${years[0]}-01-01`, to: `${years.at(-1)}-12-31` } : null };
}

/**
 * The holiday files that will soon stop speaking for their series' days: a file whose last covered
 * day falls within `aheadDays` of `now` (or before it). The days after it are not judged
 * (src/core/release.ts, outsideHolidayFile) until the file lists the next year's closures.
 */
export function holidayCoverageWarnings(c: Catalogue, now: number, aheadDays = 31): string[] {
  const soon = new Date(now + aheadDays * 86_400_000).toISOString().slice(0, 10);
  const byFile = new Map<string, { to: string; ids: string[] }>();
  for (const s of c.series) {
    const b = s.release.businessDays;
    if (!b?.covers || s.frequency !== 'daily' || b.covers.to >= soon) continue;
    const entry = byFile.get(b.calendar) ?? { to: b.covers.to, ids: [] };
    entry.ids.push(s.id);
    byFile.set(b.calendar, entry);
  }
  return [...byFile].map(([file, { to, ids }]) =>
    `holidays/${file}.yaml lists closures up to ${to}: the days after it of ${ids.length} daily series (${ids.join(', ')}) are not judged until it lists the next year's, from the publisher's notice`);
}
