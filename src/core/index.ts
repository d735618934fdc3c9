export * from './types.js';
export * from './period.js';
export * from './release.js';
export * from './evaluate.js';
export * from './flips.js';
export { isValidTimeZone, localToUtc, localDay, zoneOffset } from './zoned-time.js';
export * from './sdmx.js';
export * from './poll.js';
