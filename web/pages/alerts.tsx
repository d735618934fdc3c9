// The alerts page: which status changes alert, the channels alerts go to (with their last error:
// a permanent failure disables a channel), the Atom feeds, and every alert sent so far, each row
// anchored at #flip-<id> so that links in alerts land on it.
import type { AlertMessage } from '../../src/alerts/types.js';
import type { ChannelView } from '../../src/read/alerts.js';
import {
  alertsOn, DARK_STATUSES, DEFAULT_ALERT_OPTIONS, SERIES_STATUSES, type AlertOptions, type SeriesStatus,
} from '../../src/core/index.js';
import { DropEmptyFields } from './filters.js';
import { hostOf, href, Layout, safeUrl, StatusBadge, ymdhm } from './layout.js';


const KIND_LABEL: Record<string, string> = { status: 'Status change', source: 'Source health', reminder: 'Reminder', promise: 'Promise' };
const KINDS = ['status', 'source', 'reminder', 'promise'] as const;
const HEALTH_LABEL: Record<string, string> = { ok: 'Reachable', failing: 'Failing' };

const kindLabel = (k: string) => KIND_LABEL[k] ?? k;

/** A source's health: the word and a colour, like a status badge. */
function HealthBadge({ health }: { health: string }) {
  return <span class={`badge health-${health}`} data-health={health}>{HEALTH_LABEL[health] ?? health}</span>;
}

/** A badge for either kind of value an alert changes: a series status, or a source's health. */
function ChangeBadge({ m, value }: { m: AlertMessage; value: string }) {
  if (m.kind === 'promise') return <span class="promise-date">{value || '—'}</span>;
  return m.kind === 'source' ? <HealthBadge health={value} /> : <StatusBadge status={value} />;
}

type Statuses = readonly SeriesStatus[] | 'any';
export interface AlertRule { from: Statuses; to: Statuses; note: string }

/**
 * The rules of src/core/alert-rules.ts written out for readers, in its order: the first row that
 * matches a change governs it. Whether a row alerts is not written here but asked of alertsOn.
 */
export const ALERT_RULES: readonly AlertRule[] = [
  { from: ['new', 'no_record'], to: 'any', note: 'The first evaluation of a series, or the first record of one lacuna held nothing of: lacuna has just started tracking it.' },
  { from: 'any', to: ['paused'], note: 'Someone paused the series: they chose not to hear about it.' },
  { from: ['paused'], to: 'any', note: 'Leaving a pause is quiet too; the next real change alerts as usual.' },
  { from: ['current', 'unchecked'], to: ['late'], note: 'Past its expected date but within the grace period: most releases come within it (LACUNA_ALERT_ON_LATE=on makes it alert). When the date passed is one the publisher promised on its release calendar, it alerts whatever the setting: a broken promise, named in the alert.' },
  { from: 'any', to: ['overdue'], note: 'Past the grace period with no value and no word from the publisher: has it stopped?' },
  { from: 'any', to: ['suspended'], note: 'An announced suspension covers the series. Once per change, not every day.' },
  { from: 'any', to: ['discontinued'], note: 'The series was stopped, dropped or replaced.' },
  { from: [...DARK_STATUSES], to: ['current'], note: 'Resumed. When the comeback starts a new method, the alert says from which period: do not join it to the old line.' },
  { from: ['late'], to: ['current'], note: 'Released within its grace period.' },
  { from: ['unchecked'], to: ['current'], note: 'lacuna read the periods it had no record of: its record caught up, nothing happened at the publisher.' },
];

const matches = (list: Statuses, s: SeriesStatus) => list === 'any' || list.includes(s);

/** The row that governs a change (the first that matches), if any. */
export function ruleFor(from: SeriesStatus, to: SeriesStatus): AlertRule | undefined {
  return ALERT_RULES.find((r) => matches(r.from, from) && matches(r.to, to));
}

/** Whether the changes a row governs alert, asked of alertsOn; null if they disagree (a wrong table). */
export function ruleAlerts(rule: AlertRule, options: AlertOptions): boolean | null {
  const answers = new Set<boolean>();
  for (const from of SERIES_STATUSES) {
    for (const to of SERIES_STATUSES) if (from !== to && ruleFor(from, to) === rule) answers.add(alertsOn(from, to, options));
  }
  return answers.size === 1 ? [...answers][0]! : null;
}

function StatusList({ list }: { list: Statuses }) {
  if (list === 'any') return <span class="muted">any status</span>;
  return <>{list.map((s, i) => <>{i ? <span class="muted"> or </span> : null}<StatusBadge status={s} /></>)}</>;
}

function AlertWord({ alerts }: { alerts: boolean }) {
  return alerts ? <strong class="rule-alerts">Alerts</strong> : <span class="rule-quiet">Quiet</span>;
}

