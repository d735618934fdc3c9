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

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/** A stream that sends the byte-order mark first. */
function withBom(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) { first = false; controller.enqueue(BOM); return; }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) { return reader.cancel(reason); },
  }, { highWaterMark: 1 });
}

/** A CSV answer; with `download`, as a file named `filename`; with `bom`, led by a UTF-8 byte-order mark (Excel). */
export function csvResponse(body: ReadableStream<Uint8Array>, filename: string, download: boolean, bom = false): Response {
  return new Response(bom ? withBom(body) : body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      ...(download ? { 'content-disposition': `attachment; filename="${filename}"` } : {}),
    },
  });
}
