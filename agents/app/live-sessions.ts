// Live views of sandboxed runs and takeovers: a viewer's RFB stream passes through here, its input
// dropped unless its operator has taken the run over; then each click and key is logged as an
// operator_action, the screen after each burst of them as an operator_screenshot, and handing back
// tells the model what the operator did.
import type { Socket } from 'node:net';
import type { DesktopAction } from '../desktop/actions.ts';
import { LiveView } from '../desktop/live-view.ts';
import { OperatorInput } from '../desktop/operator-input.ts';
import { isInput, RfbClientParser } from '../desktop/rfb-input.ts';
import type { Store } from '../store/store.ts';
import { CommandError } from './command-error.ts';
import type { RunHost } from './run-host.ts';

/** One viewer's stream: bytes from x11vnc on `socket`; bytes from the viewer go to `write`. */
export interface LiveStream {
  socket: Socket;
  /** The x11vnc serving it. */
  pid: number | undefined;
  /** Forwards what the viewer may send; throws an RfbProtocolError on a stream that is not RFB. */
  write(chunk: Buffer): void;
  close(): void;
}

/** A transport's own door to the live view (the desktop app's loopback socket): a URL that opens one viewer's stream. */
export interface LiveEndpoint {
  offer(open: () => Promise<LiveStream>): Promise<string>;
  close(): Promise<void>;
}

interface Takeover {
  viewer: string;
  input: OperatorInput;
  actions: DesktopAction[];
  /** Actions logged since the last operator screenshot. */
  unshot: number;
  /** The screenshot being taken, if any: one at a time, in order. */
  shooting: Promise<void>;
}

export class LiveSessions {
  private readonly view = new LiveView();
  private readonly takeovers = new Map<string, Takeover>();

  constructor(private readonly opts: { store: Store; host: RunHost }) {}

  /** A viewer's stream of an active sandboxed run's screen; `viewer` names the page, so a takeover gives input to that page only. */
  async open(runId: string, viewer: string): Promise<LiveStream> {
    const display = this.sandboxOf(runId);
    const { socket, pid, release } = await this.view.connect(display);
    const parser = new RfbClientParser();
    const close = () => {
      socket.destroy();
      release();
    };
    // The sandbox goes with the run: its viewers are closed rather than left on a frozen picture.
    void this.opts.host.get(runId)?.finished.finally(close);
    return {
      socket,
      pid,
      write: (chunk) => {
        for (const msg of parser.push(chunk)) {
          if (!isInput(msg)) socket.write(msg.bytes);
          else {
            const takeover = this.takeovers.get(runId);
            if (takeover?.viewer !== viewer) continue; // view only: the sandbox is the agent's
            takeover.input.feed(msg);
            socket.write(msg.bytes);
          }
        }
      },
      close,
    };
  }

  /** Throws the CommandError a viewer would get when the run has no screen to show. */
  check(runId: string): void {
    this.sandboxOf(runId);
  }

  /** Pauses the run and gives this viewer the mouse and keyboard of its screen. */
  takeover(runId: string, viewer: string): void {
    this.sandboxOf(runId);
    const run = this.opts.host.get(runId)!;
    const current = this.takeovers.get(runId);
    if (current && current.viewer !== viewer) throw new CommandError('conflict', 'another operator has taken this run over: wait until they hand it back');
    run.control.pause();
    if (current) return;
    // One screenshot per burst (when the operator's input has paused), not per action: a run of arrow
    // keys or a typed word would otherwise cost a capture per key, and the screen mid-burst says little.
    const takeover: Takeover = {
      viewer, actions: [], unshot: 0, shooting: Promise.resolve(),
      input: new OperatorInput(
        (action) => {
          takeover.actions.push(action);
          takeover.unshot += 1;
          this.opts.store.append(runId, { type: 'operator_action', action });
        },
        () => void this.shoot(runId, takeover),
      ),
    };
    this.takeovers.set(runId, takeover);
    void run.finished.finally(() => this.takeovers.delete(runId));
  }

  /** Ends the takeover: the screen the operator leaves is recorded, the model is told what they did, and the run resumes. */
  async handback(runId: string): Promise<{ actions: number }> {
    const takeover = this.takeovers.get(runId);
    const run = this.opts.host.get(runId);
    if (!takeover || !run) throw new CommandError('conflict', 'this run has not been taken over (or it has ended)');
    takeover.input.flush();
    this.takeovers.delete(runId);
    await this.shoot(runId, takeover);
    run.control.steer(describeOperatorActions(takeover.actions));
    run.control.resume();
    return { actions: takeover.actions.length };
  }

  /** Records the screen after the actions logged since the last screenshot, if there are any. */
  private shoot(runId: string, takeover: Takeover): Promise<void> {
    if (takeover.unshot === 0) return takeover.shooting;
    takeover.unshot = 0;
    takeover.shooting = takeover.shooting
      .then(() => this.opts.host.get(runId)?.recordOperatorScreen())
      // The display went with the run (it ended meanwhile): its end says why; there is nothing to record.
      .then(() => undefined, () => undefined);
    return takeover.shooting;
  }

  close(): Promise<void> {
    this.takeovers.clear();
    return this.view.close();
  }

  private sandboxOf(runId: string): string {
    const d = this.opts.host.displayOf(runId);
    if (!d) throw new CommandError('not_found', 'this run is not active: there is no screen to show');
    if (!d.sandbox) throw new CommandError('conflict', 'the live view shows sandbox displays only; this run drives your own screen');
    return d.display;
  }
}

/** The steering message a handback sends: what the operator did, in the run's action vocabulary. */
export function describeOperatorActions(actions: readonly DesktopAction[]): string {
  if (actions.length === 0) return 'The operator took over the screen and handed it back without doing anything. Carry on.';
  const lines = actions.slice(0, 50).map((a, i) => `${i + 1}. ${describe(a)}`);
  if (actions.length > 50) lines.push(`... and ${actions.length - 50} more actions`);
  return `The operator took over the screen while the run was paused and did this (screen pixels):\n${lines.join('\n')}\nLook at the screen again before you go on: it may have changed.`;
}

function describe(a: DesktopAction): string {
  switch (a.type) {
    case 'click':
      return `${a.button === 'left' ? '' : `${a.button} `}click at (${a.x}, ${a.y})`;
    case 'double_click':
    case 'triple_click':
    case 'move':
      return `${a.type.replace('_', ' ')} at (${a.x}, ${a.y})`;
    case 'drag':
      return `drag from (${a.path[0]!.x}, ${a.path[0]!.y}) to (${a.path.at(-1)!.x}, ${a.path.at(-1)!.y})`;
    case 'scroll':
      return `scroll ${a.direction} ${a.amount} at (${a.x}, ${a.y})`;
    case 'type':
      return `typed ${JSON.stringify(a.text)}`;
    case 'keypress':
      return `pressed ${[a.keys].flat().join('+')}`;
    default:
      return a.type;
  }
}
