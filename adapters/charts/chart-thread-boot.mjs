// Run from the TypeScript sources (the tests, the bench), a worker thread starts without the main thread's module
// hooks: it registers tsx itself, then runs the TypeScript entry named in its workerData. The build in dist/ starts
// the compiled thread directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
