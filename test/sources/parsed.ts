// Reading a plug-in's parsed pages in tests: the one series a page holds, what the runner's rules
// (src/core/answer-rules.ts) make of the pages for the series a ref asks for, and the error a parse throws.
import { expect } from 'vitest';
import { judgeAnswer } from '../../src/core/index.js';
import { SourceError } from '../../src/sources/errors.js';
import type { ParsedPage, ParsedSeries, SourcePlugin } from '../../src/sources/types.js';

/** The page's only series. */
export function only(page: ParsedPage): ParsedSeries {
  expect(page.series.map((s) => s.key)).toHaveLength(1);
  return page.series[0]!;
}

/** The pages judged for the series `ref` asks for: its observations, what they cover, gaps, valueless; or the failure. */
export function judged<R>(plugin: SourcePlugin<R>, ref: R, ...pages: ParsedPage[]) {
  return judgeAnswer(plugin.key(ref), pages);
}

/** The SourceError `run` throws (the test fails when it throws anything else, or nothing). */
export function failure(run: () => unknown): SourceError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('did not throw');
}
