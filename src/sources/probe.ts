// An availability probe: a page or database endpoint asked on schedule whether it still serves us,
// recorded as an "access series" (1 available, 0 refused), one observation for the period holding
// the probe's moment. It is for resources that are cut off rather than discontinued (such as CNKI's
// China Statistical Yearbooks database). A refusal is the observation, never an error. What says
// nothing about access still raises: the HTTP layer raises for an unreachable host or a timeout,
// and this plug-in for a server failure (5xx, 408, 429), which is retried like any transient error.
import { z } from 'zod';
import { formatDay, parseDay, periodOf } from '../core/index.js';
import { SourceError } from './errors.js';
import type { SourceAnswer, SourcePlugin } from './types.js';
import { requestHeaders, withOptions } from './request-options.js';
import { withBase } from './table.js';

export const probeRef = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  expect_status: z.number().int().min(100).max(599).optional(),
  expect_text: z.string().min(1).optional(),
  refuse_text: z.string().min(1).optional(),
  method: z.enum(['GET', 'POST']).optional(),
  headers: requestHeaders.optional(),
});
export type ProbeRef = z.infer<typeof probeRef>;

const TRANSIENT = (status: number) => status >= 500 || status === 408 || status === 429;
// Case-insensitive, so that "Not available in your region" matches the catalogue's lower case.
const contains = (text: string, part: string) => text.toLowerCase().includes(part.toLowerCase());

/** 1 or 0, and why in a few words. The refusal text wins over the expected text: refusal pages often repeat the title. */
export function verdict(answer: SourceAnswer, ref: ProbeRef): { value: 0 | 1; why: string } {
  const expected = ref.expect_status ?? 200;
  if (answer.status !== expected) return { value: 0, why: `HTTP ${answer.status}` };
  if (ref.refuse_text && contains(answer.text, ref.refuse_text)) return { value: 0, why: 'refusal text present' };
  if (ref.expect_text && !contains(answer.text, ref.expect_text)) return { value: 0, why: `expected text ${JSON.stringify(ref.expect_text)} absent` };
  return { value: 1, why: 'available' };
}

export const probe: SourcePlugin<ProbeRef> = {
  kind: 'probe',
  ref: probeRef,
  defaultBaseUrl: null,
  access: true,
  key: (ref) => ref.url,
  // anyStatus: a 403 or 451 is an answer to record, not an error to retry.
  request: (ref, ctx) => withOptions({ url: withBase(ref.url, ctx.baseUrl), method: ref.method ?? 'GET', anyStatus: true }, { headers: ref.headers }),
  parse(answer, ref, ctx) {
    if (TRANSIENT(answer.status) && answer.status !== ref.expect_status) {
      throw new SourceError('http', `probe ${answer.url}: HTTP ${answer.status}, a server failure that says nothing about access`, false, answer.status);
    }
    const { value, why } = verdict(answer, ref);
    // The UTC calendar day of the probe, then the series' period holding it.
    const period = periodOf(parseDay(formatDay(ctx.now)), ctx.frequency);
    return { series: [{ key: ref.url, observations: [{ period, value, valueText: why }], covers: null }] };
  },
};
