// The new NBS portal's recorded answers (test/fixtures/recorded/nbs-dg), as the tests read them:
// each archive file wraps the portal's answer (`response`) with the request that brought it.
import { recorded } from '../replay-server.js';

export interface Archived { url: string; request: Record<string, unknown> | null; response: unknown }
/** One archive file, parsed. */
export const archived = (file: string): Archived => JSON.parse(recorded(`nbs-dg/${file}`).toString('utf8')) as Archived;
export const YOUTH = archived('values_bd6da1abb26046c2acb38aa701d90e86_20260917T092319380278Z.json');
export const URBAN = archived('values_3888eac6062945a79c8a27e5f13d4953_20260917T092314752025Z.json');
export const GDP = archived('values_170e7f00f8c24ede863c0526b42ae81f_20260917T092520613308Z.json');
export const IVA = archived('values_ef1b1765960d45a29b4d7c4ca91be916_20260917T092326562235Z.json');
export const EXPORTS = archived('values_788f44b0f310403fbd308b77d6f83890_20260917T092358100602Z.json');
export const UNEMPLOYMENT_TABLE = archived('indicators_ee3b7046b390415b9b7745e3d16f6052_20260917T092311816429Z.json');
export const INDUSTRY_TABLE = archived('indicators_3f2e14f0542348ed9fe02476eca3450b_20260917T092324096668Z.json');

export const TRADE_TABLE = archived('indicators_7e11b47c828d4e4e925f1c5a98305558_20260917T092343568344Z.json');
