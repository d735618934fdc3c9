// The disclosure index: month by month, the share of tracked series each publisher or each country
// (and all of them together) disclosed on schedule. One line chart per group plus one overall, drawn by
// /assets/disclosure.js from JSON embedded in the page, and a table with the same numbers.
import { periodLabel } from '../../src/core/period.js';
import type { DisclosureCount } from '../../src/core/disclosure.js';
import type { DisclosureHeadlineData, DisclosureView } from '../../src/read/disclosure.js';
import { href, Layout } from './layout.js';

/** '83.3%' or '—' when nothing was due. */
export function percent(share: number | null): string {
  return share === null ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

const monthLabel = (m: string) => periodLabel(m, 'monthly');

/** JSON safe to put inside a <script> element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The definition, in the words the core's comment uses (src/core/disclosure.ts). */
function DisclosureDefinition() {
  return (
    <div class="definition">
      <p>
        For each month, <strong>due</strong> counts the series with a release due that month whose state lacuna can judge:
        periods with no record, not yet due, or not expected on their own (a January folded into February) are left out.
        <strong> On schedule</strong> counts those of them that disclosed every release due that month no later than the end
        of its grace period: a value that came only after the grace (marked <em>backfilled</em>) is not on schedule, and a
        period that is late, missing, suspended, discontinued, withdrawn or cut off counts as due and not on schedule.{' '}
        <strong>Share</strong> = on schedule ÷ due; a month with nothing due has no share (—), not 0 %.
      </p>
      <p class="muted">
        Every series weighs one, whatever its frequency, so a daily series cannot swamp the monthly ones. Access series
        (whether a database or service answers users abroad) have their own line, <em>Access to databases and services</em>,
        and are not in <em>All publishers</em> or a publisher's column. A due date's month is read in the publisher's time zone. For history lacuna imported rather than watched, the release is
        taken to have happened on its scheduled date, so those months measure whether a figure was disclosed at all, not how
        punctually. A month is incomplete until every release due in it is past its grace. In the latest months, periods
        lacuna has not checked yet have no record and are left out, while a series whose suspension or discontinuation
        was announced is judged at once: read those months together with their <em>due</em> count.
      </p>
    </div>
  );
}

function Count({ c }: { c: DisclosureCount }) {
  return c.due
    ? <>{percent(c.share)} <span class="muted">({c.onSchedule} of {c.due})</span></>
    : <span class="muted" title="nothing due">— (0 due)</span>;
}

interface ChartSpec {
  id: string;
  title: string;
  share: (number | null)[];
  due: number[];
  onSchedule: number[];
  /** Month still open at the evaluation instant (releases within grace, see settledAt). */
  incomplete: boolean[];
}

export type DisclosureBy = 'publisher' | 'country';

/** The columns of the index: each publisher or each country, with its short label and its counts. */
export function groupsOf(view: DisclosureView, by: DisclosureBy): { id: string; name: string; label: string; pick: (m: DisclosureView['months'][number]) => DisclosureCount }[] {
  return by === 'country'
    ? view.countries.map((c) => ({ id: c.code, name: c.name, label: c.code, pick: (m) => m.byCountry[c.code]! }))
    : view.publishers.map((p) => ({ id: p.id, name: p.name, label: p.id.toUpperCase(), pick: (m) => m.byPublisher[p.id]! }));
}

function chartSpecs(view: DisclosureView, by: DisclosureBy): ChartSpec[] {
  const spec = (id: string, title: string, pick: (m: DisclosureView['months'][number]) => DisclosureCount): ChartSpec => ({
    id, title,
    share: view.months.map((m) => pick(m).share),
    due: view.months.map((m) => pick(m).due),
    onSchedule: view.months.map((m) => pick(m).onSchedule),
    incomplete: view.months.map((m) => m.settledAt > view.at),
  });
  return [
    spec('all', by === 'country' ? 'All countries' : 'All publishers', (m) => m.overall),
    ...groupsOf(view, by).map((g) => spec(g.id, g.name, g.pick)),
    spec('access', 'Access to databases and services', (m) => m.access),
  ];
}

/** The latest complete month with something due in a chart, for its caption. */
function latestWord(c: ChartSpec, months: string[]): string {
  for (let i = c.due.length - 1; i >= 0; i--) {
    if (c.due[i] && !c.incomplete[i]) return `${monthLabel(months[i]!)}: ${percent(c.share[i]!)} (${c.onSchedule[i]} of ${c.due[i]} on schedule)`;
  }
  return 'no complete month with anything due in this range';
}

export function DisclosurePage({ view, asOf, by = 'publisher' }: { view: DisclosureView; asOf: string | null; by?: DisclosureBy }) {
  const charts = chartSpecs(view, by);
  const groups = groupsOf(view, by);
  const months = view.months.map((m) => m.month);
  const q = { from: view.from, to: view.to, as_of: asOf, by: by === 'country' ? by : undefined };
  const all = by === 'country' ? 'All countries' : 'All publishers';
  return (
    <Layout title="Disclosure index" asOf={asOf}>
      <section class="disclosure-head">
        <h1>Disclosure index</h1>
        <p class="lede">
          The share of tracked series disclosed on schedule, month by month, for each {by} and overall:{' '}
          {view.seriesCount} series, {monthLabel(view.from)} to {monthLabel(view.to)}.
        </p>
        <p class="view-switch">
          {by === 'country'
            ? <><a href={href('/disclosure', { ...q, by: undefined })}>by publisher</a> · <strong>by country</strong></>
            : <><strong>by publisher</strong> · <a href={href('/disclosure', { ...q, by: 'country' })}>by country</a></>}
        </p>
        <DisclosureDefinition />
        <form class="filters" method="get" action="/disclosure" aria-label="Range">
          <label>From <input type="month" name="from" value={view.from} pattern="\d{4}-\d{2}" placeholder="YYYY-MM" /></label>
          <label>To <input type="month" name="to" value={view.to} pattern="\d{4}-\d{2}" placeholder="YYYY-MM" /></label>
          <label>As of <input type="date" name="as_of" value={asOf ?? ''} /></label>
          {by === 'country' ? <input type="hidden" name="by" value="country" /> : null}
          <button type="submit">Show</button>
        </form>
      </section>

      <section aria-labelledby="charts-h">
        <h2 id="charts-h">Charts</h2>
        <p class="muted">One chart per {by}, each its own line: 0–100 % disclosed on schedule. A break in a line is a month with nothing due. The table below has the same numbers.</p>
        <div class="disclosure-charts">
          {charts.map((c) => (
            <figure class="disclosure-chart" {...{ [`data-${by}`]: c.id }}>
              <figcaption><strong>{c.title}</strong> <span class="muted">{latestWord(c, months)}</span></figcaption>
              <div class="chart-box small">
                <canvas id={`disclosure-chart-${c.id}`} role="img"
                  aria-label={`${c.title}: share disclosed on schedule by month, ${monthLabel(view.from)} to ${monthLabel(view.to)}. The table below has the same numbers.`}>
                  The chart needs JavaScript; the table below lists every month.
                </canvas>
              </div>
            </figure>
          ))}
        </div>
        <script type="application/json" id="disclosure-data"
          dangerouslySetInnerHTML={{ __html: scriptJson({ months, labels: months.map(monthLabel), charts }) }} />
        <script src="/assets/chart.umd.min.js"></script>
        <script src="/assets/disclosure.js"></script>
      </section>

      <section aria-labelledby="table-h">
        <h2 id="table-h">By month</h2>
        <p class="muted">Newest first. Each cell: share on schedule (on schedule of due).</p>
        <div class="table-wrap" tabindex={0}>
          <table class="disclosure-table" data-testid="disclosure-table">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">{all}</th>
                {groups.map((g) => <th scope="col" title={g.name}>{g.label}</th>)}
                <th scope="col" title="Access to databases and services">Access</th>
              </tr>
            </thead>
            <tbody>
              {[...view.months].reverse().map((m) => (
                <tr id={`month-${m.month}`} data-month={m.month}>
                  <th scope="row">
                    <span title={m.month}>{monthLabel(m.month)}</span>
                    {m.settledAt > view.at ? <span class="incomplete">incomplete: releases still within grace</span> : null}
                  </th>
                  <td {...{ [`data-${by}`]: 'all' }}><Count c={m.overall} /></td>
                  {groups.map((g) => <td {...{ [`data-${by}`]: g.id }}><Count c={g.pick(m)} /></td>)}
                  <td {...{ [`data-${by}`]: 'access' }}><Count c={m.access} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted">Columns: {groups.map((g, i) => <>{i ? '; ' : ''}<abbr title={g.name}>{g.label}</abbr> = {g.name}</>)}.</p>
      </section>

      <section aria-labelledby="dl-h">
        <h2 id="dl-h">Downloads</h2>
        <ul class="downloads">
          <li><a href={href('/disclosure.csv', q)}>CSV</a> (one row per month and {by}, and an <code>all</code> row per month)</li>
          <li><a href={href('/disclosure.csv', { ...q, dl: '1' })}>CSV download</a></li>
          <li><a href={href('/api/disclosure', q)}>JSON</a></li>
        </ul>
      </section>
    </Layout>
  );
}

/**
 * The board's headline: the latest complete month's overall share against the same month a
 * year earlier. Renders nothing when there is no complete month with anything due.
 */
export function DisclosureHeadline({ headline, asOf = null }: { headline: DisclosureHeadlineData | null; asOf?: string | null }) {
  if (!headline) return <></>;
  const { latest, yearEarlier } = headline;
  return (
    <p class="disclosure-headline" data-testid="disclosure-headline">
      In {monthLabel(latest.month)}, <strong>{percent(latest.share)}</strong> of the statistical series with a release due
      disclosed it on schedule ({latest.onSchedule} of {latest.due} series),{' '}
      {yearEarlier.due
        ? <>against {percent(yearEarlier.share)} in {monthLabel(yearEarlier.month)} ({yearEarlier.onSchedule} of {yearEarlier.due}).</>
        : <>with nothing due in {monthLabel(yearEarlier.month)} to compare.</>}{' '}
      <a href={href('/disclosure', { as_of: asOf })}>Disclosure index</a>
    </p>
  );
}
