// /gaps: the tracked series on one time axis, 100 a page (keyset, with the board's filters), one row
// each, coloured and patterned by period state, grouped by publisher or topic, with the explaining
// events; /gaps.csv: the same cells as CSV, read a chunk of series at a time.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { nextPeriod, parseDay, periodStart, sdmxObsStatus, type PeriodState } from '../../src/core/index.js';
import { monthOf } from '../../src/core/disclosure.js';
import { DEFAULT_FROM_MONTH } from '../../src/read/disclosure.js';
import { stateLabel } from '../chart-data.js';
import { csvResponse, csvStream } from '../csv.js';
import { groupRows, runLabel, runsOf, type GapRun, type TimelineRow } from '../gaps-model.js';
import { DropEmptyFields, SeriesFilterFields } from '../pages/filters.js';
import { href, Layout, StatusBadge } from '../pages/layout.js';
import { asOfInstant, asOfParam, bomParam, countryParam, dlParam, idParam, monthParam, monthRange, parseQuery, statusParam, topicParam } from '../query.js';
import { boardSummary, listEvents, listSeries, seriesChunks, type EvaluatedSeries, type EventView } from '../../src/read/read-model.js';
import { everySeriesAsOf } from '../heavy.js';

const W = 1000;
/** Patterns so the states read without colour too (and a text label in every tooltip). */
const PATTERNS: Partial<Record<PeriodState, string>> = {
  suspended: 'hatch', cancelled: 'hlines', discontinued: 'cross', missing: 'dots', access_cut: 'vlines', withdrawn: 'hatch', late: 'dots',
};
const LEGEND: PeriodState[] = ['disclosed', 'late', 'missing', 'suspended', 'cancelled', 'discontinued', 'withdrawn', 'access_cut', 'not_expected', 'unknown', 'not_due'];

interface Window { from: number; to: number; fromMonth: string; toMonth: string }

/** The window a request asks for (a 400 when it is empty), the end by default the month of `at`. */
function windowOf(q: { from?: string | undefined; to?: string | undefined }, at: number): Window {
  const { from: fromMonth, to: toMonth } = monthRange(q, { from: DEFAULT_FROM_MONTH, to: monthOf(at) });
  return { from: periodStart(fromMonth, 'monthly'), to: periodStart(nextPeriod(toMonth, 'monthly'), 'monthly'), fromMonth, toMonth };
}

/** Series per page of /gaps (keyset, like the board), and per chunk of /gaps.csv. */
const PAGE = 100;
const CSV_CHUNK = 50;
const AS_OF_CSV_CHUNK = 10;

/** The window's events of each series. */
function eventsBySeries(events: readonly EventView[], w: Window): Map<string, EventView[]> {
  const bySeries = new Map<string, EventView[]>();
  for (const e of events) {
    const t = parseDay(e.date);
    if (t >= w.from && t < w.to) bySeries.set(e.seriesId, [...(bySeries.get(e.seriesId) ?? []), e]);
  }
  return bySeries;
}

const timeline = (rows: readonly EvaluatedSeries[], events: Map<string, EventView[]>, w: Window): TimelineRow[] =>
  rows.map((s) => ({ series: s, runs: runsOf(s.evaluation.grid, s.frequency, w.from, w.to), events: events.get(s.id) ?? [] }));

