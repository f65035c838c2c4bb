// Loaded with --import into a forked child: gives it the process.parentPort of an Electron utility
// process ({data} message events, postMessage), over the fork's IPC channel, so the extractor's
// worker runs the code path the packaged app uses (main/electron/extract-launcher.ts). Like
// Electron's port, it holds messages until a 'message' listener is there.
import { EventEmitter } from 'node:events';

const port = new EventEmitter();
const held = [];
port.postMessage = (message) => process.send(message);
port.on('newListener', (event) => {
  if (event !== 'message') return;
  setImmediate(() => {
    for (const m of held.splice(0)) port.emit('message', { data: m });
  });
});
process.on('message', (message) => {
  if (port.listenerCount('message') > 0) port.emit('message', { data: message });
  else held.push(message);
});
Object.defineProperty(process, 'parentPort', { value: port });
