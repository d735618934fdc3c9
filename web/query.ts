// Query-string validation: a bad parameter is a 400 that names it. Pages, CSVs, badges and feeds
// ignore parameters they do not know (links shared on social media and in newsletters come back
// with fbclid, utm_source and the like); the JSON API refuses them, so a typo in a script shows.
import { z } from 'zod';
import { SERIES_STATUSES } from '../src/core/index.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'no such date');

export const asOfParam = date.optional();
export const dlParam = z.enum(['0', '1']).optional();
/** ?bom=1: a CSV starts with a UTF-8 byte-order mark, so that Excel reads Chinese text right. */
export const bomParam = z.enum(['0', '1']).optional();
export const statusParam = z.enum([...SERIES_STATUSES, 'dark']).optional();
/** A topic tag (free text, as the catalogue names it). */
export const topicParam = z.string().min(1).optional();
/** An ISO 3166-1 alpha-2 country code, as the catalogue writes it (CN, US, GB). */
export const countryParam = z.string().regex(/^[A-Z]{2}$/, 'expected a country code such as CN, US or GB').optional();
export const idParam = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected an id').optional();
export const limitParam = z.coerce.number().int().min(1).max(1000).optional();
export const pageParam = z.coerce.number().int().min(1).max(100_000).optional();
export const monthParam = z.string().regex(/^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM').optional();

/** The months of a ?from=&to= range, defaults filled; a 400 naming "from" when it is after "to". */
export function monthRange(q: { from?: string | undefined; to?: string | undefined }, defaults: { from: string; to: string }): { from: string; to: string } {
  const from = q.from ?? defaults.from;
  const to = q.to ?? defaults.to;
  if (from > to) throw badRequest('from', `${from} is after the end of the range (${to})`);
  return { from, to };
}

// Routes pass their shape as a literal on every request; building a zod object is most of the
// cost of a small request, so one is kept per set of field schemas.
const objects = new Map<string, { fields: unknown[]; object: z.ZodObject<z.ZodRawShape> }>();

function objectOf<S extends z.ZodRawShape>(shape: S, known: string[]): z.ZodObject<S> {
  const key = known.join('\0');
  const fields = known.map((k) => shape[k]);
  const kept = objects.get(key);
  if (kept && kept.fields.every((f, i) => f === fields[i])) return kept.object as unknown as z.ZodObject<S>;
  const object = z.object(shape);
  objects.set(key, { fields, object: object as unknown as z.ZodObject<z.ZodRawShape> });
  return object;
}

/**
 * The known parameters of a query, parsed. An unknown parameter is ignored, or with 'strict' (the
 * JSON API) refused; a malformed known one is always refused (a QueryError, answered as a 400).
 */
export function parseQuery<S extends z.ZodRawShape>(query: Record<string, string>, shape: S, mode: 'lenient' | 'strict' = 'lenient'): z.infer<z.ZodObject<S>> {
  const known = Object.keys(shape);
  if (mode === 'strict') {
    const unknown = Object.keys(query).filter((k) => !known.includes(k));
    if (unknown.length) throw badRequest(unknown[0]!, `unknown query parameter (accepted: ${known.join(', ') || 'none'})`);
  }
  // A GET form sends every field, so an empty value means "not given".
  const given = Object.fromEntries(Object.entries(query).filter(([k, v]) => v !== '' && known.includes(k)));
  const result = objectOf(shape, known).safeParse(given);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw badRequest(String(issue.path[0]), issue.message);
  }
  return result.data;
}

/** A malformed query parameter: app.onError answers it as JSON or, on an HTML page, as a page. */
export class QueryError extends Error {
  constructor(readonly parameter: string, readonly reason: string) {
    super(`invalid query parameter "${parameter}": ${reason}`);
  }

  json(): Response {
    return new Response(JSON.stringify({ error: this.message, parameter: this.parameter }), {
      status: 400, headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  }
}

/** A 400 that names the parameter. */
export function badRequest(param: string, message: string): QueryError {
  return new QueryError(param, message);
}

/** Paths that answer data (JSON, CSV, images, feeds) rather than a page: their errors stay machine-readable. */
export function isDataPath(path: string): boolean {
  return path.startsWith('/api/') || /\.(csv|json|svg|png|atom|xml)$/.test(path);
}

/** The instant an as-of date stands for: the end of that day, UTC. */
export function asOfInstant(asOf: string | undefined, now: number): number {
  return asOf ? Math.min(now, Date.parse(`${asOf}T23:59:59.999Z`)) : now;
}
