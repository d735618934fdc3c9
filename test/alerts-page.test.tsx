// The alerts page: the rules table, the channels with their last error (a disabled channel's in
// red), the feeds, and one anchored row per alert with its evidence links.
import { describe, expect, it } from 'vitest';
import type { AlertMessage } from '../src/alerts/types.js';
import { alertsOn, DEFAULT_ALERT_OPTIONS, SERIES_STATUSES } from '../src/core/index.js';
import { ALERT_RULES, AlertsPage, ruleAlerts, ruleFor } from '../web/pages/alerts.js';
import type { ChannelView } from '../src/read/alerts.js';

const SITE = 'https://lacuna.example.org';
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const YOUTH_PAGE = `${SITE}/series/${YOUTH}`;
const NBS = { id: 'nbs', name: 'National Bureau of Statistics of China' };
const ICEBOX = 'https://icebox.rexun.cn/yaowen/2023/0815/0815113189.html';
const OEEEE = 'https://m.mp.oeeee.com/a/BAAFRD000020240117901056.html';

const series = { id: YOUTH, title: 'Urban surveyed unemployment rate, ages 16-24 (old basis, including students)', frequency: 'monthly', topics: ['labour', 'youth'] };
const links = (flipId: number, page = YOUTH_PAGE) => ({ page, chart: `${page}#chart`, csv: `${page}.csv`, alerts: `${SITE}/alerts#flip-${flipId}` });

const messages: AlertMessage[] = [
  {
    flipId: 63, kind: 'source', at: Date.UTC(2024, 2, 2, 6, 0),
    title: 'Source failing: National Bureau of Statistics of China',
    text: 'lacuna cannot read National Bureau of Statistics of China: HTTP 503 <Service Unavailable>. Its series are not marked late or missing for this; they wait until the source answers again.',
    series: null, publisher: NBS, from: 'ok', to: 'failing', resumed: false, breakAt: null, period: null, dueAt: null,
    events: [], links: { page: `${SITE}/alerts#flip-63`, chart: `${SITE}/alerts#flip-63#chart`, csv: `${SITE}/export.csv`, alerts: `${SITE}/alerts#flip-63` },
  },
  {
    flipId: 57, kind: 'status', at: Date.UTC(2024, 0, 17, 9, 15),
    title: 'Resumed with a method break: Urban surveyed unemployment rate, ages 16-24',
    text: 'A value for December 2023 is on record. The comeback starts a new method at Dec 2023: do not join it to the old line.',
    series, publisher: NBS, from: 'suspended', to: 'current', resumed: true, breakAt: '2023-12', period: '2023-12', dueAt: null,
    events: [{
      id: 'cn-nbs-youth-1624-excl-students-method-change-2024-01-17', kind: 'method_change',
      title: 'Resumed on a new basis: students now excluded (break at December 2023)', date: '2024-01-17', url: OEEEE,
    }],
    links: links(57),
  },
  {
    flipId: 41, kind: 'status', at: Date.UTC(2023, 7, 15, 2, 30),
    title: 'Suspended: Urban surveyed unemployment rate, ages 16-24 (old basis, including students)',
    text: 'An announced suspension covers July 2023. July 2023 was due by 2023-08-24.',
    series, publisher: NBS, from: 'current', to: 'suspended', resumed: false, breakAt: null, period: '2023-07', dueAt: Date.UTC(2023, 7, 24, 2),
    events: [{
      id: 'cn-nbs-youth-1624-suspension-announced-2023-08-15', kind: 'suspension_announced',
      title: 'NBS suspends the age-group urban unemployment rates from the July 2023 data', date: '2023-08-15', url: ICEBOX,
    }],
    links: links(41),
  },
];

const channels: ChannelView[] = [
  {
    id: 'newsroom-hook', kind: 'webhook', enabled: false, origin: 'file', follows: 'topics: labour', digest: null,
    lastError: 'webhook channel newsroom-hook: HTTP 404 Not Found', lastErrorAt: Date.UTC(2024, 0, 17, 9, 16),
    lastSentAt: Date.UTC(2023, 7, 15, 2, 31), pending: 1, sent: 1, failed: 1,
  },
  {
    id: 'desk-mail', kind: 'email', enabled: true, origin: 'cli', follows: 'everything', digest: 'daily',
    lastError: null, lastErrorAt: null, lastSentAt: Date.UTC(2024, 0, 18, 0, 0), pending: 0, sent: 3, failed: 0,
  },
];

const now = Date.UTC(2024, 2, 2, 6, 5);

function render(props: Partial<Parameters<typeof AlertsPage>[0]> = {}): string {
  return String(<AlertsPage messages={messages} channels={channels} now={now} filter={{}} {...props} />);
}

/** The HTML of the element that starts at `open` (an opening tag's text), up to its closing tag. */
function element(html: string, open: string, tag: string): string {
  const start = html.indexOf(open);
  expect(start, `${open} not found`).toBeGreaterThanOrEqual(0);
  const end = html.indexOf(`</${tag}>`, start);
  return html.slice(start, end + tag.length + 3);
}

