// What each series status means, in the words a reader sees (the board, the series page, the
// glossary at /statuses), and the rule that picks it from the grid. Pure.
//
// The status is read from the latest judged period (disclosed, late, missing, withdrawn,
// suspended, access cut, discontinued) and from what follows it:
//   nothing judged at all ................................................. no_record
//   latest judged disclosed, and a later period due with no record ........ unchecked
//   latest judged disclosed, nothing due after it left unknown ............ current
//   latest judged late / missing or withdrawn ............................. late / overdue
//   latest judged suspended or access cut / discontinued ................. suspended / discontinued
//   latest judged cancelled (announced never to be published) ............ suspended: a gap the
//     publisher announced for that period, not "overdue"; no days overdue unless an earlier
//     period of the same dark run is still owed
//   a user paused the series .............................................. paused (whatever the grid)
// "current" is a claim that the latest due figure is out and on record; lacuna never makes it
// for a period it holds no record of.
import type { PeriodCell, PeriodState, SeriesStatus } from './types.js';

export const STATUS_OF_STATE: Partial<Record<PeriodState, SeriesStatus>> = {
  disclosed: 'current',
  late: 'late',
  missing: 'overdue',
  withdrawn: 'overdue',
  suspended: 'suspended',
  cancelled: 'suspended',
  access_cut: 'suspended',
  discontinued: 'discontinued',
};

/** The word and its definition for a reader, in the order the glossary lists them. */
export const STATUS_DEFINITIONS: Record<SeriesStatus, { word: string; means: string }> = {
  current: { word: 'Current', means: 'the latest period due has been disclosed, and lacuna holds that value.' },
  unchecked: {
    word: 'Unchecked',
    means: 'lacuna holds values up to an earlier period, but none for the latest periods due, and has not checked whether the publisher released them. It does not say the series stopped.',
  },
  late: { word: 'Late', means: 'the latest period is past its usual release date but still within the grace period, or an announced delay covers it.' },
  overdue: { word: 'Overdue', means: 'the latest period is past its release date and grace period, with no value and no word from the publisher (or the publisher removed it).' },
  suspended: { word: 'Suspended', means: 'the publisher announced that it stopped releasing the series, or refuses access to it, for now, or that its latest period will never be published (cancelled).' },
  discontinued: { word: 'Discontinued', means: 'the series was stopped, dropped from its release or replaced; it is not expected back.' },
  no_record: { word: 'No record', means: 'lacuna holds no value and no event for this series yet: nothing is bundled and its source has not been read. It says nothing about the publisher.' },
  new: { word: 'New', means: 'added to lacuna and not evaluated yet.' },
  paused: { word: 'Paused', means: 'a lacuna user stopped evaluating and alerting it.' },
};

/** The status of a grid (see the table above), before a pause; `latest` is the last judged cell. */
export function gridStatus(grid: readonly PeriodCell[], now: number): { status: SeriesStatus; latest: PeriodCell | undefined; judged: PeriodCell[] } {
  const judged = grid.filter((c) => STATUS_OF_STATE[c.state]);
  const latest = judged.at(-1);
  if (!latest) return { status: 'no_record', latest, judged };
  let status = STATUS_OF_STATE[latest.state]!;
  if (status === 'current') {
    const after = grid.slice(grid.indexOf(latest) + 1);
    if (after.some((c) => c.state === 'unknown' && c.dueAt <= now)) status = 'unchecked';
  }
  return { status, latest, judged };
}
