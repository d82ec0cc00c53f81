// A worker thread starts without the main thread's module hooks: it registers tsx itself (as bin/steward.js
// does), then runs the TypeScript entry named in its workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
