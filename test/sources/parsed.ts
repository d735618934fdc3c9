// Reading a plug-in's parsed pages in tests: the one series a page holds, and what the runner's
// rules (src/core/answer-rules.ts) make of the pages for the series a ref asks for.
import { expect } from 'vitest';
import { judgeAnswer } from '../../src/core/index.js';
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
