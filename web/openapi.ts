// The JSON API described as OpenAPI 3.1, served at /api/openapi.json (the routes are in web/app.tsx
// and web/routes/; test/web/downloads.test.ts checks that every path here answers).
import { PERIOD_STATES, SERIES_STATUSES } from '../src/core/index.js';

const asOf = { name: 'as_of', in: 'query', required: false, description: 'What lacuna knew at the end of this day (UTC).', schema: { type: 'string', format: 'date' } };
const id = { name: 'id', in: 'path', required: true, description: 'Series id, e.g. cn.nbs.unemployment.urban.age16_24', schema: { type: 'string' } };
const error = { description: 'A malformed or unknown query parameter', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const missing = { description: 'Unknown series or event', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const ok = (ref: string, description: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const str = { type: 'string' };
const nstr = { type: ['string', 'null'] };
const time = { type: ['string', 'null'], format: 'date-time' };

export function openApi(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'lacuna JSON API', version: '1',
      description: 'Official statistics, the state of every expected period, and the dated events with citations that explain each gap. Unknown query parameters are refused (400). Every answer allows any origin (CORS).',
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/api/series': {
        get: {
          summary: 'Series with their status, a page at a time (keyset)',
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: [...SERIES_STATUSES, 'dark'] } },
            { name: 'publisher', in: 'query', schema: str }, { name: 'topic', in: 'query', schema: str },
            { name: 'country', in: 'query', description: 'ISO 3166-1 alpha-2 code (CN, US, GB)', schema: { type: 'string', pattern: '^[A-Z]{2}$' } }, asOf,
            { name: 'after', in: 'query', description: 'next_after of the previous page', schema: str },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } },
          ],
          responses: { 200: ok('SeriesPage', 'A page of series'), 400: error },
        },
      },
      '/api/series/{id}': { get: { summary: 'One series with its release rule, related series and events', parameters: [id, asOf], responses: { 200: ok('SeriesDetail', 'The series'), 400: error, 404: missing } } },
      '/api/series/{id}/observations': { get: { summary: 'Every expected period with its value and state (gzip when accepted, ETag)', parameters: [id, asOf], responses: { 200: ok('Observations', 'The period grid'), 304: { description: 'Not modified' }, 400: error, 404: missing } } },
      '/api/series/{id}/fetch-runs': { get: { summary: 'The latest reads of the series\' source', parameters: [id], responses: { 200: { description: 'Fetch runs' }, 404: missing } } },
      '/api/series/{id}/promises': { get: { summary: 'Promise against delivery: each promised period with its first and latest promised dates, delivery, days late and every version with its archived answer', parameters: [id, asOf], responses: { 200: { description: 'Promises' }, 400: error, 404: missing } } },
      '/api/events': { get: { summary: 'Events with citations', parameters: [{ name: 'series', in: 'query', schema: str }, asOf], responses: { 200: ok('Events', 'Events'), 400: error, 404: missing } } },
      '/api/events/{eventId}': { get: { summary: 'One event with its citations and its permalink on the series page', parameters: [{ name: 'eventId', in: 'path', required: true, schema: str }, asOf], responses: { 200: ok('Event', 'The event'), 404: missing } } },
      '/api/disclosure': {
        get: {
          summary: 'The disclosure index by month: series disclosed on schedule, overall, by publisher (or by country), and for access series',
          parameters: [{ name: 'from', in: 'query', schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } }, { name: 'to', in: 'query', schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } }, asOf,
            { name: 'by', in: 'query', description: 'publisher (default) or country', schema: { type: 'string', enum: ['publisher', 'country'] } }],
          responses: { 200: { description: 'The index' }, 400: error },
        },
      },
    },
    components: {
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: str, parameter: str } },
        Series: {
          type: 'object',
          properties: {
            id: str, title: str, title_local: nstr, publisher: str, publisher_name: str,
            country: { type: ['string', 'null'], description: 'ISO 3166-1 alpha-2' }, country_name: nstr, unit: str,
            frequency: { type: 'string', enum: ['daily', 'weekly', 'monthly', 'quarterly', 'annual'] }, topics: { type: 'array', items: str },
            status: { type: 'string', enum: [...SERIES_STATUSES] }, reason: str, last_disclosed: nstr, dark_since: nstr, due_at: time,
            days_overdue: { type: ['integer', 'null'] }, next_check_at: time, checked_at: time, successor: nstr,
            proxies: { type: 'array', items: str }, source_health: str,
          },
        },
        SeriesPage: { type: 'object', properties: { total: { type: 'integer' }, next_after: nstr, as_of: nstr, series: { type: 'array', items: { $ref: '#/components/schemas/Series' } } } },
        SeriesDetail: {
          allOf: [{ $ref: '#/components/schemas/Series' }, {
            type: 'object',
            properties: { description: nstr, notes: nstr, release: { type: 'object' }, related: { type: 'array', items: { type: 'object' } }, events: { type: 'array', items: { $ref: '#/components/schemas/Event' } } },
          }],
        },
        Observations: {
          type: 'object',
          properties: {
            series_id: str, unit: str, frequency: str, as_of: nstr,
            periods: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  period: str, value: { type: ['number', 'null'] }, value_text: nstr, state: { type: 'string', enum: [...PERIOD_STATES] },
                  sdmx_obs_status: str, due_at: { type: 'string', format: 'date-time' }, first_seen_at: time,
                  marks: { type: 'object', properties: { break: { type: 'boolean' }, revised: { type: 'boolean' }, backfilled: { type: 'boolean' } } },
                  event_id: nstr,
                },
              },
            },
          },
        },
        Citation: { type: 'object', properties: { url: str, title: str, publisher: str, date: nstr, quote: nstr } },
        Event: {
          type: 'object',
          properties: {
            id: str, series_id: str, kind: str, date: str, date_approximate: { type: 'boolean' }, period_from: nstr, period_to: nstr,
            title: str, description: nstr, evidence_kind: str, confidence: str, origin: str,
            citations: { type: 'array', items: { $ref: '#/components/schemas/Citation' } },
          },
        },
        Events: { type: 'object', properties: { events: { type: 'array', items: { $ref: '#/components/schemas/Event' } } } },
      },
    },
  };
}
