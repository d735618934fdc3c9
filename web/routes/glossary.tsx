// /statuses: what each status word and each period state means, for a reader about to quote one.
// The words come from the same tables the pages and the core use (src/core/series-status.ts).
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { PERIOD_STATES } from '../../src/core/index.js';
import { STATUS_DEFINITIONS } from '../../src/core/series-status.js';
import { stateLabel, STATE_HELP } from '../chart-data.js';
import { Layout, StatusBadge } from '../pages/layout.js';

const ORDER = ['current', 'unchecked', 'late', 'overdue', 'suspended', 'discontinued', 'no_record', 'paused', 'new'] as const;

export function registerGlossaryRoutes(app: Hono, deps: AppDeps): void {
  app.get('/statuses', (c) => deps.pages!.page(c, {}, () => (
    <Layout title="What the words mean" share={{ description: 'What lacuna means by current, unchecked, late, overdue, suspended, discontinued and no record.' }}>
      <h1>What the words mean</h1>
      <p class="lede">
        Each series has one status, read from its latest period that lacuna can judge. Quote a status with its date: lacuna
        says what its record holds, and says so when its record does not reach today.
      </p>
      <dl class="glossary" data-testid="statuses">
        {ORDER.map((s) => (
          <div id={`status-${s}`}>
            <dt><StatusBadge status={s} /></dt>
            <dd>{STATUS_DEFINITIONS[s].means}</dd>
          </div>
        ))}
      </dl>
      <p>
        <strong>Days overdue</strong> counts the days since the first missing period of the current dark run was due. A
        discontinued series has none: nothing more is expected from it, and neither does a dark run made only of
        cancelled periods: the publisher said they will never exist.
      </p>
      <h2>Period states</h2>
      <p>Every expected period of a series has one state; the charts, the gaps timeline and the CSVs show them.</p>
      <dl class="glossary" data-testid="period-states">
        {PERIOD_STATES.map((st) => (
          <div id={`state-${st}`}>
            <dt><code>{st}</code> ({stateLabel(st)})</dt>
            <dd>{STATE_HELP[st]}</dd>
          </div>
        ))}
      </dl>
      <h2 id="promises">Promise and delivery</h2>
      <dl class="glossary" data-testid="promise-words">
        <div id="word-promise"><dt><strong>Promise</strong></dt><dd>
          a release date the publisher announced on its advance release calendar, kept with its source and every later
          change. Where a period has one, its first promised date is its due date: a period whose promised date passed
          without the release is late against the promise, and days late count from that first date.
        </dd></div>
        <div id="word-moved"><dt><strong>Moved</strong></dt><dd>
          the publisher set a later date for a promised release: a <em>delay</em> event with both dates, inferred by lacuna
          from its calendar and citing the archived answer.
        </dd></div>
        <div id="word-cancelled"><dt><strong>Cancelled</strong></dt><dd>
          the publisher announced that a period will never be published (the US October 2025 consumer price index). It is
          not <em>missing</em>, of which nothing was said, nor <em>suspended</em>, which may come back: it cannot exist,
          and is exported with SDMX's code M.
        </dd></div>
        <div id="word-delivery"><dt><strong>Delivery</strong></dt><dd>
          what was published and when: the release date where a source gives one, else when lacuna first saw the value.
        </dd></div>
      </dl>
    </Layout>
  )));
}
