// The filter fields the board and the gaps timeline share, and the script that keeps empty
// fields out of a filter form's query string.
import type { BoardSummary, SeriesFilter } from '../read-model.js';
import { STATUSES, statusLabel } from './layout.js';

/** Status, publisher and topic selects, the publishers with their series counts. */
export function SeriesFilterFields({ summary, filter }: { summary: Pick<BoardSummary, 'publishers' | 'topics'>; filter: SeriesFilter }) {
  return (
    <>
      <label>
        Status
        <select name="status">
          <option value="">All statuses</option>
          <option value="dark" selected={filter.status === 'dark'}>Gone dark</option>
          {STATUSES.map((st) => <option value={st} selected={filter.status === st}>{statusLabel(st)}</option>)}
        </select>
      </label>
      <label>
        Publisher
        <select name="publisher">
          <option value="">All publishers</option>
          {summary.publishers.map((p) => (
            <option value={p.id} selected={filter.publisher === p.id}>{p.name} ({p.count})</option>
          ))}
        </select>
      </label>
      <label>
        Topic
        <select name="topic">
          <option value="">All topics</option>
          {summary.topics.map((t) => <option value={t} selected={filter.topic === t}>{t}</option>)}
        </select>
      </label>
    </>
  );
}

/** Empty fields would be sent as `status=` and refused: the form leaves them out of the query string. */
export function DropEmptyFields({ form }: { form: string }) {
  const js = `document.getElementById(${JSON.stringify(form)}).addEventListener('submit', function (e) {
  for (const el of e.target.elements) if (el.name && !el.value) el.disabled = true;
});`;
  return <script dangerouslySetInnerHTML={{ __html: js }} />;
}
