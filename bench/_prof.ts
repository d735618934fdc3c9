// temporary: full recompute profile
import { openDb } from '../db/client.js';
import { evaluateSeriesInStore } from '../src/evaluate-due.js';
const db = openDb(process.argv[2]!);
const t = performance.now();
evaluateSeriesInStore(db, { kind: 'all' }, Date.parse('2026-11-01T00:00:00Z'));
console.log('full', performance.now() - t);