export function registerGapsRoutes(app: Hono, deps: AppDeps): void {
  const params = {
    group: z.enum(['publisher', 'topic', 'country']).optional(), from: monthParam, to: monthParam, as_of: asOfParam,
    status: statusParam, publisher: idParam, topic: topicParam, country: countryParam,
  };

  app.get('/gaps', (c) => {
    const q = parseQuery(c.req.query(), { ...params, after: idParam });
    const at = asOfInstant(q.as_of, deps.now());
    const render = () => deps.pages!.page(c, q, () => {
    const w = windowOf(q, at);
    const by = q.group ?? 'publisher';
    const filter = { status: q.status, publisher: q.publisher, topic: q.topic, country: q.country };
    const page = listSeries(deps.db, filter, at, { after: q.after, limit: PAGE, asOf: !!q.as_of });
    const events = eventsBySeries(listEvents(deps.db, q.as_of ? { until: q.as_of } : {}), w);
    const groups = groupRows(timeline(page.rows, events, w), by);
    const kept = { group: q.group, from: q.from, to: q.to, as_of: q.as_of, ...filter };
    const filtered = !!(filter.status || filter.publisher || filter.topic || filter.country);
    return (
      <Layout title="Gaps timeline" asOf={q.as_of ?? null}>
        <div class="gaps-page">
          <h1>Gaps timeline</h1>
          <p class="lede">
            Every tracked series on one time axis, {w.fromMonth} to {w.toMonth}: where each was disclosed and where it went dark,
            with the event that explains each gap. Hover a band for its periods, state and event; click it for the series page.
          </p>
          <form id="gap-filters" class="filters" method="get" action="/gaps">
            <label>Group by <select name="group"><option value="publisher" selected={by === 'publisher'}>publisher</option><option value="topic" selected={by === 'topic'}>topic</option><option value="country" selected={by === 'country'}>country</option></select></label>
            <label>From <input type="month" name="from" value={w.fromMonth} /></label>
            <label>To <input type="month" name="to" value={w.toMonth} /></label>
            <SeriesFilterFields summary={boardSummary(deps.db)} filter={filter} />
            {q.as_of ? <input type="hidden" name="as_of" value={q.as_of} /> : null}
            <button type="submit">Show</button>
            <a href={href('/gaps.csv', { ...kept, group: undefined, dl: '1' })}>Download CSV</a>
          </form>
          <DropEmptyFields form="gap-filters" />
          <p class="muted count-line">
            {page.rows.length} shown of {page.total} {filtered ? 'matching ' : ''}series{page.total > PAGE ? `, ${PAGE} a page` : ''}.
          </p>
          <Patterns />
          <Legend />
          {groups.map((g) => (
            <section class="gap-group" aria-labelledby={`g-${g.key}`}>
              <h2 id={`g-${g.key}`}>{g.label} <span class="muted">({g.rows.length})</span></h2>
              <div class="table-wrap" tabindex={0}>
                <table class="gaps">
                  <thead><tr><th scope="col" class="gap-label">Series</th><th scope="col" class="axis"><Axis w={w} /></th></tr></thead>
                  <tbody>{g.rows.map((r) => <Row row={r} w={w} asOf={q.as_of} />)}</tbody>
                </table>
              </div>
            </section>
          ))}
          {page.rows.length === 0 ? <p class="empty">No series match these filters.</p> : null}
          {q.after || page.nextCursor ? (
            <p class="pager">
              {q.after ? <a href={href('/gaps', kept)}>← First page</a> : null}
              {q.after && page.nextCursor ? ' · ' : null}
              {page.nextCursor ? <a rel="next" href={href('/gaps', { ...kept, after: page.nextCursor })}>Next page →</a> : null}
            </p>
          ) : null}
        </div>
      </Layout>
    );
    });
    // As of a date, a status filter needs every series' status then.
    return q.as_of && q.status ? everySeriesAsOf(deps, c, at, render) : render();
  });

  app.get('/gaps.csv', (c) => {
    const q = parseQuery(c.req.query(), { ...params, dl: dlParam, bom: bomParam });
    const at = asOfInstant(q.as_of, deps.now());
    const w = windowOf(q, at);
    // The explaining event of a cell may be dated before the window: titles come from all of them.
    const titles = new Map(listEvents(deps.db, q.as_of ? { until: q.as_of } : {}).map((e) => [e.id, e.title]));
    // Series are read and evaluated a chunk at a time as the client reads, so memory stays flat.
    // As of a date each chunk is evaluated from the facts as the client reads: a smaller one, so
    // that no read holds the event loop long.
    const answer = (chunks: Iterator<EvaluatedSeries[]>) => {
    const stream = csvStream(
      ['series_id', 'publisher', 'frequency', 'period', 'state', 'sdmx_obs_status', 'event_id', 'event_title', 'country'],
      () => {
        const next = chunks.next();
        if (next.done) return null;
        return next.value.flatMap((s) => {
          const f = s.frequency;
          return s.evaluation.grid
            .filter((cell) => periodStart(cell.period, f) >= w.from && periodStart(cell.period, f) < w.to)
            .map((cell) => [s.id, s.publisher.id, f, cell.period, cell.state, sdmxObsStatus(cell), cell.eventId ?? '', cell.eventId ? titles.get(cell.eventId) ?? '' : '', s.country?.code ?? '']);
        });
      },
    );
    return csvResponse(stream, 'lacuna-gaps.csv', q.dl === '1', q.bom === '1');
    };
    const filter = { status: q.status, publisher: q.publisher, topic: q.topic, country: q.country };
    // As of a date with a status filter, every series' status then is needed first: computed a
    // slice at a time under the gate, then streamed.
    if (q.as_of && q.status) {
      return everySeriesAsOf(deps, c, at, () => answer([...seriesChunks(deps.db, filter, at, { asOf: true, size: AS_OF_CSV_CHUNK })][Symbol.iterator]()));
    }
    return answer(seriesChunks(deps.db, filter, at, { asOf: !!q.as_of, size: q.as_of ? AS_OF_CSV_CHUNK : CSV_CHUNK }));
  });
}

const x = (t: number, w: Window) => ((t - w.from) / (w.to - w.from)) * W;

