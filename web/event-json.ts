// An event as the JSON API writes it: snake_case like every other field of the API.
import type { EventView } from '../src/read/read-model.js';

// As of a date, the account the catalogue holds today may tell of later events, and citations
// published later are later facts: the account is left out (description_omitted) and so are they.
export function eventJson(e: EventView, asOf?: string | undefined) {
  const cites = asOf ? e.citations.filter((c) => !c.date || c.date <= asOf) : e.citations;
  return {
    id: e.id, series_id: e.seriesId, kind: e.kind, date: e.date, date_approximate: e.dateApproximate,
    period_from: e.periodFrom, period_to: e.periodTo, title: e.title, description: asOf ? null : e.description,
    ...(asOf ? { description_omitted: e.description !== null } : {}),
    evidence_kind: e.evidenceKind, confidence: e.confidence, origin: e.origin,
    citations: cites.map((c) => ({ url: c.url, title: c.title, publisher: c.publisher, date: c.date, quote: c.quote })),
  };
}
