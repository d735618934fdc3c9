// Heavy reads (every series evaluated as of a past date, the disclosure index over every series)
// must not hold the event loop: they run a unit of work at a time and hand the loop back once a
// slice has passed, so that the server answers other requests meanwhile.

/** Time in ms since some fixed point: the clock the slices are measured with. */
const clock = () => performance.now();

/**
 * A pacer: `await pace()` between units of work yields to the event loop once `sliceMs` of work
 * has passed since the last yield, and returns at once otherwise.
 */
export function pacer(sliceMs = 40): () => Promise<void> {
  let since = clock();
  return async () => {
    if (clock() - since < sliceMs) return;
    await new Promise<void>((ok) => setImmediate(ok));
    since = clock();
  };
}
