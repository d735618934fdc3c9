// CSV over HTTP: a stream that writes a chunk of rows at a time as the client reads, and the response.
import { csvLines, csvText } from '../src/formats/csv.js';

/**
 * A byte stream that asks `next` for one chunk of rows (or CSV text) at a time, only when the client is ready
 * for more, so memory stays flat whatever the size of the export.
 */
export function csvStream(header: readonly string[], next: () => string[][] | string | Uint8Array | null): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvText([header])));
        return;
      }
      for (;;) {
        const rows = next();
        if (rows === null) { controller.close(); return; }
        // Rows, or rows already written as CSV text (src/formats/grid-format.ts) or bytes (stored answers).
        if (!rows.length) continue;
        controller.enqueue(rows instanceof Uint8Array ? rows : encoder.encode(typeof rows === 'string' ? rows : csvLines(rows)));
        return;
      }
    },
  }, { highWaterMark: 1 });
}

/** A CSV answer; with `download`, as a file named `filename`. */
export function csvResponse(body: ReadableStream<Uint8Array>, filename: string, download: boolean): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      ...(download ? { 'content-disposition': `attachment; filename="${filename}"` } : {}),
    },
  });
}
