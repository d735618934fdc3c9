// The bench's load generator, in a thread of its own as wrk or autocannon run in a process of
// their own: the server's thread answers requests and nothing else. It sends what an HTTP client
// sends (the headers given, Accept-Encoding: gzip as browsers and R or Python clients do) and reads
// every byte of each answer without decoding it. Posts back how many answers came and each one's
// latency in ms.
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

const { base, paths, headers, seconds, connections } = workerData;
const pool = new Pool(base, { connections, pipelining: 1 });
const latencies = [];
let next = 0;
let failure = null;
const end = performance.now() + seconds * 1000;
await Promise.all(Array.from({ length: connections }, async () => {
  while (performance.now() < end && !failure) {
    const path = paths[next++ % paths.length];
    const t = performance.now();
    try {
      const res = await pool.request({ path, method: 'GET', headers });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) failure = `${path} answered ${res.statusCode}`;
    } catch (e) {
      failure = `${path}: ${e instanceof Error ? e.message : String(e)}`;
    }
    latencies.push(performance.now() - t);
  }
}));
await pool.close();
parentPort.postMessage({ latencies, failure });
