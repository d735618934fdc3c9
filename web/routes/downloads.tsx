// Downloads for researchers: the values of a series as lacuna recorded them (every vintage, with
// first_seen_at and published_at side by side), and Frictionless Data Package descriptors
// (datapackage.json) that say what each CSV holds: title, unit, publisher, sources, licence terms,
// how to cite, and the type and meaning of every column.
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { csvResponse, csvStream } from '../csv.js';
import { EVENT_COLUMNS, GRID_COLUMNS, iso } from '../../src/formats/csv.js';
import { withoutFloatNoise } from '../../src/formats/value-text.js';
import { PERIOD_STATES } from '../../src/core/index.js';
import { asOfInstant, asOfParam, bomParam, dlParam, parseQuery } from '../query.js';
import { getSeries, observationHistory, type EvaluatedSeries } from '../../src/read/read-model.js';
import { knownAt } from '../../src/read/facts.js';
import type { ReleaseRule } from '../../src/core/index.js';
import { publicOrigin } from '../links.js';

export const VALUE_COLUMNS = [
  'series_id', 'period', 'value', 'unit', 'first_seen_at', 'published_at', 'known_from', 'superseded_at', 'withdrawn_at', 'origin', 'provenance',
] as const;

type Field = { name: string; type: string; description: string; constraints?: Record<string, unknown> };

const GRID_FIELDS: Record<(typeof GRID_COLUMNS)[number], Omit<Field, 'name'>> = {
  series_id: { type: 'string', description: 'The series.' },
  period: { type: 'string', description: "The period the value refers to: '2023-06', '2023-Q2', '2023', '2023-W05' or '2023-06-30'." },
  value: { type: 'number', description: 'The value as the source wrote it (binary floating-point noise of intermediaries removed); empty when not disclosed.' },
  state: { type: 'string', description: 'The period state (see /statuses).', constraints: { enum: [...PERIOD_STATES] } },
  sdmx_obs_status: { type: 'string', description: "The SDMX OBS_STATUS: for a disclosed value the publisher's own code as given (P, SD, e...); otherwise lacuna's nearest code (A normal, B break, O missing, L exists but withheld, K included in another period, M cannot exist: cancelled)." },
  first_seen_at: { type: 'datetime', description: "When lacuna's recorder first saw the value (UTC); empty for bundled values, which it did not see published." },
  break: { type: 'string', description: '1 when the method breaks at this period.' },
  revised: { type: 'string', description: '1 when the value was revised (earlier values are in values.csv).' },
  backfilled: { type: 'string', description: '1 when the value came only after the period had gone missing.' },
  event_id: { type: 'string', description: 'The event that explains the state (events.csv).' },
  sdmx_obs_status_from: { type: 'string', description: "Who gave sdmx_obs_status: 'publisher' or 'lacuna'; empty when there is none.", constraints: { enum: ['publisher', 'lacuna', ''] } },
  country: { type: 'string', description: 'The country the series is about (ISO 3166-1 alpha-2: CN, US, GB...); empty when the catalogue gives none.' },
};

const VALUE_FIELDS: Record<(typeof VALUE_COLUMNS)[number], Omit<Field, 'name'>> = {
  series_id: GRID_FIELDS.series_id,
  period: GRID_FIELDS.period,
  value: { type: 'number', description: 'The value as the source wrote it (binary floating-point noise of intermediaries removed).' },
  unit: { type: 'string', description: 'The unit of the series.' },
  first_seen_at: GRID_FIELDS.first_seen_at,
  published_at: { type: 'datetime', description: 'When the publisher released the value, where a source says so (UTC); empty when not known.' },
  known_from: { type: 'datetime', description: 'From when as-of views count the value as known (UTC): published_at where known; for bundled or imported history without it, the scheduled release date (an assumption: lacuna did not watch that release); otherwise first_seen_at.' },
  superseded_at: { type: 'datetime', description: 'When a revision replaced this value; empty for the current value.' },
  withdrawn_at: { type: 'datetime', description: 'When the publisher stopped returning it; empty if it still does.' },
  origin: { type: 'string', description: "bundle (shipped with lacuna's catalogue), import (added with lacuna import) or fetch (read from the publisher by lacuna).", constraints: { enum: ['bundle', 'import', 'fetch'] } },
  provenance: { type: 'string', description: 'Where the figure was copied from: a repository and file, or the fetch run.' },
};

const EVENT_FIELDS: Field[] = EVENT_COLUMNS.map((name) => ({
  name, type: name === 'date' || name === 'citation_date' ? 'string' : name === 'citation_index' ? 'integer' : 'string',
  description: name === 'country' ? GRID_FIELDS.country.description : name.replace(/_/g, ' '),
}));

const fields = (m: Record<string, Omit<Field, 'name'>>): Field[] => Object.entries(m).map(([name, f]) => ({ name, ...f }));

