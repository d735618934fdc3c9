// The filter fields the board and the gaps timeline share, and the script that keeps empty
// fields out of a filter form's query string.
import type { BoardSummary, SeriesFilter } from '../../src/read/read-model.js';
import { STATUSES, statusLabel } from './layout.js';

/** A select of `options` ([value, label]) after an "all" option, the `selected` value chosen. */
function Choice(props: { name: string; label: string; all: string; options: [string, string][]; selected: string | undefined }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">{props.all}</option>
        {props.options.map(([value, text]) => <option value={value} selected={props.selected === value}>{text}</option>)}
      </select>
    </label>
  );
}

/** Status, country, publisher and topic selects, the countries and publishers with their series counts. */
export function SeriesFilterFields({ summary, filter }: { summary: Pick<BoardSummary, 'publishers' | 'countries' | 'topics'>; filter: SeriesFilter }) {
  return (
    <>
      <Choice name="status" label="Status" all="All statuses" selected={filter.status}
        options={[['dark', 'Gone dark'], ...STATUSES.map((st): [string, string] => [st, statusLabel(st)])]} />
      <Choice name="country" label="Country" all="All countries" selected={filter.country}
        options={summary.countries.map((c): [string, string] => [c.code, `${c.name} (${c.count})`])} />
      <Choice name="publisher" label="Publisher" all="All publishers" selected={filter.publisher}
        options={summary.publishers.map((p): [string, string] => [p.id, `${p.name} (${p.count})`])} />
      <Choice name="topic" label="Topic" all="All topics" selected={filter.topic} options={summary.topics.map((t): [string, string] => [t, t])} />
    </>
  );
}

/** Empty fields would be sent as `status=` and refused: the form leaves them out of the query string (no inline script: the CSP allows none). */
export function DropEmptyFields({ form }: { form: string }) {
  return <script src="/assets/filters.js" data-form={form}></script>;
}
