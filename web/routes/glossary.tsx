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
        discontinued series has none: nothing more is expected from it.
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
    </Layout>
  )));
}