describe('AlertsPage', () => {
  const html = render();

  it('is a full page in the shared layout', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Alerts · lacuna</title>');
    expect(html).toContain('<a href="/feed.atom"');
  });

  it('documents which changes alert: every change is governed by a row that says what alertsOn does', () => {
    for (const options of [DEFAULT_ALERT_OPTIONS, { alertOnLate: true }]) {
      for (const from of SERIES_STATUSES) {
        for (const to of SERIES_STATUSES) {
          if (from === to) continue;
          const rule = ruleFor(from, to);
          // A change no row names must be quiet (the page says only the listed ones alert).
          if (!rule) expect(alertsOn(from, to, options), `${from} -> ${to}`).toBe(false);
          else expect(ruleAlerts(rule, options), `${from} -> ${to}`).toBe(alertsOn(from, to, options));
        }
      }
    }
    const rules = element(html, '<table class="alert-rules"', 'table');
    const rows = rules.split('<tr').slice(2); // the header row and what comes before it
    expect(rows).toHaveLength(ALERT_RULES.length + 2); // and the two source rows
    expect(rows.filter((r) => r.includes('data-alerts="null"'))).toEqual([]);
    const late = rows.find((r) => r.includes('data-status="current"') && r.includes('data-status="late"'))!;
    expect(late).toContain('data-alerts="false"');
    expect(rows.some((r) => r.includes('any status') && r.includes('data-status="suspended"') && r.includes('data-alerts="true"'))).toBe(true);
    expect(rules).toContain('One alert per source, not one per series');
    expect(rules).toContain('first evaluation');
  });

  it('shows current to late as alerting when LACUNA_ALERT_ON_LATE is on', () => {
    const on = element(render({ options: { alertOnLate: true } }), '<table class="alert-rules"', 'table');
    const late = on.split('<tr').find((r) => r.includes('data-status="current"') && r.includes('data-status="late"'))!;
    expect(late).toContain('data-alerts="true"');
  });

  it('shows a disabled channel with its last error, prominently', () => {
    const row = element(html, '<tr id="channel-newsroom-hook"', 'tr');
    expect(row).toContain('class="channel-broken"');
    expect(row).toContain('Disabled');
    expect(row).toMatch(/<td class="error channel-error">.*webhook channel newsroom-hook: HTTP 404 Not Found/s);
    expect(row).toContain('2024-01-17 09:16 UTC');
    // ...and above the table too.
    const alarm = element(html, '<div class="channel-alarm" role="alert"', 'div');
    expect(alarm).toContain('1 channel was');
    expect(alarm).toContain('HTTP 404 Not Found');

    const ok = element(html, '<tr id="channel-desk-mail"', 'tr');
    expect(ok).toContain('Enabled');
    expect(ok).toContain('daily digest');
    expect(ok).not.toContain('channel-error');
  });

  it('has one anchored row per alert, with its series link, change and evidence links', () => {
    const history = element(html, '<table class="alert-history"', 'table');
    expect([...history.matchAll(/<tr id="flip-(\d+)"/g)].map((m) => m[1])).toEqual(['63', '57', '41']);

    const suspendedRow = element(history, '<tr id="flip-41"', 'tr');
    expect(suspendedRow).toContain('2023-08-15 02:30 UTC');
    expect(suspendedRow).toContain(`href="${YOUTH_PAGE}"`);
    expect(suspendedRow).toContain(`<a href="${ICEBOX}" rel="noopener">NBS suspends the age-group urban unemployment rates from the July 2023 data</a>`);
    expect(suspendedRow.indexOf('data-status="current"')).toBeLessThan(suspendedRow.indexOf('data-status="suspended"'));

    const resumedRow = element(history, '<tr id="flip-57"', 'tr');
    expect(resumedRow).toContain(`href="${OEEEE}"`);
    expect(resumedRow).toContain('method break at 2023-12');

    const sourceRow = element(history, '<tr id="flip-63"', 'tr');
    expect(sourceRow).toContain('National Bureau of Statistics of China');
    expect(sourceRow).toContain('data-health="failing"');
    expect(sourceRow).toContain('HTTP 503 &lt;Service Unavailable&gt;'); // text is escaped
  });

  it('keeps the filter and links the series feed when filtered to one series', () => {
    const one = render({ messages: messages.slice(1), filter: { series: YOUTH, kind: 'status' } });
    expect(one).toContain(`href="/series/${YOUTH}/feed.atom"`);
    expect(one).toContain(`value="${YOUTH}"`);
    expect(one).toMatch(/<option value="status" selected/);
    expect(one).toContain('2 alerts matching');
  });

  it('says so when there is nothing yet', () => {
    const empty = render({ messages: [], channels: [] });
    expect(empty).toContain('No alerts yet.');
    expect(empty).toContain('No channels.');
    expect(empty).not.toContain('channel-alarm');
  });
});
