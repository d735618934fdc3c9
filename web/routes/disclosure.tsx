// The disclosure index: the page, the CSV and the JSON, each with ?from=YYYY-MM&to=YYYY-MM
// (default 2015-01 to the month of now), ?as_of=YYYY-MM-DD and ?by=country (by publisher by default).
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { csvResponse, csvStream } from '../csv.js';
import { DEFAULT_FROM_MONTH, disclosureViewPaced, type DisclosureView } from '../../src/read/disclosure.js';
import { pacer } from '../../src/read/pace.js';
import { monthOf, type DisclosureCount } from '../../src/core/disclosure.js';
import { DisclosurePage, groupsOf } from '../pages/disclosure.js';
import { asOfInstant, asOfParam, bomParam, dlParam, monthParam, monthRange, parseQuery } from '../query.js';

const DISCLOSURE_COLUMNS = ['month', 'publisher_id', 'publisher', 'due', 'on_schedule', 'share'] as const;
const COUNTRY_COLUMNS = ['month', 'country_id', 'country', 'due', 'on_schedule', 'share'] as const;

const RANGE = { from: monthParam, to: monthParam, as_of: asOfParam, by: z.enum(['publisher', 'country']).optional() };

/**
 * The index for a request, counted a chunk of series at a time (it reads every series), one such
 * count at a time per process; `answer` gets it, or the request a 503 when another runs too long.
 */
function withView<T>(deps: AppDeps, c: Context, q: { from?: string | undefined; to?: string | undefined; as_of?: string | undefined }, answer: (view: DisclosureView) => T): Promise<T | Response> {
  const at = asOfInstant(q.as_of, deps.now());
  const { from, to } = monthRange(q, { from: DEFAULT_FROM_MONTH, to: monthOf(at) });
  return deps.gate!.run(c, async () => answer(await disclosureViewPaced(deps.db, at, from, to, pacer(deps.sliceMs))));
}

/** Share as a plain decimal fraction with four places ('0.8333'); empty when nothing was due. */
const shareCell = (s: number | null) => (s === null ? '' : String(Math.round(s * 10_000) / 10_000));
const countJson = (c: DisclosureCount) => ({ due: c.due, on_schedule: c.onSchedule, share: c.share });

export function registerDisclosureRoutes(app: Hono, deps: AppDeps): void {
  app.get('/disclosure', (c) => {
    const q = parseQuery(c.req.query(), RANGE);
    return deps.pages!.page(c, q, () => withView(deps, c, q, (view) => <DisclosurePage view={view} asOf={q.as_of ?? null} by={q.by ?? 'publisher'} />));
  });

  app.get('/disclosure.csv', (c) => {
    const q = parseQuery(c.req.query(), { ...RANGE, dl: dlParam, bom: bomParam });
    return withView(deps, c, q, (view) => {
      const byCountry = q.by === 'country';
      const groups = groupsOf(view, byCountry ? 'country' : 'publisher');
      let i = 0;
      // One month per chunk: an `all` row, then one row per publisher (or country) in id order.
      const stream = csvStream(byCountry ? COUNTRY_COLUMNS : DISCLOSURE_COLUMNS, () => {
        const m = view.months[i++];
        if (!m) return null;
        const row = (id: string, name: string, k: DisclosureCount) => [m.month, id, name, String(k.due), String(k.onSchedule), shareCell(k.share)];
        return [row('all', byCountry ? 'All countries' : 'All publishers', m.overall), ...groups.map((g) => row(g.id, g.name, g.pick(m))),
          row('access', 'Access to databases and services', m.access)];
      });
      return csvResponse(stream, 'lacuna-disclosure.csv', q.dl === '1', q.bom === '1');
    });
  });

  app.get('/api/disclosure', (c) => {
    const q = parseQuery(c.req.query(), RANGE, 'strict');
    const byCountry = q.by === 'country';
    return withView(deps, c, q, (view) => c.json({
      from: view.from, to: view.to, as_of: q.as_of ?? null, by: byCountry ? 'country' : 'publisher', series_count: view.seriesCount,
      definition: 'due: series with at least one period due in the month whose state is judged (not unknown, not_due or '
        + 'not_expected); on_schedule: those whose every such period was disclosed and not backfilled (a value that came only '
        + 'after the grace is not on schedule); share: on_schedule / due, null when due = 0. Each series weighs one whatever '
        + 'its frequency. Access series (topic access, or read by a probe) are counted in access only, never in overall or a publisher.',
      ...(byCountry ? { countries: view.countries } : { publishers: view.publishers }),
      months: view.months.map((m) => ({
        month: m.month,
        complete_at: new Date(m.settledAt).toISOString(),
        overall: countJson(m.overall),
        access: countJson(m.access),
        ...(byCountry
          ? { countries: view.countries.map((k) => ({ country: k.code, ...countJson(m.byCountry[k.code]!) })) }
          : { publishers: view.publishers.map((p) => ({ publisher_id: p.id, ...countJson(m.byPublisher[p.id]!) })) }),
      })),
    }));
  });
}
