// The SDMX OBS_STATUS a period cell exports (CL_OBS_STATUS), and who gave it. The publisher's own
// code for a disclosed value is given as it is (P provisional, SD, a lower-case e...); elsewhere
// lacuna gives the nearest code of the period state: A normal, B break, O missing, L exists but
// not collected (withheld), K included in another period, M missing by definition (cannot exist).
// SDMX has no code for "suspended by the publisher"; L is the closest. A cancelled period (the
// publisher announced it will never be published) is M: it is not withheld (L) or merely absent
// (O), it will never exist. Unknown and not-due cells get none.
//
// | cell                                    | sdmx_obs_status       | sdmx_obs_status_from |
// |-----------------------------------------|-----------------------|----------------------|
// | disclosed, the publisher gave a status  | the publisher's code  | publisher            |
// | disclosed, none given                   | A (B at a break)      | lacuna               |
// | withdrawn (no longer given at all)      | O                     | lacuna               |
// | late, missing, suspended, not_expected..| O, L or K             | lacuna               |
// | cancelled                               | M                     | lacuna               |
// | not_due, unknown                        | (empty)               | (empty)              |
import type { PeriodCell, PeriodState } from './types.js';

export type ObsStatusFrom = 'publisher' | 'lacuna' | '';

export function sdmxObsStatus(cell: PeriodCell): string {
  return obsStatusCode(cell.state, cell.marks.break, cell.obsStatus);
}

export function sdmxObsStatusFrom(cell: PeriodCell): ObsStatusFrom {
  return obsStatusFrom(cell.state, cell.marks.break, cell.obsStatus);
}

/** The exported code of a state, `isBreak` when the period starts a new method, `given` the publisher's. */
export function obsStatusCode(state: PeriodState, isBreak: boolean, given: string | null | undefined): string {
  return given && state === 'disclosed' ? given : sdmxCode(state, isBreak);
}

export function obsStatusFrom(state: PeriodState, isBreak: boolean, given: string | null | undefined): ObsStatusFrom {
  if (given && state === 'disclosed') return 'publisher';
  return sdmxCode(state, isBreak) ? 'lacuna' : '';
}

/** lacuna's nearest code for a state, `isBreak` when the period starts a new method. */
export function sdmxCode(state: PeriodState, isBreak: boolean): string {
  switch (state) {
    case 'disclosed':
      return isBreak ? 'B' : 'A';
    case 'late':
    case 'missing':
    case 'withdrawn':
      return 'O';
    case 'suspended':
    case 'discontinued':
    case 'access_cut':
      return 'L';
    case 'not_expected':
      return 'K';
    case 'cancelled':
      return 'M';
    case 'not_due':
    case 'unknown':
      return '';
  }
}
