// The nearest SDMX OBS_STATUS code for a period cell (CL_OBS_STATUS): A normal, B break,
// O missing, L exists but not collected (withheld), K included in another period. SDMX has no
// code for "suspended by the publisher"; L is the closest. Unknown and not-due cells get none.
import type { PeriodCell, PeriodState } from './types.js';

export function sdmxObsStatus(cell: PeriodCell): string {
  return sdmxCode(cell.state, cell.marks.break);
}

/** The code of a state, `isBreak` when the period starts a new method. */
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
    case 'not_due':
    case 'unknown':
      return '';
  }
}
