// A live view's WebSocket (noVNC in the page) joined to the display's x11vnc: binary frames down,
// the viewer's messages up through the stream's filter (input only while its operator takes over).
import type { WebSocket } from 'ws';
import type { LiveStream } from '../app/live-sessions.ts';

/** Frames queued for a slow viewer beyond this pause reading from x11vnc (it then skips frames, not us). */
const HIGH_WATER = 4 << 20;

export function attachLiveView(ws: WebSocket, stream: LiveStream): void {
  const { socket } = stream;
  let paused = false;
  const drain = setInterval(() => {
    if (paused && ws.bufferedAmount < HIGH_WATER / 4) {
      paused = false;
      socket.resume();
    }
  }, 20);
  socket.on('data', (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunk, { binary: true });
    if (ws.bufferedAmount > HIGH_WATER && !paused) {
      paused = true;
      socket.pause();
    }
  });
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (!isBinary) return ws.close(1003, 'the live view speaks binary RFB');
    const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    try {
      stream.write(chunk);
    } catch (err) {
      ws.close(1002, (err as Error).message.slice(0, 120));
    }
  });
  const end = () => {
    clearInterval(drain);
    stream.close();
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000, 'the screen is gone (the run ended)');
  };
  socket.on('close', end);
  socket.on('error', () => socket.destroy());
  ws.on('close', end);
  ws.on('error', () => undefined); // ws closes with the code that says why
}
