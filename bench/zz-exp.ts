import { subscribe } from 'node:diagnostics_channel';
import { spawnSimulator } from '../src/server/spawn-simulator.js';
import { measureDispatchLag } from './dispatch-lag.js';
let connects = 0;
subscribe('undici:client:connected', () => connects++);
const sim = await spawnSimulator({ preset: 'instant' });
const r = await measureDispatchLag('goodput', sim.url, Number(process.argv[2] ?? 2000), 2000, 8);
console.log(r, 'connects', connects);
await sim.stop();
