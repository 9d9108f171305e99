// Worker-thread entry of host/simulator-thread.ts: runs the simulator on its own thread of the
// calling process (so its work never shares the client's event loop) with the ground truth in
// memory, and hands the truth records written since the last ask to the main thread on request.

import { parentPort, workerData } from 'node:worker_threads';
import type { SimulatorOptions } from '../server/sim-options.js';
import { startSimulator } from '../server/start-simulator.js';

/** Messages of the calibration simulator thread. */
export type SimThreadRequest = { readonly type: 'truth' } | { readonly type: 'stop' };

const port = parentPort;
if (port !== null) {
  const sim = await startSimulator({ ...(workerData as SimulatorOptions), recordTruth: true });
  let handedOut = 0;
  port.on('message', async (message: SimThreadRequest) => {
    if (message.type === 'truth') {
      const all = sim.truth?.records() ?? [];
      const fresh = all.slice(handedOut);
      handedOut = all.length;
      port.postMessage({ type: 'truth', records: fresh });
    } else {
      await sim.close();
      port.postMessage({ type: 'stopped' });
      port.close();
    }
  });
  port.postMessage({ type: 'ready', url: sim.url });
}