function Axis({ w }: { w: Window }) {
  const years: number[] = [];
  for (let y = new Date(w.from).getUTCFullYear(); Date.UTC(y, 0, 1) < w.to; y++) if (Date.UTC(y, 0, 1) >= w.from) years.push(y);
  const step = Math.max(1, Math.ceil(years.length / 12));
  return (
    <svg class="gap-axis" viewBox={`0 0 ${W} 16`} preserveAspectRatio="none" role="img" aria-label={`time axis ${w.fromMonth} to ${w.toMonth}`}>
      {years.filter((_, i) => i % step === 0).map((y) => (
        <text x={x(Date.UTC(y, 0, 1), w) + 2} y="12" font-size="11">{y}</text>
      ))}
    </svg>
  );
}

function Row({ row, w, asOf }: { row: TimelineRow; w: Window; asOf: string | undefined }) {
  const s = row.series;
  const page = `/series/${encodeURIComponent(s.id)}${asOf ? `?as_of=${asOf}` : ''}`;
  const eventTitle = new Map(row.events.map((e) => [e.id, e]));
  return (
    <tr data-series={s.id}>
      <th scope="row" class="gap-label">
        <a href={page}>{s.title}</a>
        <StatusBadge status={s.evaluation.status} />
      </th>
      <td class="gap-cell">
        <svg class="gap-row" viewBox={`0 0 ${W} 14`} preserveAspectRatio="none" role="group" aria-label={`${s.title}: ${describe(row)}`}>
          {row.runs.map((r) => <RunRect r={r} w={w} page={page} s={s} event={r.eventId ? eventTitle.get(r.eventId) : undefined} />)}
          {row.events.map((e) => (
            <a href={`${page}#event-${e.id}`}>
              <path d={`M${x(parseDay(e.date), w)} 0 l4 6 l-8 0 z`} class="gap-event"><title>{`${e.date}: ${e.title} (${e.kind.replace('_', ' ')}, ${e.confidence.replace('_', ' ')})`}</title></path>
            </a>
          ))}
        </svg>
      </td>
    </tr>
  );
}

function RunRect({ r, w, page, s, event }: { r: GapRun; w: Window; page: string; s: TimelineRow['series']; event: EventView | undefined }) {
  const left = x(r.start, w);
  const width = Math.max(0.6, x(r.end, w) - left);
  const pattern = PATTERNS[r.state];
  const tip = `${s.title}: ${runLabel(r, s.frequency)}, ${stateLabel(r.state)}${event ? ` — ${event.title} (${event.date})` : ''}`;
  const href = r.eventId ? `${page}#event-${r.eventId}` : `${page}#period-${r.from}`;
  return (
    <a href={href}>
      <rect x={left} y="3" width={width} height="11" class={`gap-run state-${r.state}`} data-state={r.state}><title>{tip}</title></rect>
      {pattern ? <rect x={left} y="3" width={width} height="11" fill={`url(#gap-${pattern})`} pointer-events="none" /> : null}
    </a>
  );
}

function describe(row: TimelineRow): string {
  const dark = row.runs.filter((r) => !['disclosed', 'not_due', 'not_expected', 'unknown'].includes(r.state));
  return dark.length ? dark.map((r) => `${stateLabel(r.state)} ${runLabel(r, row.series.frequency)}`).join('; ') : 'no gaps in this window';
}

function Patterns() {
  return (
    <svg class="svg-defs" width="0" height="0" aria-hidden="true">
      <defs>
        <pattern id="gap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2" /></pattern>
        <pattern id="gap-cross" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0 0L6 6M6 0L0 6" stroke="#fff" stroke-width="1" /></pattern>
        <pattern id="gap-dots" width="5" height="5" patternUnits="userSpaceOnUse"><circle cx="2.5" cy="2.5" r="1.2" fill="#fff" /></pattern>
        <pattern id="gap-vlines" width="4" height="4" patternUnits="userSpaceOnUse"><line x1="1" y1="0" x2="1" y2="4" stroke="#fff" stroke-width="1.5" /></pattern>
        <pattern id="gap-hlines" width="4" height="4" patternUnits="userSpaceOnUse"><line x1="0" y1="2" x2="4" y2="2" stroke="#fff" stroke-width="1.5" /></pattern>
      </defs>
    </svg>
  );
}

function Legend() {
  return (
    <ul class="gap-legend" aria-label="Period states">
      {LEGEND.map((st) => (
        <li>
          <svg width="28" height="12" aria-hidden="true">
            <rect width="28" height="12" class={`gap-run state-${st}`} />
            {PATTERNS[st] ? <rect width="28" height="12" fill={`url(#gap-${PATTERNS[st]})`} /> : null}
          </svg>
          {stateLabel(st)}
        </li>
      ))}
      <li><svg width="12" height="12" aria-hidden="true"><path d="M6 2 l4 6 l-8 0 z" class="gap-event" /></svg> event (hover for its title)</li>
    </ul>
  );
}
