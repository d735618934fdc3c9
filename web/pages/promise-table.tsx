// Promise and delivery on a series page: for its recent promised periods, the date the publisher
// first promised (and the latest, if it moved it), when the figure came, and the days late, with
// every version of the promise a click away; then the calendar's recent reads.
import type { Frequency } from '../../src/core/index.js';
import type { PromiseView } from '../../src/read/promises.js';
import { stateLabel } from '../chart-data.js';
import { href, ymdhm } from './layout.js';
import { plabel } from './event-list.js';

export interface CalendarReadRow {
  id: number;
  kind: string;
  startedAt: number;
  outcome: string | null;
  error: string | null;
  changed: number;
  rawHashes: string;
}

const STATE_WORD: Record<string, string> = { scheduled: 'promised', cancelled: 'cancelled', removed: 'removed from the calendar' };

function Days({ p }: { p: PromiseView }) {
  if (p.state === 'cancelled' || p.periodState === 'cancelled') return <span class="muted">never: cancelled</span>;
  if (p.daysLate === null) return <span class="muted">{p.periodState === 'disclosed' ? 'delivery date unknown' : '—'}</span>;
  const word = p.daysLate === 0 ? 'on time' : `${p.daysLate} day${p.daysLate === 1 ? '' : 's'} late`;
  return <span class={p.daysLate > 0 ? 'late-days' : ''}>{p.deliveredAt === null ? `${word}, not delivered` : word}</span>;
}

export function PromiseTable(props: {
  seriesId: string; frequency: Frequency; calendar: ({ kind: string } & Record<string, unknown>) | null;
  promises: PromiseView[]; reads: CalendarReadRow[]; asOf: string | null;
}) {
  const { promises, reads, frequency: f, calendar } = props;
  if (!calendar && !promises.length) return null;
  const id = encodeURIComponent(props.seriesId);
  const q = { as_of: props.asOf };
  return (
    <section aria-labelledby="promises-h">
      <h2 id="promises-h">Promise and delivery</h2>
      <p class="muted">
        {calendar ? <>The publisher's release calendar: <code>{Object.entries(calendar).map(([k, v]) => (k === 'kind' ? String(v) : `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)).join(' ')}</code>. </> : null}
        A promised date is the period's due date; days late count from the first date promised, so a release the publisher moved is late against its first promise.
      </p>
      {promises.length ? (
        <div class="table-wrap">
          <table class="promises" data-testid="promises">
            <thead><tr><th scope="col">Period</th><th scope="col">First promised</th><th scope="col">Promised now</th><th scope="col">Delivered</th><th scope="col">Days late</th><th scope="col">State</th></tr></thead>
            <tbody>
              {promises.map((p) => (
                <tr data-period={p.period} data-promise={p.state}>
                  <th scope="row"><a href={`#period-${p.period}`}>{plabel(p.period, f)}</a></th>
                  <td>{p.versions[0]?.written ?? '—'}</td>
                  <td>
                    {p.state === 'scheduled' ? (p.latestWritten ?? '—') : STATE_WORD[p.state]}
                    {p.moved ? <span class="tag">moved</span> : null}
                    {p.reason ? <span class="muted"> ({p.reason})</span> : null}
                    <details><summary>{p.versions.length} version{p.versions.length === 1 ? '' : 's'}</summary>
                      <ol>{p.versions.map((v) => (
                        <li>{v.written ?? '—'} ({STATE_WORD[v.state] ?? v.state}), first seen {ymdhm(v.seenAt)}{v.raw ? <> · <a href={v.raw}>archived answer</a></> : null}</li>
                      ))}</ol>
                    </details>
                  </td>
                  <td>{p.deliveredAt !== null ? ymdhm(p.deliveredAt) : p.periodState === 'disclosed' ? <span class="muted">bundled (date unknown)</span> : <span class="muted">not yet</span>}</td>
                  <td class="num"><Days p={p} /></td>
                  <td>{p.periodState ? stateLabel(p.periodState) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="muted">No promise on record yet: the calendar has not been read, or lists none of this series' periods.</p>}
      <p class="downloads">
        <a href={href(`/series/${id}/promises.csv`, q)}>Promises CSV</a> · <a href={href(`/api/series/${id}/promises`, q)}>JSON</a>
      </p>
      {reads.length ? (
        <details class="calendar-reads">
          <summary>Calendar reads ({reads.length})</summary>
          <ul>{reads.map((r) => (
            <li data-outcome={r.outcome ?? 'running'}>
              {ymdhm(r.startedAt)} · {r.kind} · {r.outcome ?? 'running'}{r.changed ? ` · ${r.changed} promise version${r.changed === 1 ? '' : 's'} recorded` : ''}
              {r.error ? <> · <code>{r.error}</code></> : null}
              {(JSON.parse(r.rawHashes) as string[]).map((h) => <> · <a href={`/raw/${h}`}>archived answer</a></>)}
            </li>
          ))}</ul>
        </details>
      ) : null}
    </section>
  );
}
