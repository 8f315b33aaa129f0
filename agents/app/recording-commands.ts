// The recording commands of the contract: the Automations view's "Record a demonstration". The
// operator's own mouse and keyboard on the display the app's runs use are recorded (as
// `deskpilot automations record` does), and stop returns a draft for the step editor, not saved.
import type { z } from 'zod';
import { assertName, AutomationError } from '../automations/automation.ts';
import type { AutomationStore } from '../automations/automation-store.ts';
import type { DemoStep } from '../automations/demo-merge.ts';
import { buildFromRecording, recordDisplay, type DisplayRecording, type Recording } from '../automations/recorder.ts';
import type { AppEvent, commands, CommandName, CommandOutput, RecordingStatus } from '../contract.ts';
import { plural } from '../run/run-format.ts';
import type { Store } from '../store/store.ts';
import { CommandError } from './command-error.ts';

type RecordingCommand = Extract<CommandName, `recordings.${string}`>;
type Input<C extends CommandName> = z.output<(typeof commands)[C]['input']>;
export type RecordingHandlers = { [C in RecordingCommand]: (input: Input<C>) => Promise<CommandOutput<C>> | CommandOutput<C> };

/** Windows whose title says this are Deskpilot's own: the clicks that stopped the recording. */
export const OWN_WINDOW = 'Deskpilot';
/** Live counts are pushed at most this often. */
const STATUS_EVERY_MS = 500;

export interface RecordingDeps {
  store: Store;
  automations: () => AutomationStore;
  /** The screen the app's runs use; undefined when there is none (no DISPLAY). */
  display: () => string | undefined;
  /** What is using a display now (a run), if anything. */
  usingDisplay: (display: string) => string | undefined;
  emit: (e: AppEvent) => void;
  env?: Record<string, string | undefined>;
  /** Starts the recorder (tests give a fake); default: a NutDriver for frames and the global hook. */
  startRecorder?: (display: string, onInput: (kind: string) => void) => Promise<RecorderHandle>;
}

/** What the commands need of a running recorder and the driver it captures frames with. */
export type RecorderHandle = DisplayRecording;

interface Session {
  display: string;
  startedAt: number;
  events: number;
  presses: number;
  /** Resolves with the recorder once it records; rejects when it could not start. */
  ready?: Promise<RecorderHandle>;
  stopping: boolean;
  /** Why recording stopped early, once the watch has seen it. */
  error?: string;
  lastPush: number;
  timer?: NodeJS.Timeout;
}

export interface Recordings {
  handlers: RecordingHandlers;
  /** Why a display cannot take a run now: it is being recorded. */
  busy(display: string): string | undefined;
  /** Cancels a recording in progress (the app is closing): no hook process is left behind. */
  close(): Promise<void>;
}


/**
 * Drops the steps at the end that went to Deskpilot's own window: from the first press there that no
 * press elsewhere follows (stopping the recording from the app, on the recorded display), with the
 * keys typed after it (the name asked for). Returns how many were dropped.
 */
export function ownWindowTail(steps: readonly Pick<DemoStep, 'action' | 'point'>[], titles: readonly (string | undefined)[]): number {
  let cut = steps.length;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (!steps[i]!.point) continue;
    if (!titles[i]?.includes(OWN_WINDOW)) break;
    cut = i;
  }
  return steps.length - cut;
}