function RulesTable({ options }: { options: AlertOptions }) {
  return (
    <div class="table-wrap" tabindex={0}>
      <table class="alert-rules" data-testid="alert-rules">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Alert?</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {ALERT_RULES.map((r) => (
            <tr data-alerts={String(ruleAlerts(r, options))}>
              <td><StatusList list={r.from} /></td>
              <td><StatusList list={r.to} /></td>
              <td><AlertWord alerts={ruleAlerts(r, options) === true} /></td>
              <td class="note">{r.note}</td>
            </tr>
          ))}
          <tr data-alerts="true">
            <td><HealthBadge health="ok" /></td>
            <td><HealthBadge health="failing" /></td>
            <td><AlertWord alerts={true} /></td>
            <td class="note" rowspan={2}>
              A publisher's source cannot be read, or can again. One alert per source, not one per series: its series
              are not called late or missing while lacuna cannot reach it.
            </td>
          </tr>
          <tr data-alerts="true">
            <td><HealthBadge health="failing" /></td>
            <td><HealthBadge health="ok" /></td>
            <td><AlertWord alerts={true} /></td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function ChannelRow({ c }: { c: ChannelView }) {
  const broken = !c.enabled && !!c.lastError;
  return (
    <tr id={`channel-${c.id}`} class={broken ? 'channel-broken' : c.enabled ? undefined : 'channel-off'} data-channel={c.id} data-enabled={String(c.enabled)}>
      <th scope="row"><code>{c.id}</code></th>
      <td>{c.kind}</td>
      <td>
        {c.enabled
          ? <span class="badge channel-enabled">Enabled</span>
          : <span class="badge channel-disabled">Disabled</span>}
      </td>
      <td class="follows">{c.follows}</td>
      <td>{c.digest ? `${c.digest} digest` : 'each alert'}</td>
      <td>{c.origin}</td>
      <td>{c.lastSentAt ? <time datetime={new Date(c.lastSentAt).toISOString()}>{ymdhm(c.lastSentAt)}</time> : <span class="muted">never</span>}</td>
      <td class="num">{c.pending}</td>
      <td class="num">{c.sent}</td>
      <td class="num">{c.failed}</td>
      <td class={`error${c.lastError ? (broken ? ' channel-error' : ' channel-warning') : ''}`}>
        {c.lastError ? (
          <>
            <span class="error-text">{c.lastError}</span>
            {c.lastErrorAt ? <span class="error-at"> <time datetime={new Date(c.lastErrorAt).toISOString()}>{ymdhm(c.lastErrorAt)}</time></span> : null}
          </>
        ) : <span class="muted">none</span>}
      </td>
    </tr>
  );
}

function ChannelsSection({ channels }: { channels: ChannelView[] }) {
  const broken = channels.filter((c) => !c.enabled && c.lastError);
  return (
    <section aria-labelledby="channels-h">
      <h2 id="channels-h">Channels</h2>
      {broken.length ? (
        <div class="channel-alarm" role="alert">
          <p>
            <strong>{broken.length === 1 ? '1 channel was' : `${broken.length} channels were`} disabled after a permanent failure.</strong>{' '}
            Its alerts are kept and are sent once the channel is fixed and enabled again.
          </p>
          <ul>
            {broken.map((c) => (
              <li><a href={`#channel-${c.id}`}><code>{c.id}</code></a>: {c.lastError}{c.lastErrorAt ? ` (${ymdhm(c.lastErrorAt)})` : ''}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {channels.length ? (
        <div class="table-wrap" tabindex={0}>
          <table class="channels" data-testid="channels">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Follows</th>
                <th scope="col">Sends</th>
                <th scope="col">Defined in</th>
                <th scope="col">Last sent</th>
                <th scope="col" class="num">Pending</th>
                <th scope="col" class="num">Sent</th>
                <th scope="col" class="num">Failed</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => <ChannelRow c={c} />)}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">No channels. Add webhook or email channels in alerts.yaml; the feeds below need none.</p>
      )}
      <p class="muted">
        A failure that retrying cannot fix (a webhook that answers 404, a rejected address) disables the channel; other
        failures are retried with a growing wait. Either way the alerts stay pending, so nothing is lost.
      </p>
    </section>
  );
}

function Evidence({ m }: { m: AlertMessage }) {
  if (!m.events.length) return null;
  return (
    <ul class="alert-evidence">
      {m.events.map((e) => {
        const url = e.url ? safeUrl(e.url) : null;
        return (
          <li>
            {url ? <a href={url} rel="noopener">{e.title}</a> : <span>{e.title}</span>}
            {url ? <span class="host"> ({hostOf(url)})</span> : null}
            {e.date ? <span class="muted"> · {e.date}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

function Subject({ m }: { m: AlertMessage }) {
  const page = safeUrl(m.links.page);
  if (m.series) {
    return (
      <>
        {page ? <a href={page}>{m.series.title}</a> : <span>{m.series.title}</span>}
        <code class="series-id">{m.series.id}</code>
        <span class="muted alert-publisher">{m.publisher.name}</span>
      </>
    );
  }
  return <span>{m.publisher.name}</span>;
}

function FlipRow({ m }: { m: AlertMessage }) {
  const anchor = `flip-${m.flipId}`;
  return (
    <tr id={anchor} data-flip={String(m.flipId)} data-kind={m.kind}>
      <td class="when">
        <a class="flip-link" href={`#${anchor}`} title="Link to this alert">
          <time datetime={new Date(m.at).toISOString()}>{ymdhm(m.at)}</time>
        </a>
      </td>
      <td>{kindLabel(m.kind)}</td>
      <th scope="row" class="series-cell"><Subject m={m} /></th>
      <td class="change">
        {m.kind === 'reminder' ? (
          <>still <ChangeBadge m={m} value={m.to} /></>
        ) : (
          <><ChangeBadge m={m} value={m.from} /> <span aria-label="to">→</span> <ChangeBadge m={m} value={m.to} /></>
        )}
        {m.resumed ? <span class="tag">resumed</span> : null}
        {m.breakAt ? <span class="tag mark-break" title="The comeback starts a new method">method break at {m.breakAt}</span> : null}
      </td>
      <td class="what">
        <p class="alert-title">{m.title}</p>
        <p class="alert-text">{m.text}</p>
        <Evidence m={m} />
      </td>
    </tr>
  );
}

export function AlertsPage(props: {
  messages: AlertMessage[]; channels: ChannelView[]; now: number; filter: { series?: string; kind?: string }; options?: AlertOptions;
}) {
  const { messages, channels, now, filter, options = DEFAULT_ALERT_OPTIONS } = props;
  const filtered = !!(filter.series || filter.kind);
  return (
    <Layout title="Alerts">
      <section class="alerts-head">
        <h1>Alerts</h1>
        <p class="lede">
          lacuna alerts when a series goes dark or comes back: overdue, suspended, discontinued, or resumed. It stays quiet
          about ordinary lateness and about its own start-up. Alerts go to the channels below and to the Atom feeds, and every
          one is listed here. Page generated at {ymdhm(now)}.
        </p>
      </section>

      <section aria-labelledby="rules-h">
        <h2 id="rules-h">Which changes alert</h2>
        <p>The first row that matches a change decides.</p>
        <RulesTable options={options} />
      </section>

      <ChannelsSection channels={channels} />

      <section aria-labelledby="feeds-h" class="feeds">
        <h2 id="feeds-h">Feeds</h2>
        <p>Atom feeds need no sign-up: add one to any feed reader.</p>
        <ul>
          <li><a href="/feed.atom" type="application/atom+xml">All alerts</a> <code>/feed.atom</code></li>
          {filter.series ? (
            <li>
              <a href={`/series/${encodeURIComponent(filter.series)}/feed.atom`} type="application/atom+xml">This series</a>{' '}
              <code>{`/series/${filter.series}/feed.atom`}</code>
            </li>
          ) : null}
          <li>One series: <code>/series/&lt;series id&gt;/feed.atom</code> (linked from each series page)</li>
          <li>One topic: <code>/topics/&lt;topic&gt;/feed.atom</code>, e.g. <a href="/topics/labour/feed.atom" type="application/atom+xml"><code>/topics/labour/feed.atom</code></a></li>
          <li>One publisher: <code>/publishers/&lt;publisher id&gt;/feed.atom</code></li>
        </ul>
      </section>

      <section aria-labelledby="history-h">
        <h2 id="history-h">History</h2>
        <form id="alert-filters" class="filters" method="get" action="/alerts">
          <label>
            Kind
            <select name="kind">
              <option value="">All kinds</option>
              {KINDS.map((k) => <option value={k} selected={filter.kind === k}>{kindLabel(k)}</option>)}
            </select>
          </label>
          <label>
            Series id
            <input type="text" name="series" value={filter.series ?? ''} placeholder="e.g. cn.nbs.unemployment.urban.age16_24" />
          </label>
          <button type="submit">Filter</button>
          {filtered ? <a class="clear" href="/alerts">Clear</a> : null}
        </form>
        <DropEmptyFields form="alert-filters" />
        <p class="muted count-line">
          {messages.length} alert{messages.length === 1 ? '' : 's'}{filtered ? ' matching' : ''}, newest first. Times are UTC.
        </p>
        {messages.length ? (
          <div class="table-wrap" tabindex={0}>
            <table class="alert-history" data-testid="alert-history">
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Series or publisher</th>
                  <th scope="col">Change</th>
                  <th scope="col">What happened</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => <FlipRow m={m} />)}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="empty">
            {filtered
              ? <>No alerts match these filters. <a href={href('/alerts')}>Show all alerts</a>.</>
              : 'No alerts yet.'}
          </p>
        )}
      </section>
    </Layout>
  );
}
