// temporary profile of the observations route and the export
import { openDb } from '../db/client.js';
import { createApp } from '../web/app.js';
const db = openDb(process.argv[2]!);
const NOW = Date.parse('2026-11-01T00:00:00Z');
const app = createApp({ db, now: () => NOW });
const what = process.argv[3];
const t = performance.now();
if (what === 'api') {
  for (let i = 0; i < 2000; i++) await (await app.request(`/api/series/bench.s${String((i * 7919) % 1000).padStart(5, '0')}/observations`)).text();
} else if (what === 'board') {
  for (let i = 0; i < 20; i++) await (await app.request('/')).text();
} else {
  await (await app.request('/export.csv')).text();
}
console.log(what, performance.now() - t);