export function recordingCommands(deps: RecordingDeps): Recordings {
  const env = deps.env ?? process.env;
  const startRecorder = deps.startRecorder ?? ((display, onInput) => recordDisplay(display, { env, onInput: (i) => onInput(i.kind) }));
  let session: Session | undefined;
  /** A stop still gathering evidence, so close() can wait for it before the store closes. */
  let building: Promise<unknown> | undefined;

  const statusOf = (s: Session | undefined): RecordingStatus => {
    if (!s) return { active: false, events: 0, presses: 0 };
    return { active: true, display: s.display, startedAt: s.startedAt, events: s.events, presses: s.presses, ...(s.error ? { error: s.error } : {}) };
  };
  const push = (s: Session | undefined) => {
    if (s) {
      clearTimeout(s.timer);
      delete s.timer;
      s.lastPush = Date.now();
    }
    deps.emit({ kind: 'recording_changed', status: statusOf(s) });
  };
  /** Live counts: at once when the last push is old enough, else once when it is. */
  const pushSoon = (s: Session) => {
    if (s.timer || s !== session) return;
    const wait = Math.max(0, s.lastPush + STATUS_EVERY_MS - Date.now());
    s.timer = setTimeout(() => {
      delete s.timer;
      if (s === session && !s.stopping) push(s);
    }, wait);
  };

  /** Ends the session's recorder and driver; the display is free again afterwards. */
  const end = async (s: Session): Promise<Recording | undefined> => {
    s.stopping = true;
    clearTimeout(s.timer);
    const recorder = await s.ready?.catch(() => undefined);
    if (!recorder) return undefined;
    try {
      return await recorder.stop();
    } finally {
      await recorder.close().catch(() => undefined);
      if (session === s) session = undefined;
    }
  };

  const current = () => {
    if (!session || session.stopping) throw new CommandError('conflict', 'no demonstration is being recorded: start one with "Record a demonstration"');
    return session;
  };

  const handlers: RecordingHandlers = {
    'recordings.start': async () => {
      if (session) throw new CommandError('conflict', `a demonstration is already being recorded on display ${session.display}: stop or cancel it first`);
      const display = deps.display();
      if (!display) throw new CommandError('bad_input', 'there is no screen to record here: this Deskpilot has no display of its own, and a sandbox has nobody at it. Start Deskpilot on your desktop, or start its server on the display you work at');
      const using = deps.usingDisplay(display);
      if (using) throw new CommandError('conflict', `${using} is using display ${display}: wait for it to end, or abort it, before recording a demonstration`);
      const s: Session = { display, startedAt: Date.now(), events: 0, presses: 0, stopping: false, lastPush: 0 };
      session = s;
      const ready = startRecorder(display, (kind) => {
        if (s.stopping) return;
        s.events++;
        if (kind === 'down') s.presses++;
        pushSoon(s);
      });
      s.ready = ready;
      let recorder: RecorderHandle;
      try {
        recorder = await ready;
      } catch (err) {
        if (session === s) session = undefined;
        throw new CommandError('failed', `cannot record display ${display}: ${(err as Error).message}`);
      }
      if (s.stopping) throw new CommandError('conflict', 'the recording was cancelled while it started');
      // The display dying mid-recording is shown in the banner; stop still keeps what was recorded.
      const watch = setInterval(() => {
        if (s !== session || s.stopping) return clearInterval(watch);
        if (recorder.error && !s.error) {
          s.error = recorder.error.message;
          push(s);
        }
      }, 250);
      watch.unref();
      push(s);
      return { display, startedAt: s.startedAt };
    },

    'recordings.stop': async ({ name, description }) => {
      const s = current();
      // A bad name is refused before the recording ends, so nothing is lost.
      try {
        assertName(name);
      } catch (err) {
        throw new CommandError('bad_input', (err as AutomationError).message);
      }
      const early = (await s.ready)?.error;
      const recording = await end(s);
      push(undefined);
      if (!recording) throw new CommandError('failed', 'the recording had not started');
      const warnings: string[] = [];
      if (early) warnings.push(`recording stopped early (${early.message}): these are the steps recorded before that`);

      const titles = await Promise.all(recording.steps.map(async (st) => (await recording.pinned.get(st.at)?.window)?.title));
      const dropped = ownWindowTail(recording.steps, titles);
      if (dropped) warnings.push(`left out the last ${plural(dropped, 'step')}: they went to Deskpilot's own window (stopping the recording)`);
      const kept: Recording = { ...recording, steps: recording.steps.slice(0, recording.steps.length - dropped) };
      if (kept.steps.length === 0) throw new CommandError('failed', `nothing was recorded on ${s.display} (${plural(recording.events, 'input event')}${dropped ? `, ${plural(dropped, 'step')} on Deskpilot's own window` : ''}): there are no steps to review`);

      const existing = deps.automations().get(name);
      if (existing) warnings.push(`an automation named "${name}" exists already: saving makes this its version ${existing.version + 1}`);
      const job = buildFromRecording(deps.store, kept, { name, ...(description ? { description } : {}), ocr: true });
      building = job;
      try {
        const built = await job;
        return { automation: built.automation, warnings: [...warnings, ...built.warnings] };
      } finally {
        if (building === job) building = undefined;
      }
    },

    'recordings.cancel': async () => {
      const s = session;
      if (s && !s.stopping) {
        await end(s);
        push(undefined);
      }
      return { ok: true as const };
    },

    'recordings.status': () => statusOf(session && !session.stopping ? session : undefined),
  };

  return {
    handlers,
    busy: (display) => (session && session.display === display ? `a demonstration is being recorded on display ${display}` : undefined),
    close: async () => {
      const s = session;
      if (s) await end(s).catch(() => undefined);
      await building?.catch(() => undefined);
    },
  };
}
