// The nearest SDMX OBS_STATUS code for a period cell (CL_OBS_STATUS): A normal, B break,
// O missing, L exists but not collected (withheld), K included in another period. SDMX has no
// code for "suspended by the publisher"; L is the closest. Unknown and not-due cells get none.
import type { PeriodCell } from './types.js';

export function sdmxObsStatus(cell: PeriodCell): string {
  switch (cell.state) {
    case 'disclosed':
      return cell.marks.break ? 'B' : 'A';
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
