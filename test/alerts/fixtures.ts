// The alert messages the channel tests send: NBS's suspension of the youth unemployment rate as
// lacuna announces it, and a daily digest of three.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AlertMessage } from '../../src/alerts/types.js';

export const BASE = 'https://lacuna.example.org';
export const PAGE = `${BASE}/series/cn.nbs.unemployment.urban.age16_24`;
export const SERIES_TITLE = 'Urban surveyed unemployment rate, ages 16-24 (old basis, including students)';
export const ECNS = 'https://ecns.cn/news/economy/2023-08-15/detail-ihcsemmm4541146.shtml';
export const REASON = 'NBS announced that it stops publishing this series from the 2023-07 data.';

/** The NBS youth unemployment suspension as lacuna announces it, with `over` changed. */
export function suspension(over: Partial<AlertMessage> = {}): AlertMessage {
  return {
    flipId: 412, kind: 'status', at: Date.parse('2023-08-15T06:00:00Z'),
    title: `Suspended: ${SERIES_TITLE}`,
    text: `${REASON} NBS suspends the age-group urban unemployment rates from the July 2023 data (2023-08-15): ${ECNS}`,
    series: { id: 'cn.nbs.unemployment.urban.age16_24', title: SERIES_TITLE, frequency: 'monthly', topics: ['labour', 'youth'] },
    publisher: { id: 'nbs', name: 'National Bureau of Statistics of China' },
    from: 'current', to: 'suspended', resumed: false, breakAt: null,
    period: '2023-07', dueAt: Date.parse('2023-08-17T02:00:00Z'),
    events: [{
      id: 'cn-nbs-youth-1624-suspension-announced-2023-08-15', kind: 'suspension_announced',
      title: 'NBS suspends the age-group urban unemployment rates from the July 2023 data', date: '2023-08-15', url: ECNS,
    }],
    links: { page: PAGE, chart: `${PAGE}#chart`, csv: `${PAGE}.csv`, alerts: `${BASE}/alerts#flip-412` },
    ...over,
  };
}

/** The suspension, a reminder a month later, and the publisher's site failing: a daily digest. */
export function digestOfThree(): AlertMessage[] {
  return [
    suspension(),
    suspension({
      flipId: 413, kind: 'reminder', at: Date.parse('2023-09-15T06:00:00Z'), title: `Still suspended: ${SERIES_TITLE}`,
      from: 'suspended', to: 'suspended', links: { ...suspension().links, alerts: `${BASE}/alerts#flip-413` },
    }),
    suspension({
      flipId: 414, kind: 'source', at: Date.parse('2023-09-18T02:30:00Z'), title: 'Source failing: National Bureau of Statistics of China',
      text: 'lacuna cannot read National Bureau of Statistics of China: HTTP 503 from data.stats.gov.cn. Its series are not '
        + 'marked late or missing for this; they wait until the source answers again.',
      series: null, from: 'ok', to: 'failing', period: null, dueAt: null, events: [],
      links: { page: `${BASE}/alerts#flip-414`, chart: `${BASE}/alerts#flip-414#chart`, csv: `${BASE}/export.csv`, alerts: `${BASE}/alerts#flip-414` },
    }),
  ];
}

export interface Mail { from: string; to: string[]; raw: string }
export interface Smtp { url: string; mails: Mail[]; close(): Promise<void> }

/** A real SMTP server on 127.0.0.1 keeping what it accepts (raw as latin1); `over` can reject at any step. */
export async function startSmtp(over: Partial<SMTPServerOptions> = {}): Promise<Smtp> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const env = session.envelope;
        mails.push({ from: env.mailFrom ? env.mailFrom.address : '', to: env.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('latin1') });
        cb();
      });
    },
    ...over,
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    mails,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
