// The political and holiday calendar (catalogue/calendar.yaml) with what happened to releases
// around each entry: the gaps, delays and suspensions lacuna has on record within two weeks of it.
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { formatDay, parseDay } from '../../src/core/index.js';
import { Layout } from '../pages/layout.js';
import { asOfInstant, asOfParam, parseQuery } from '../query.js';
import { listCalendar, listEvents, periodDue, seriesTitle, type CalendarView, type EventView } from '../../src/read/read-model.js';

const DAY = 86_400_000;
const WINDOW_DAYS = 14;

interface NearbyEvent {
  event: EventView;
  seriesTitle: string;
  /** For a delay: when the first delayed period was due, when it came out, and the days between. */
  dueOn: string | null;
  releasedOn: string | null;
  daysLate: number | null;
}

/** Events of kinds that mean "not on time" dated within the window around a calendar entry. */
function eventsAround(deps: AppDeps, entry: CalendarView, all: EventView[]): NearbyEvent[] {
  const from = parseDay(entry.from) - WINDOW_DAYS * DAY;
  const to = parseDay(entry.to) + WINDOW_DAYS * DAY;
  const near = all.filter((e) => ['delayed', 'suspension_announced', 'cancelled', 'discontinued', 'line_dropped', 'access_cut'].includes(e.kind)
    && parseDay(e.date) >= from && parseDay(e.date) <= to);
  return near.map((e) => {
    let dueOn: string | null = null;
    let releasedOn: string | null = null;
    const due = e.kind === 'delayed' && e.periodFrom ? periodDue(deps.db, e.seriesId, e.periodFrom) : null;
    if (due) {
      dueOn = formatDay(due.dueAt);
      // The release is the series' next "resumed" event after the delay, when the catalogue has one.
      releasedOn = all.find((r) => r.seriesId === e.seriesId && r.kind === 'resumed' && r.date >= e.date)?.date ?? null;
    }
    const daysLate = dueOn && releasedOn ? Math.round((parseDay(releasedOn) - parseDay(dueOn)) / DAY) : null;
    return { event: e, seriesTitle: seriesTitle(deps.db, e.seriesId) ?? e.seriesId, dueOn, releasedOn, daysLate };
  });
}

export function registerCalendarRoutes(app: Hono, deps: AppDeps): void {
  app.get('/calendar', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam });
    return deps.pages!.page(c, q, () => {
    const at = asOfInstant(q.as_of, deps.now());
    const day = formatDay(at);
    const all = listEvents(deps.db, { until: day });
    const entries = listCalendar(deps.db).filter((e) => e.from <= day);
    return (
      <Layout title="Political calendar" asOf={q.as_of ?? null}>
        <div class="calendar-page">
          <h1>Political calendar and releases</h1>
          <p class="lede">
            Party Congresses, plenums, the Two Sessions and holidays, each with its source, and the delays, suspensions and
            dropped lines lacuna has on record within {WINDOW_DAYS} days of each. The same entries are drawn on the series charts.
          </p>
          {entries.length ? entries.map((entry) => <CalendarEntry entry={entry} near={eventsAround(deps, entry, all)} />)
            : <p class="muted">No calendar entries in the catalogue (catalogue/calendar.yaml).</p>}
        </div>
      </Layout>
    );
    });
  });
}

function CalendarEntry({ entry, near }: { entry: CalendarView; near: NearbyEvent[] }) {
  return (
    <section class="calendar-entry" id={`calendar-${entry.id}`} aria-labelledby={`cal-${entry.id}`}>
      <h2 id={`cal-${entry.id}`}>{entry.title}</h2>
      <p>
        <span class="tag">{entry.kind.replace('_', ' ')}</span> {entry.from === entry.to ? entry.from : `${entry.from} – ${entry.to}`}
        {' · '}
        {entry.citations.map((ct, i) => <>{i ? '; ' : ''}<a href={ct.url} rel="noopener">{ct.title}</a> ({ct.publisher}{ct.date ? `, ${ct.date}` : ''})</>)}
      </p>
      {near.length ? (
        <div class="table-wrap" tabindex={0}>
          <table>
            <thead><tr><th scope="col">Date</th><th scope="col">What</th><th scope="col">Series</th><th scope="col">Due</th><th scope="col">Released</th><th scope="col" class="num">Days late</th><th scope="col">Confidence</th></tr></thead>
            <tbody>
              {near.map((n) => (
                <tr>
                  <td>{n.event.date}{n.event.dateApproximate ? ' (approx.)' : ''}</td>
                  <td><a href={`/series/${encodeURIComponent(n.event.seriesId)}#event-${n.event.id}`}>{n.event.title}</a> <span class="tag">{n.event.kind.replace('_', ' ')}</span></td>
                  <td>{n.seriesTitle}</td>
                  <td>{n.dueOn ?? '—'}</td>
                  <td>{n.releasedOn ?? '—'}</td>
                  <td class="num">{n.daysLate ?? '—'}</td>
                  <td>{n.event.confidence.replace('_', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="muted">No delay, suspension or dropped line on record within {WINDOW_DAYS} days.</p>}
    </section>
  );
}
