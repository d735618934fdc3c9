// An event as the JSON API writes it: snake_case like every other field of the API.
import type { EventView } from '../src/read/read-model.js';

export function eventJson(e: EventView) {
  return {
    id: e.id, series_id: e.seriesId, kind: e.kind, date: e.date, date_approximate: e.dateApproximate,
    period_from: e.periodFrom, period_to: e.periodTo, title: e.title, description: e.description,
    evidence_kind: e.evidenceKind, confidence: e.confidence, origin: e.origin,
    citations: e.citations.map((c) => ({ url: c.url, title: c.title, publisher: c.publisher, date: c.date, quote: c.quote })),
  };
}
