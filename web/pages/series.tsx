// One series: what it is, its status and why, the chart with every gap labelled and explained,
// related series drawn beside it, the events with their citations, every period, revisions,
// fetch runs and downloads.
import {
  GAP_STATES, PERIOD_STATES, sdmxObsStatus, type PeriodCell, type PeriodState,
} from '../../src/core/index.js';
import type { fetchRuns as fetchRunsTable, observations } from '../../db/schema.js';
import { STATE_HELP, stateLabel, statusWords, type ChartData } from '../chart-data.js';
import type { EvaluatedSeries, EventView, RelatedSeries } from '../../src/read/read-model.js';
import { href, Layout, safeUrl, StatusBadge, statusLabel, ymd, ymdhm } from './layout.js';
import { withoutFloatNoise } from '../../src/formats/value-text.js';
import { BadgeEmbed } from './embed.js';
import { EventItem, MaybeLater, plabel } from './event-list.js';
import { PromiseTable, type CalendarReadRow } from './promise-table.js';
import type { PromiseView } from '../../src/read/promises.js';

type ObservationRow = typeof observations.$inferSelect;
type FetchRunRow = typeof fetchRunsTable.$inferSelect;

const ROLE_LABEL: Record<RelatedSeries['role'], string> = {
  successor: 'Successor', predecessor: 'Predecessor (replaced by this series)', proxy: 'Proxy',
  proxied: 'Stands in for (this series is its proxy)',
};
/** Withheld by the publisher: hatched as well as coloured, here and on the chart. */
const HATCHED = new Set<PeriodState>(['suspended', 'discontinued', 'access_cut', 'withdrawn']);
/** Announced never to exist: struck out (horizontal stripes), here and on the chart. */
const STRUCK = new Set<PeriodState>(['cancelled']);

/** JSON safe to put inside a <script> element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function Swatch({ state }: { state: string }) {
  const pattern = HATCHED.has(state as PeriodState) ? ' hatched' : STRUCK.has(state as PeriodState) ? ' struck' : '';
  return <span class={`swatch state-${state}${pattern}`} aria-hidden="true" />;
}

function Marks({ c }: { c: PeriodCell }) {
  const m = [c.marks.break ? 'break' : null, c.marks.revised ? 'revised' : null, c.marks.backfilled ? 'backfilled' : null].filter(Boolean);
  return <>{m.map((x) => <span class={`tag mark-${x}`}>{x}</span>)}</>;
}

/** A source block in words: its role unless official, and its period window. */
function sourceWords(b: Record<string, unknown>): string {
  const role = typeof b.role === 'string' && b.role !== 'official' ? ` (${b.role})` : '';
  const since = typeof b.since === 'string' ? ` from ${b.since}` : '';
  const until = typeof b.until === 'string' ? ` up to ${b.until}` : '';
  return `${role}${since}${until}`;
}

