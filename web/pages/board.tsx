// The board: every series with its status, last disclosed period, how long it has been dark,
// and a sparkline of its recent periods where gaps stay gaps.
import { DisclosureHeadline } from './disclosure.js';
import type { DisclosureHeadlineData } from '../../src/read/disclosure.js';
import { GAP_STATES, periodLabel, type Frequency, type PeriodCell } from '../../src/core/index.js';
import { stateLabel } from '../chart-data.js';
import type { BoardSummary, EvaluatedSeries, SeriesFilter } from '../../src/read/read-model.js';
import type { BoardPageRows, BoardSort } from '../../src/read/board.js';
import { DropEmptyFields, SeriesFilterFields } from './filters.js';
import { href, Layout, STATUSES, StatusBadge, statusLabel, ymd, ymdhm } from './layout.js';

/** States drawn hatched as well as coloured: the publisher withheld or removed the figure. */
const HATCHED = new Set(['suspended', 'discontinued', 'access_cut', 'withdrawn']);
/** Struck out (horizontal stripes): the publisher announced the period will never exist. */
const STRUCK = new Set(['cancelled']);

const SORT_OPTIONS: [BoardSort, string][] = [
  ['dark', 'Most recently dark first'], ['status', 'By status'], ['name', 'By name'], ['publisher', 'By publisher'],
];
const SORT_WORDS: Record<BoardSort, string> = {
  dark: 'the most recently gone dark first', status: 'by status, the darkest first', name: 'by name', publisher: 'by publisher',
};

/** Periods drawn in each row's sparkline (the board asks for only these). */
export const SPARK_CELLS = 60;
const W = 120;
const H = 28;
const PAD = 3;

/** An inline SVG of the last periods: disclosed values as lines broken at every gap, gaps as coloured cells. */
function Sparkline({ grid, frequency, title }: { grid: PeriodCell[]; frequency: Frequency; title: string }) {
  const cells = grid.slice(-SPARK_CELLS);
  if (!cells.length) return <span class="muted">no periods yet</span>;
  const step = W / cells.length;
  const values = cells.flatMap((c) => (c.state === 'disclosed' && c.value !== null ? [c.value] : []));
  const min = Math.min(...values);
  const max = Math.max(...values);
  const x = (i: number) => +(step * (i + 0.5)).toFixed(2);
  const y = (v: number) => +(max === min ? H / 2 : PAD + (H - 2 * PAD) * (1 - (v - min) / (max - min))).toFixed(2);

  // Runs of consecutive disclosed values: one polyline each, never joined across a gap.
  const runs: { x: number; y: number }[][] = [];
  let run: { x: number; y: number }[] | null = null;
  cells.forEach((c, i) => {
    if (c.state === 'disclosed' && c.value !== null) {
      if (!run) runs.push((run = []));
      run.push({ x: x(i), y: y(c.value) });
    } else if (c.state !== 'not_expected') {
      run = null; // a January folded into February is not a gap; anything else breaks the line
    }
  });

  const counts = new Map<string, number>();
  for (const c of cells) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  const first = cells[0]!.period;
  const last = cells.at(-1)!.period;
  const summary = `${title}, ${periodLabel(first, frequency)} to ${periodLabel(last, frequency)}: `
    + [...counts].map(([s, n]) => `${n} ${stateLabel(s as PeriodCell['state']).toLowerCase()}`).join(', ');

  return (
    <svg class="spark" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={summary} preserveAspectRatio="none">
      <title>{summary}</title>
      {cells.map((c, i) => (GAP_STATES.has(c.state) ? (
        <g class={`gap gap-${c.state}`}>
          <title>{`${periodLabel(c.period, frequency)}: ${stateLabel(c.state)}`}</title>
          <rect x={+(step * i).toFixed(2)} y="0" width={Math.max(+step.toFixed(2), 1)} height={H} />
          {HATCHED.has(c.state) || STRUCK.has(c.state) ? (
            <rect class="hatch" x={+(step * i).toFixed(2)} y="0" width={Math.max(+step.toFixed(2), 1)} height={H} fill={HATCHED.has(c.state) ? 'url(#spark-hatch)' : 'url(#spark-struck)'} />
          ) : null}
        </g>
      ) : null))}
      {runs.map((r) => (r.length === 1
        ? <circle class="spark-dot" cx={r[0]!.x} cy={r[0]!.y} r="1.6" />
        : <polyline class="spark-line" points={r.map((p) => `${p.x},${p.y}`).join(' ')} />))}
    </svg>
  );
}

/** Shared SVG definitions for the sparklines (the hatch laid over withheld periods). */
function SparkDefs() {
  return (
    <svg class="svg-defs" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        <pattern id="spark-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="1.6" height="4" fill="#ffffff" fill-opacity="0.6" />
        </pattern>
        <pattern id="spark-struck" width="4" height="4" patternUnits="userSpaceOnUse">
          <rect y="1.2" width="4" height="1.6" fill="#ffffff" fill-opacity="0.7" />
        </pattern>
      </defs>
    </svg>
  );
}

