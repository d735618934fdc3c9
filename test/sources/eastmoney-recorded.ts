// Eastmoney's datacenter answers as another project recorded them (test/fixtures/recorded/eastmoney):
// one file holding, under each report's name, the whole answer Eastmoney gave for it.
import { recorded } from '../replay-server.js';

const SAMPLES = JSON.parse(recorded('eastmoney/openecon-chinamacro_live_samples.json').toString('utf8')) as Record<string, unknown>;

/** The recorded answer to `reportName=<report>`, serialised again as JSON (the file is pretty-printed). */
export function eastmoneyAnswer(report: string): string {
  if (!(report in SAMPLES)) throw new Error(`no recorded Eastmoney answer for ${report}`);
  return JSON.stringify(SAMPLES[report]);
}
