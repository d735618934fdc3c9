// The bundled cases outside China (shared/research/world-cases.md): how many, where, each with
// dated and cited events, and the notices of periods that will never exist written, for now, as
// suspensions of exactly one period that say so.
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../src/catalogue/load.js';
import { BUNDLED_CATALOGUE } from './helpers.js';

const cat = loadCatalogue(BUNDLED_CATALOGUE);
const world = cat.series.filter((s) => s.country !== 'CN');
/** Series watched as what came after a case, not cases themselves: no gap, so no event of their own. */
const AFTER_A_CASE = new Set(['ar.indec.cpi.national_index']);

/** Notices that a period (or an edition) will never be published, until lacuna has a state for it. */
const NEVER = [
  'us-bls-cpi-2025-10-not-published', 'us-bls-cps-2025-10-not-collected', 'us-usda-nass-july-cattle-2024-cancelled',
  'us-eia-ieo2025-cancelled', 'gb-ons-ppi-2025-04-release-cancelled', 'ua-census-2023-cancelled', 'in-mospi-ces-2017-18-withheld',
];

describe('the bundled world cases', () => {
  it('catalogue at least 12 cases outside China, in the US, the UK, Russia, Argentina and more', () => {
    const countries = new Set(world.map((s) => s.country));
    expect([...countries].sort()).toEqual(['AR', 'DE', 'GB', 'IN', 'NG', 'RU', 'TR', 'UA', 'US']);
    expect(world.length).toBeGreaterThanOrEqual(12);
  });

  it('give every series outside China dated events, each with a citation and a confidence', () => {
    for (const s of world) {
      if (AFTER_A_CASE.has(s.id)) {
        expect([s.events.length, s.source !== undefined], s.id).toEqual([0, true]);
        continue;
      }
      expect(s.events.length, s.id).toBeGreaterThan(0);
      for (const e of s.events) {
        expect(e.citations.length, e.id).toBeGreaterThan(0);
        expect(['verified', 'partly_verified', 'unverified'], e.id).toContain(e.confidence);
      }
    }
  });

  it('write each notice of a period that will never exist as a cancellation of exactly that period, saying so', () => {
    const events = new Map(cat.series.flatMap((s) => s.events.map((e) => [e.id, e] as const)));
    for (const id of NEVER) {
      const e = events.get(id);
      expect(e, id).toBeDefined();
      expect([e!.kind, e!.from], id).toEqual(['cancelled', e!.to]);
      expect(e!.description, id).toMatch(/will never (exist|publish)|never to exist|will not be held|would not release|in the state "cancelled"/);
    }
  });
});