function Row({ s, asOf }: { s: EvaluatedSeries; asOf: string | null }) {
  const e = s.evaluation;
  const f = s.frequency;
  return (
    <tr data-status={e.status} data-series={s.id}>
      <th scope="row" class="series-cell">
        <a href={href(`/series/${encodeURIComponent(s.id)}`, { as_of: asOf })}>{s.title}</a>
        {s.titleLocal ? <span class="local" lang="zh">{s.titleLocal}</span> : null}
        <code class="series-id">{s.id}</code>
        <span class="watch muted" data-watched={s.sources.length ? 'live' : 'no'}>{s.sources.length
          ? `watched live: ${s.sources.map((b) => (b.role && b.role !== 'official' ? `${b.kind} (${b.role})` : b.kind)).join(', then ')}${s.lastRead ? `; read ${ymd(s.lastRead.at)}` : '; not read yet'}`
          : 'not watched live'}</span>
      </th>
      <td data-label="Publisher">{s.publisher.name}{s.country ? <span class="country muted" data-country={s.country.code}> · {s.country.name}</span> : null}</td>
      <td data-label="Frequency">{f}</td>
      <td class="status-cell" data-label="Status">
        <StatusBadge status={e.status} />
        {e.uncheckedFrom ? (
          <span class="unchecked" title={e.reason}>not checked from {periodLabel(e.uncheckedFrom, f)}</span>
        ) : null}
        {s.source && s.publisher.health === 'failing' ? (
          <span class="badge source-failing" title={s.publisher.lastError ?? undefined}>source unreachable</span>
        ) : null}
        {s.checkError ? <span class="badge source-failing" title={s.checkError}>cannot evaluate</span> : null}
        {s.source && s.sourceState.state === 'stale' ? <span class="badge source-failing" title={s.sourceState.error ?? undefined}>source stale</span> : null}
      </td>
      <td data-label="Last disclosed">{e.lastDisclosed ? <span title={e.lastDisclosed}>{periodLabel(e.lastDisclosed, f)}</span> : <span class="muted">none</span>}</td>
      <td data-label="Dark since (due)">{e.darkSince ? <time datetime={ymd(e.darkSince.dueAt)}>{ymd(e.darkSince.dueAt)}</time> : <span class="muted">—</span>}</td>
      <td class="num" data-label="Days overdue">{e.daysOverdue ?? <span class="muted">—</span>}</td>
      <td class="spark-cell" data-label={`Last ${SPARK_CELLS} periods`}><Sparkline grid={e.grid} frequency={f} title={s.title} /></td>
    </tr>
  );
}

export function BoardPage(props: {
  summary: BoardSummary; page: BoardPageRows; filter: SeriesFilter; sort: BoardSort; now: number; asOf: string | null; headline?: DisclosureHeadlineData | null;
}) {
  const { summary, page, filter, now, asOf, sort } = props;
  const filtered = !!(filter.status || filter.publisher || filter.topic || filter.country);
  const statusCounts = STATUSES.filter((st) => summary.byStatus[st]);
  const kept = { status: filter.status, publisher: filter.publisher, topic: filter.topic, country: filter.country, as_of: asOf, sort: sort === 'dark' ? undefined : sort };
  return (
    <Layout title="Board" asOf={asOf}>
      <section class="board-head">
        <h1>
          <strong class="dark-count">{summary.goneDark}</strong> of {summary.total} series have gone dark
        </h1>
        <p class="lede">
          Overdue, suspended or discontinued: the publisher stopped releasing them, said it would, or let them lapse.
          Evaluated at {ymdhm(now)}.
          {asOf ? ' Counts and table show each series as lacuna knew it then.' : null}
        </p>
        <DisclosureHeadline headline={props.headline ?? null} asOf={asOf} />
        <ul class="status-counts" aria-label="Series by status">
          <li>
            <a href={href('/', { status: 'dark', as_of: asOf })} class="badge status-dark">Gone dark</a> {summary.goneDark}
          </li>
          {statusCounts.map((st) => (
            <li>
              <a href={href('/', { status: st, as_of: asOf })} class={`badge status-${st}`}>{statusLabel(st)}</a> {summary.byStatus[st]}
            </li>
          ))}
        </ul>
      </section>

      <form id="filters" class="filters" method="get" action="/">
        <SeriesFilterFields summary={summary} filter={filter} />
        <label>
          Order
          <select name="sort">
            {SORT_OPTIONS.map(([value, text]) => <option value={value} selected={sort === value}>{text}</option>)}
          </select>
        </label>
        <label>
          As of
          <input type="date" name="as_of" value={asOf ?? ''} />
        </label>
        <button type="submit">Filter</button>
        {filtered || asOf ? <a class="clear" href="/">Clear</a> : null}
      </form>
      <DropEmptyFields form="filters" />

      <p class="muted count-line">
        {page.rows.length} shown of {page.total} {filtered ? 'matching ' : ''}series, {SORT_WORDS[sort]}.
        {' '}<a href="/statuses">What the status words mean</a>.
      </p>
      <SparkDefs />
      <div class="table-wrap board-wrap" tabindex={0}>
        <table class="board" data-testid="board">
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Publisher</th>
              <th scope="col">Frequency</th>
              <th scope="col">Status</th>
              <th scope="col">Last disclosed</th>
              <th scope="col"><abbr title="When the first missing period of the current dark run was due">Dark since (due)</abbr></th>
              <th scope="col" class="num">Days overdue</th>
              <th scope="col">Last {SPARK_CELLS} periods</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((s) => <Row s={s} asOf={asOf} />)}
          </tbody>
        </table>
      </div>
      {page.rows.length === 0 ? <p class="empty">No series match these filters.</p> : null}
      {page.hasNext || page.page > 1 ? (
        <p class="pager">
          {page.page > 1 ? <a rel="prev" href={href('/', { ...kept, page: page.page > 2 ? String(page.page - 1) : undefined })}>← Previous page</a> : null}
          {page.page > 1 && page.hasNext ? ' · ' : null}
          {page.hasNext ? <a rel="next" href={href('/', { ...kept, page: String(page.page + 1) })}>Next page →</a> : null}
        </p>
      ) : null}
      <p class="legend-note muted">
        Sparklines: the line joins consecutive disclosed values only; coloured cells are gaps (hatched when the publisher
        withheld or removed the figure). Hover a cell for its period and state.
      </p>
    </Layout>
  );
}
