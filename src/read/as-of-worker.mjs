// The as-of helper's entry: TypeScript runs through tsx here as in the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./as-of-worker.ts');