function csvResource(name: string, path: string, title: string, schema: { fields: Field[]; primaryKey?: string[] }) {
  return {
    name, path, title, profile: 'tabular-data-resource', format: 'csv', mediatype: 'text/csv', encoding: 'utf-8',
    dialect: { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', header: true }, schema: { missingValues: [''], ...schema },
  };
}

/** How to cite a series: the publisher's figures, through lacuna's record. */
export function citationOf(s: EvaluatedSeries, pageUrl: string, asOf: string | null, today: string): string {
  return `${s.publisher.name}, "${s.title}" (${s.unit}, ${s.frequency}), series ${s.id}; recorded by lacuna${asOf ? ` as of ${asOf}` : ''}, ${pageUrl} (accessed ${today}).`;
}

function licenceOf(s: EvaluatedSeries) {
  return {
    ...(s.publisher.url ? { path: s.publisher.url } : {}),
    name: 'publisher-terms',
    title: `The figures are as published by ${s.publisher.name}; their reuse is subject to its terms, which lacuna does not record. lacuna's own annotations (states, events) come with its source code under the MIT licence.`,
  };
}

export function seriesPackage(s: EvaluatedSeries, origin: string, asOf: string | null, now: number, provenances: string[]) {
  const id = encodeURIComponent(s.id);
  const q = asOf ? `?as_of=${asOf}` : '';
  const page = `${origin}/series/${id}${q}`;
  return {
    profile: 'tabular-data-package',
    name: `lacuna-${s.id.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`,
    title: s.title,
    ...(s.description ? { description: s.description } : {}),
    homepage: page,
    created: iso(now),
    keywords: s.topics,
    unit: s.unit,
    frequency: s.frequency,
    publisher: { id: s.publisher.id, name: s.publisher.name, url: s.publisher.url },
    as_of: asOf,
    citation: citationOf(s, page, asOf, iso(now).slice(0, 10)),
    licenses: [licenceOf(s)],
    sources: [
      ...(s.publisher.url ? [{ title: s.publisher.name, path: s.publisher.url }] : [{ title: s.publisher.name }]),
      ...(s.source ? [{ title: `Read by lacuna: ${Object.entries(s.source).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ')}` }] : []),
      ...provenances.map((p) => ({ title: `Bundled from ${p}` })),
    ],
    resources: [
      csvResource('periods', `${origin}/series/${id}.csv${q}`, 'Every expected period with its state', { fields: fields(GRID_FIELDS), primaryKey: ['series_id', 'period'] }),
      csvResource('values', `${origin}/series/${id}/values.csv${q}`, 'Every value lacuna recorded, revisions included', { fields: fields(VALUE_FIELDS) }),
      csvResource('events', `${origin}/events.csv?series=${id}${asOf ? `&as_of=${asOf}` : ''}`, 'Events with their citations, one row per citation', { fields: EVENT_FIELDS }),
    ],
  };
}

export function registerDownloadRoutes(app: Hono, deps: AppDeps): void {

  app.get('/series/:id{.+}/values.csv', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam, dl: dlParam, bom: bomParam });
    const id = c.req.param('id');
    const at = asOfInstant(q.as_of, deps.now());
    const s = getSeries(deps.db, id, at);
    if (!s) return c.json({ error: `unknown series: ${id}` }, 404);
    // As of a date: only what was on record then (published, or seen, by that date).
    const rows = observationHistory(deps.db, s.id).filter((o) => !q.as_of || (o.releasedAt ?? o.firstSeenAt) <= at);
    let sent = false;
    const stream = csvStream(VALUE_COLUMNS, () => (sent ? null : ((sent = true), rows.map((o) => [
      s.id, o.period, withoutFloatNoise(o.valueText), s.unit, o.origin === 'bundle' ? '' : iso(o.firstSeenAt),
      o.releasedAt === null ? '' : iso(o.releasedAt), iso(knownAt(o, s.frequency, s.release as ReleaseRule)),
      o.supersededAt === null || (q.as_of && o.supersededAt > at) ? '' : iso(o.supersededAt),
      o.withdrawnAt === null || (q.as_of && o.withdrawnAt > at) ? '' : iso(o.withdrawnAt), o.origin, o.provenance ?? '',
    ]))));
    return csvResponse(stream, `${id}-values.csv`, q.dl === '1', q.bom === '1');
  });

  app.get('/series/:id{.+}/datapackage.json', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam });
    const id = c.req.param('id');
    const now = deps.now();
    const s = getSeries(deps.db, id, asOfInstant(q.as_of, now));
    if (!s) return c.json({ error: `unknown series: ${id}` }, 404);
    const provenances = [...new Set(observationHistory(deps.db, s.id).filter((o) => o.origin === 'bundle' && o.provenance).map((o) => o.provenance!))];
    return c.json(seriesPackage(s, publicOrigin(deps), q.as_of ?? null, now, provenances));
  });

  app.get('/datapackage.json', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam });
    const origin = publicOrigin(deps);
    const qs = q.as_of ? `?as_of=${q.as_of}` : '';
    return c.json({
      profile: 'tabular-data-package',
      name: 'lacuna',
      title: 'lacuna: official statistics and the gaps in them',
      description: 'Every tracked series with the state of each expected period, and the dated events with citations that explain each gap.',
      homepage: `${origin}/`,
      created: iso(deps.now()),
      as_of: q.as_of ?? null,
      citation: `lacuna, the state of every tracked series${q.as_of ? ` as of ${q.as_of}` : ''}, ${origin}/export.csv${qs} (accessed ${iso(deps.now()).slice(0, 10)}). Cite each figure with its publisher: see each series' own datapackage.json.`,
      licenses: [{ name: 'publisher-terms', title: "The figures are as published by each publisher; their reuse is subject to the publisher's terms, which lacuna does not record. lacuna's own annotations (states, events) come with its source code under the MIT licence." }],
      resources: [
        csvResource('periods', `${origin}/export.csv${qs}`, 'Every expected period of every series with its state', { fields: fields(GRID_FIELDS), primaryKey: ['series_id', 'period'] }),
        csvResource('events', `${origin}/events.csv${qs}`, 'Events with their citations, one row per citation', { fields: EVENT_FIELDS }),
      ],
    });
  });
}