export function SeriesPage(props: {
  s: EvaluatedSeries; related: RelatedSeries[]; events: EventView[]; relatedEvents: EventView[]; chart: ChartData;
  history: ObservationRow[]; fetchRuns: FetchRunRow[]; now: number; asOf: string | null;
  /** The recent promised periods, promise beside delivery, and the calendar's reads. */
  promises?: PromiseView[]; calendarReads?: CalendarReadRow[];
  /** This site's address, for the embed snippets; without it they are root-relative. */
  origin?: string;
}) {
  const { s, related, events, relatedEvents, chart, now, asOf } = props;
  // In an as-of view, show only what lacuna knew then (the read model hands over everything).
  const history = asOf ? props.history.filter((o) => (o.releasedAt ?? o.firstSeenAt) <= now) : props.history;
  const fetchRuns = props.fetchRuns; // as of a date, the read model gives only the runs started by then
  const e = s.evaluation;
  const f = s.frequency;
  const id = encodeURIComponent(s.id);
  const eventById = new Map([...events, ...relatedEvents].map((ev) => [ev.id, ev]));
  const relatedById = new Map(related.map((r) => [r.series.id, r.series]));
  const drawn = new Set(chart.related.map((r) => r.id));
  const statesPresent = new Set(e.grid.map((c) => c.state));
  const hasValues = e.grid.some((c) => c.value !== null);

  // Revision history: periods with more than one stored value.
  const byPeriod = new Map<string, ObservationRow[]>();
  for (const o of history) byPeriod.set(o.period, [...(byPeriod.get(o.period) ?? []), o]);
  const revisedPeriods = [...byPeriod].filter(([, rows]) => rows.length > 1).reverse();

  const pubUrl = s.publisher.url ? safeUrl(s.publisher.url) : null;
  const q = { as_of: asOf };
  const origin = props.origin ?? '';

  return (
    <Layout title={s.title} asOf={asOf} feed={`/series/${id}/feed.atom`} share={{
      description: statusWords(s), url: `${origin}${href(`/series/${id}`, q)}`,
      image: `${origin}${href(`/series/${id}/chart.png`, q)}`, imageAlt: `Chart of ${s.title}: ${statusWords(s)}`,
    }}>
      <article class="series" data-series={s.id}>
        <header class="series-head">
          <p class="crumbs"><a href={href('/', q)}>Board</a> › <code>{s.id}</code></p>
          <h1>{s.title}</h1>
          {s.titleLocal ? <p class="local-title" lang="zh">{s.titleLocal}</p> : null}
          <div class="status-line">
            <StatusBadge status={e.status} />
            <p class="reason">{e.reason} <a class="define" href={`/statuses#status-${e.status}`}>What “{statusLabel(e.status)}” means</a></p>
          </div>
          {s.checkError ? (
            <p class="source-warning" role="note">
              <span class="badge source-failing">cannot evaluate</span> lacuna cannot evaluate this series from what it has stored:{' '}
              <code>{s.checkError}</code>. Its periods are not shown until the record is fixed; the status is the last one lacuna recorded.
            </p>
          ) : null}
          {s.retractedAt !== null ? (
            <p class="retracted-note" role="note">
              This series left the catalogue on {ymd(s.retractedAt)}. lacuna keeps what it fetched and recorded, shown
              here, but no longer reads its source, checks it or alerts on it, and lists it nowhere (board, timeline,
              exports, disclosure index). Adding it back to the catalogue brings it back.
            </p>
          ) : null}
          {s.source && s.publisher.health !== 'ok' ? (
            <p class="source-warning" role="note">
              {s.publisher.health === 'blocked'
                ? <><span class="badge source-failing">source blocked</span> the publisher refuses lacuna (a firewall or captcha answer)</>
                : <><span class="badge source-failing">source unreachable</span> lacuna could not reach the publisher</>}
              {s.publisher.lastError ? <>: <code>{s.publisher.lastError}</code></> : null}. This says nothing about whether the publisher released the figure.
            </p>
          ) : null}
          <dl class="facts">
            <div><dt>Publisher</dt><dd>{pubUrl ? <a href={pubUrl} rel="noopener">{s.publisher.name}</a> : s.publisher.name}
              {s.publisher.nameLocal ? <span lang="zh"> {s.publisher.nameLocal}</span> : null}</dd></div>
            {s.country ? <div><dt>Country</dt><dd><a href={href('/', { country: s.country.code, as_of: asOf })} data-country={s.country.code}>{s.country.name}</a></dd></div> : null}
            <div><dt>Unit</dt><dd>{s.unit}</dd></div>
            <div><dt>Watched live</dt><dd data-watched={s.sources.length ? 'live' : 'no'}>{s.sources.length ? (
              <>{s.sources.length > 1 ? 'from, in order of preference: ' : 'from '}
                {s.sources.map((b, i) => (
                  <>{i ? ', then ' : ''}<code>{String(b.kind)}</code>{sourceWords(b)}</>
                ))}
                {s.lastRead ? <span class="muted"> · last read {ymdhm(s.lastRead.at)} from {s.lastRead.source}</span> : <span class="muted"> · not read yet</span>}
                {!asOf && s.nextFetchAt !== null ? <span class="muted"> · next read {ymdhm(s.nextFetchAt)}</span> : null}
                {!asOf && s.sourceState.state === 'stale' ? (
                  <span class="source-stale" data-source-state="stale"> · <span class="badge source-failing">source stale</span> {s.sourceState.error}: the periods after it stay unknown, not missing</span>
                ) : null}</>
            ) : <span class="muted">no: its values come from the bundled catalogue</span>}
              {s.sources.length ? (
                <details class="source-blocks"><summary>{s.sources.length > 1 ? 'the source blocks' : 'the source block'}</summary>
                  {s.sources.map((b) => <code>{Object.entries(b).map(([k, v]) => (k === 'kind' ? String(v) : `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)).join(' ')}</code>)}
                </details>
              ) : null}</dd></div>
            <div><dt>Frequency</dt><dd>{f}</dd></div>
            <div><dt>Last disclosed</dt><dd>{e.lastDisclosed ? plabel(e.lastDisclosed, f) : 'never'}</dd></div>
            {e.darkSince ? <div><dt>Dark since</dt><dd>{plabel(e.darkSince.period, f)}, due {ymd(e.darkSince.dueAt)}</dd></div> : null}
            {e.daysOverdue !== null ? <div><dt>Days overdue</dt><dd>{e.daysOverdue}</dd></div> : null}
            {s.topics.length ? <div><dt>Topics</dt><dd>{s.topics.map((t) => <a class="tag" href={href('/', { topic: t, as_of: asOf })}>{t}</a>)}</dd></div> : null}
            <div><dt>Record complete up to</dt><dd>{s.checkedAt === null ? 'never checked against the source' : ymdhm(Math.min(s.checkedAt, now))}</dd></div>
            <div><dt>Evaluated at</dt><dd>{ymdhm(now)}</dd></div>
          </dl>
          {s.description ? <MaybeLater asOf={asOf} tag="p" cls="description" text={s.description} /> : null}
        </header>

        <section class="chart-section" id="chart" aria-labelledby="chart-h">
          <h2 id="chart-h">Chart</h2>
          {hasValues ? null : (
            <p class="empty-series" role="note" data-testid="empty-series">
              <strong>No value on record.</strong>{' '}
              {s.source
                ? `lacuna reads this series from its source (${s.source.kind}) but holds no value from it yet${s.checkedAt === null ? ': the source has not been read' : ''}.`
                : 'No values are bundled for this series and lacuna reads no source for it, so the chart shows only the state of each period.'}
              {' '}{events.length ? 'Its events and their citations are below.' : ''}
              {s.notes ? ' The notes at the foot of the page say what is known about its figures.' : ''}
            </p>
          )}
          <div class="chart-layout">
            <div class="chart-box">
              <canvas id="series-chart" role="img"
                aria-label={`${s.title}: every expected period, values where disclosed, shaded bands for each gap. The periods table below has the same data.`}>
                The chart needs JavaScript; the periods table below lists every period.
              </canvas>
            </div>
            <aside id="citation-panel" aria-live="polite" class="citation-panel">
              <p class="muted">Click a shaded band (or a gap in the list below) to see the event that explains it and its citations.</p>
            </aside>
          </div>
          {chart.bands.length ? (
            <details class="band-list" open={chart.bands.length <= 12}>
              <summary>Gaps on the chart ({chart.bands.length})</summary>
              <ol>
                {chart.bands.map((b, i) => (
                  <li>
                    <Swatch state={b.state} />{' '}
                    <a href={b.eventId ? `#event-${b.eventId}` : `#period-${b.from}`} data-band={i}>{b.label}</a>
                    {b.eventId ? null : <span class="muted"> (no event on record)</span>}
                  </li>
                ))}
              </ol>
            </details>
          ) : null}
          <ul class="state-legend" aria-label="Period states">
            {PERIOD_STATES.filter((st) => st !== 'not_due' || statesPresent.has(st)).map((st) => (
              <li class={statesPresent.has(st) ? '' : 'absent'}>
                {st === 'disclosed' ? <span class="swatch line" aria-hidden="true" /> : <Swatch state={st} />}{' '}
                <strong>{stateLabel(st)}</strong>: {STATE_HELP[st]}{GAP_STATES.has(st) && HATCHED.has(st) ? ' (hatched)' : STRUCK.has(st) ? ' (struck out)' : ''}
              </li>
            ))}
            <li><span class="swatch break" aria-hidden="true" /> <strong>Method break</strong>: the method changes from this period; values before and after are not comparable</li>
          </ul>
          <p class="chart-downloads">
            Take this chart: <a href={href(`/series/${id}/chart.png`, { ...q, dl: '1' })} download>PNG</a>
            {' · '}<a href={href(`/series/${id}/chart.svg`, { ...q, dl: '1' })} download>SVG</a>
            {' · '}<a href="#embed-h">embed it</a> (an iframe with the attribution)
          </p>
          <script type="application/json" id="chart-data" dangerouslySetInnerHTML={{ __html: scriptJson(chart) }} />
          <script src="/assets/chart.umd.min.js"></script>
          <script src="/assets/chartjs-plugin-annotation.min.js"></script>
          <script src="/assets/series-chart.js"></script>
        </section>

        {related.length ? (
          <section aria-labelledby="related-h">
            <h2 id="related-h">Related series</h2>
            <p class="muted">Drawn beside this series, never joined: a successor or proxy measures something different.</p>
            <ul class="related">
              {related.map((r) => (
                <li>
                  <span class="tag">{ROLE_LABEL[r.role]}</span>{' '}
                  <a href={href(`/series/${encodeURIComponent(r.series.id)}`, q)}>{r.series.title}</a>{' '}
                  <StatusBadge status={r.series.evaluation.status} />{' '}
                  <span class="muted">
                    {r.series.unit}, {r.series.frequency}
                    {r.series.evaluation.lastDisclosed ? `, last disclosed ${plabel(r.series.evaluation.lastDisclosed, r.series.frequency)}` : ''}
                    {drawn.has(r.series.id) ? ', on the chart' : ', not on the chart (different frequency or no periods)'}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        <PromiseTable seriesId={s.id} frequency={f} calendar={s.calendar} promises={props.promises ?? []} reads={props.calendarReads ?? []} asOf={asOf} />

        <section aria-labelledby="events-h">
          <h2 id="events-h">Events</h2>
          {events.length ? (
            <ol class="events" data-testid="events">
              {events.map((ev) => <EventItem e={ev} f={f} asOf={asOf} />)}
            </ol>
          ) : <p class="muted" data-testid="events">No events recorded for this series.</p>}
          {relatedEvents.length ? (
            <>
              <h3>Events of related series</h3>
              <ol class="events related-events">
                {relatedEvents.map((ev) => {
                  const rs = relatedById.get(ev.seriesId);
                  return <EventItem e={ev} f={rs?.frequency ?? f} seriesTitle={rs?.title ?? ev.seriesId} asOf={asOf} />;
                })}
              </ol>
            </>
          ) : null}
        </section>

        <section aria-labelledby="periods-h">
          <h2 id="periods-h">Periods</h2>
          <p class="muted">Every expected period, newest first. SDMX is the nearest OBS_STATUS code (A normal, B break, O missing, L not collected, K included in another period).</p>
          <div class="table-wrap" tabindex={0}>
            <table class="periods" data-testid="periods">
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col" class="num">Value</th>
                  <th scope="col">State</th>
                  <th scope="col">SDMX</th>
                  <th scope="col">Marks</th>
                  <th scope="col">Due</th>
                  <th scope="col">First seen</th>
                  <th scope="col">Explained by</th>
                </tr>
              </thead>
              <tbody>
                {[...e.grid].reverse().map((c) => {
                  const ev = c.eventId ? eventById.get(c.eventId) : undefined;
                  return (
                    <tr data-state={c.state} class={`state-row row-${c.state}`} id={`period-${c.period}`}>
                      <th scope="row">
                        <span title={c.period}>{plabel(c.period, f)}</span>{' '}
                        <a class="permalink" href={`#period-${c.period}`} aria-label={`Link to ${plabel(c.period, f)}`}>#</a>
                      </th>
                      <td class="num">{c.valueText !== null ? withoutFloatNoise(c.valueText) : c.value === null ? '' : String(c.value)}</td>
                      <td><Swatch state={c.state} /> {stateLabel(c.state)}</td>
                      <td><code>{sdmxObsStatus(c)}</code></td>
                      <td><Marks c={c} /></td>
                      <td>{ymd(c.dueAt)}</td>
                      <td>{c.firstSeenAt === null ? (c.value === null ? '' : <span class="muted" title="bundled with the catalogue: lacuna did not see it published">bundled</span>) : ymd(c.firstSeenAt)}</td>
                      <td>{c.eventId ? <a href={`#event-${c.eventId}`}>{ev?.title ?? c.eventId}</a> : null}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>

        {revisedPeriods.length ? (
          <section aria-labelledby="revisions-h">
            <h2 id="revisions-h">Revision history</h2>
            <p class="muted">Periods whose value changed: every value lacuna stored, oldest first within a period. Nothing is overwritten.</p>
            <div class="table-wrap" tabindex={0}>
              <table class="revisions">
                <thead>
                  <tr>
                    <th scope="col">Period</th><th scope="col" class="num">Value</th><th scope="col">First seen</th>
                    <th scope="col">Superseded</th><th scope="col">Withdrawn</th><th scope="col">Origin</th><th scope="col">Provenance</th>
                  </tr>
                </thead>
                <tbody>
                  {revisedPeriods.flatMap(([period, rows]) => rows.map((o, i) => (
                    <tr class={o.supersededAt && o.supersededAt <= now ? 'superseded' : 'current'}>
                      <th scope="row">{i === 0 ? plabel(period, f) : ''}</th>
                      <td class="num">
                        {o.supersededAt && o.supersededAt <= now ? <del>{withoutFloatNoise(o.valueText)}</del> : withoutFloatNoise(o.valueText)}
                        {/* The publisher's status, so a change of status alone (P to A) reads as one. */}
                        {o.obsStatus ? <span class="muted" title="the publisher's observation status"> ({o.obsStatus})</span> : null}
                      </td>
                      <td>{o.origin === 'bundle' ? <span class="muted">bundled</span> : ymdhm(o.firstSeenAt)}</td>
                      <td>{o.supersededAt && o.supersededAt <= now ? ymdhm(o.supersededAt) : 'current'}</td>
                      <td>{o.withdrawnAt && o.withdrawnAt <= now ? ymdhm(o.withdrawnAt) : ''}</td>
                      <td>{o.origin}</td>
                      <td class="provenance">{o.provenance ?? ''}</td>
                    </tr>
                  )))}
                </tbody>
              </table>
            </div>
          </section>
        ) : null}

        <section aria-labelledby="runs-h">
          <h2 id="runs-h">Fetch runs</h2>
          {!asOf && s.source && s.sourceState.state === 'misconfigured' ? (
            <p class="source-warning source-misconfigured" role="note" data-source-state="misconfigured">
              <span class="badge source-failing">source misconfigured</span> the publisher answered, but not for this series
              {s.sourceState.since !== null ? <> (since {ymdhm(s.sourceState.since)})</> : null}
              {s.sourceState.error ? <>: <code>{s.sourceState.error}</code></> : null}. Check its <code>source:</code> block in the catalogue;
              its periods stay unknown, never missing, until a read succeeds.
            </p>
          ) : null}
          {fetchRuns.length ? (
            <div class="table-wrap" tabindex={0}>
              <table class="fetch-runs">
                <thead>
                  <tr>
                    <th scope="col">Started</th><th scope="col">Outcome</th><th scope="col">HTTP</th><th scope="col" class="num">Bytes</th>
                    <th scope="col" class="num">Added</th><th scope="col" class="num">Revised</th><th scope="col" class="num">Withdrawn</th>
                    <th scope="col">Source</th><th scope="col">Archived answer</th><th scope="col">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {fetchRuns.map((r) => (
                    <tr data-outcome={r.outcome ?? 'running'}>
                      <td>{ymdhm(r.startedAt)}</td>
                      <td><span class={`tag outcome-${r.outcome ?? 'running'}`}>{(r.outcome ?? 'running').replace('_', ' ')}</span></td>
                      <td>{r.httpStatus ?? ''}</td>
                      <td class="num">{r.bytes ?? ''}</td>
                      <td class="num">{r.added}</td>
                      <td class="num">{r.revised}</td>
                      <td class="num">{r.withdrawn}</td>
                      <td><code>{r.sourceLabel ?? r.source}</code>{r.trigger !== 'schedule' ? <span class="muted"> ({r.trigger})</span> : null}{r.stale ? <span class="muted" title={r.stale}> (stale)</span> : null}</td>
                      <td>
                        {(JSON.parse(r.rawHashes) as string[]).map((h, i) => (
                          <a class="raw" href={`/raw/${h}`} title={`sha256 ${h}${r.url ? ` from ${r.url}` : ''}`}>{i ? ` p${i + 1}` : h.slice(0, 10)}</a>
                        ))}
                        {r.outcome === 'no_change' && r.contentHash ? <a class="raw" href={`/raw/${r.contentHash}`} title="same answer as before">same</a> : null}
                      </td>
                      <td class="error">{r.error ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : <p class="muted">No fetch runs yet{s.source ? '' : ': this series has no source to fetch; its values come from the bundled catalogue'}.</p>}
        </section>

        <section aria-labelledby="downloads-h">
          <h2 id="downloads-h">Downloads</h2>
          <ul class="downloads">
            <li><a href={href(`/series/${id}.csv`, q)}>CSV</a> (every expected period with its state; opens in the browser)</li>
            <li><a href={href(`/series/${id}.csv`, { ...q, dl: '1' })}>CSV download</a> (<a href={href(`/series/${id}.csv`, { ...q, dl: '1', bom: '1' })}>for Excel</a>: with a byte-order mark, so Chinese text reads right)</li>
            <li><a href={href(`/series/${id}/values.csv`, q)}>Values CSV</a>: every value recorded, revisions included, with <code>first_seen_at</code> and <code>published_at</code>, origin and provenance</li>
            <li><a href={href(`/series/${id}/datapackage.json`, q)}>datapackage.json</a>: title, unit, publisher, sources, licence terms, how to cite, and every column's type and meaning (Frictionless Data Package)</li>
            <li><a href={href(`/api/series/${id}`, q)}>JSON: series and events</a></li>
            <li><a href={href(`/api/series/${id}/observations`, q)}>JSON: periods and values</a></li>
            <li><a href={href('/events.csv', { series: s.id, ...q })}>Events CSV</a> (one row per citation)</li>
            {s.calendar ? <li><a href={href(`/series/${id}/promises.csv`, q)}>Promises CSV</a>: promise and delivery, one row per promised period (<a href={href(`/api/series/${id}/promises`, q)}>JSON</a>, with every version)</li> : null}
            <li><a href={`/series/${id}/feed.atom`}>Atom feed</a> of this series' alerts (stops and comebacks)</li>
          </ul>
        </section>

        <BadgeEmbed seriesId={s.id} title={s.title} origin={origin} asOf={asOf} publisher={s.publisher.name} />

        <footer class="series-foot">
          {s.notes ? <><h2>Notes</h2><MaybeLater asOf={asOf} tag="p" cls="notes" text={s.notes} /></> : null}
          {s.catalogueFile ? <p class="muted">Catalogue file: <code>{s.catalogueFile}</code></p> : null}
        </footer>
      </article>
    </Layout>
  );
}
