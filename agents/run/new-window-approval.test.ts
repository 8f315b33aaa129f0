// An action in a window that was not open at the start, when the action needs approval anyway (mode
// "always", or a risk): the person is asked once, the one request naming the window; a rejection
// stops it before the driver; a window the request did not name (the screen changed, an edit moved
// the action) is still asked about. The real window guard runs here over a fake view of the windows
// and a fake driver; on a display it is tested in e2e/new-windows.test.ts.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DesktopActionInput } from '../desktop/actions.ts';
import type { DesktopDriver, Screenshot } from '../desktop/driver.ts';
import type { Size } from '../desktop/geometry.ts';
import { guardWindows, newWindowReason, type WindowLook, type WindowPolicy } from '../desktop/window-policy.ts';
import type { XWindow } from '../desktop/x-windows.ts';
import { ScriptedPlanner } from '../models/scripted.ts';
import { useTempStore } from '../store/testdata/temp-store.ts';
import type { Store } from '../store/store.ts';
import { AgentRun } from './agent-run.ts';
import type { ApprovalDecision, ApprovalMode, RunEvent } from './events.ts';

const SIZE: Size = { width: 320, height: 200 };
let frame: Buffer;
beforeAll(async () => {
  frame = await sharp({ create: { ...SIZE, channels: 3, background: '#204060' } }).png().toBuffer();
});

const win = (id: string, cls: string, title: string): XWindow => ({ id, classes: [cls.toLowerCase(), cls], title, x: 0, y: 0, width: 100, height: 100 });
/** Open at the start: the left of the screen. */
const term = win('10', 'XTerm', 'bash');
/** Opened since: the right of the screen, and it has the focus. */
const pad = win('20', 'Mousepad', 'notes.txt - Mousepad');
/** Opened since, while the operator was deciding (see `later`). */
const other = win('30', 'Gedit', 'other.txt');
const ALWAYS = 'approval mode is "always"';

/** The windows on a pretend screen: x < 100 is the terminal, the rest the new editor (or, once `later` is set, another new window). */
class FakeScreen implements WindowLook {
  later = false;
  async open(): Promise<string[]> {
    return [term.id];
  }
  async reached(a: DesktopActionInput): Promise<(XWindow | undefined)[]> {
    const right = this.later ? other : pad;
    if (a.type === 'click') return [a.x < 100 ? term : right];
    if (a.type === 'type' || a.type === 'keypress') return [right];
    return [];
  }
}

class FakeDriver implements DesktopDriver {
  readonly display = ':fake';
  readonly performed: DesktopActionInput[] = [];
  async screenSize(): Promise<Size> {
    return SIZE;
  }
  async capture(): Promise<Screenshot> {
    return { data: frame, format: 'png', screen: SIZE, image: SIZE, scaleX: 1, scaleY: 1, capturedAt: Date.now(), method: 'nut' };
  }
  async perform(action: DesktopActionInput): Promise<void> {
    this.performed.push(action);
  }
  async close(): Promise<void> {}
}

const tmp = useTempStore();
const ofType = <T extends RunEvent['type']>(store: Store, run: AgentRun, type: T) =>
  store.readEvents<RunEvent>(run.id).filter((e): e is typeof e & Extract<RunEvent, { type: T }> => e.type === type);

type Decide = (reasons: string[], nth: number) => ApprovalDecision;

function start(approve: ApprovalMode, actions: unknown[], decide: Decide, screen = new FakeScreen(), policy: WindowPolicy = { askNew: true }) {
  const store = tmp.open();
  const inner = new FakeDriver();
  const driver = guardWindows(inner, screen, policy);
  const planner = new ScriptedPlanner([{ actions }, { actions: [{ type: 'done' }] }]);
  const asked: string[][] = [];
  let run: AgentRun | undefined;
  store.subscribe<RunEvent>((e) => {
    if (e.type !== 'approval_requested' || !run || e.runId !== run.id) return;
    asked.push(e.reasons);
    const decision = decide(e.reasons, asked.length);
    queueMicrotask(() => run!.control.decide(e.actionId, decision));
  });
  run = AgentRun.start({ store, driver, planner }, { task: 'edit notes', provider: 'test', options: { approve } });
  return { store, inner, run, asked };
}

const clickPad = { type: 'click', x: 150, y: 50 };

describe('one approval for an action in a window not open at the start', () => {
  it('mode "always": asked once, the request naming the window, and the click performed once', async () => {
    const { store, inner, run, asked } = start('always', [clickPad], () => ({ decision: 'approve' }));
    expect((await run.finished).status).toBe('done');
    expect(asked).toEqual([[ALWAYS, newWindowReason(pad)]]);
    expect(ofType(store, run, 'approval_decided').map((e) => e.decision)).toEqual(['approve']);
    expect(inner.performed).toEqual([{ type: 'click', x: 150, y: 50, button: 'left' }]);
    expect(ofType(store, run, 'action_performed')).toHaveLength(1);
  });

  it('mode "always": a rejection of that one request keeps the action from the driver', async () => {
    const { store, inner, run, asked } = start('always', [clickPad], () => ({ decision: 'reject', reason: 'not there' }));
    expect((await run.finished).status).toBe('done');
    expect(asked).toEqual([[ALWAYS, newWindowReason(pad)]]);
    expect(inner.performed).toEqual([]);
    expect(ofType(store, run, 'action_performed')).toEqual([]);
  });

  it('a window approved once is known: the next action there is asked about only for the mode', async () => {
    const { inner, run, asked } = start('always', [clickPad, { type: 'type', text: 'hi' }, { type: 'click', x: 10, y: 10 }], () => ({ decision: 'approve' }));
    expect((await run.finished).status).toBe('done');
    expect(asked).toEqual([[ALWAYS, newWindowReason(pad)], [ALWAYS], [ALWAYS]]);
    expect(inner.performed.map((a) => a.type)).toEqual(['click', 'type', 'click']);
  });

  it('mode "risky": a risky key press in the new window is asked once, with its risk and the window', async () => {
    const { inner, run, asked } = start('risky', [{ type: 'keypress', keys: ['ALT', 'F4'] }], () => ({ decision: 'approve' }));
    expect((await run.finished).status).toBe('done');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.at(-1)).toBe(newWindowReason(pad));
    expect(asked[0]!.length).toBeGreaterThan(1);
    expect(inner.performed).toHaveLength(1);
  });

  it('a window the request did not name (opened while the operator decided) is asked about, and its rejection stops the action', async () => {
    const screen = new FakeScreen();
    const { store, inner, run, asked } = start('always', [clickPad], (_reasons, nth) => {
      screen.later = true;
      return nth === 1 ? { decision: 'approve' } : { decision: 'reject', reason: 'not that one' };
    }, screen);
    expect((await run.finished).status).toBe('done');
    expect(asked).toEqual([[ALWAYS, newWindowReason(pad)], [newWindowReason(other)]]);
    expect(inner.performed).toEqual([]);
    expect(ofType(store, run, 'action_failed')[0]!.error).toContain('the operator refused (not that one)');
  });

  it('an edit that moves the action into the terminal runs unasked; one that stays in the named window too', async () => {
    const { inner, run, asked } = start('always', [clickPad, clickPad], (_r, nth) => ({ decision: 'edit', action: nth === 1 ? { type: 'click', x: 10, y: 10, button: 'left' } : { type: 'click', x: 160, y: 60, button: 'left' } }));
    expect((await run.finished).status).toBe('done');
    // The first edit left the editor unapproved, so the second action names it again.
    expect(asked).toEqual([[ALWAYS, newWindowReason(pad)], [ALWAYS, newWindowReason(pad)]]);
    expect(inner.performed).toEqual([{ type: 'click', x: 10, y: 10, button: 'left' }, { type: 'click', x: 160, y: 60, button: 'left' }]);
  });

  it('a denied window is refused unasked about the window, whatever the approval said', async () => {
    const { store, inner, run, asked } = start('always', [clickPad], () => ({ decision: 'approve' }), new FakeScreen(), { askNew: true, deny: { classes: ['mousepad'] } });
    expect((await run.finished).status).toBe('done');
    expect(asked).toEqual([[ALWAYS]]);
    expect(inner.performed).toEqual([]);
    expect(ofType(store, run, 'action_failed')[0]!.error).toContain('deny list');
  });
});

describe('the window guard\'s questions', () => {
  it('name each new window a drag reaches once, and nothing for known windows', async () => {
    const screen: WindowLook = { open: async () => [term.id], reached: async () => [pad, other, pad, term, undefined] };
    const driver = guardWindows(new FakeDriver(), screen, { askNew: true });
    const drag: DesktopActionInput = { type: 'drag', path: [{ x: 0, y: 0 }, { x: 1, y: 1 }] };
    expect(await driver.guardQuestions!(drag)).toEqual([{ reason: newWindowReason(pad), subject: pad.id }, { reason: newWindowReason(other), subject: other.id }]);
    const quiet = guardWindows(new FakeDriver(), { ...screen, reached: async () => [term] }, { askNew: true });
    expect(await quiet.guardQuestions!(drag)).toEqual([]);
  });

  it('an answer for one window does not cover another: that one is still asked', async () => {
    const screen: WindowLook = { open: async () => [term.id], reached: async () => [pad, other] };
    const inner = new FakeDriver();
    const driver = guardWindows(inner, screen, { askNew: true });
    const reasons: string[] = [];
    await expect(driver.perform({ type: 'drag', path: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, undefined, {
      answered: [pad.id],
      approve: async (reason) => (reasons.push(reason), { approved: false, reason: 'no' }),
    })).rejects.toThrow(newWindowReason(other));
    expect(reasons).toEqual([newWindowReason(other)]);
    expect(inner.performed).toEqual([]);
  });
});

describe('the window guard and the focus', () => {
  it('waits for the focus to settle only right after input it sent, not before the first action', async () => {
    const looked: boolean[] = [];
    const screen: WindowLook = { open: async () => [term.id], reached: async (_a, afterInput) => (looked.push(afterInput), [term]) };
    const driver = guardWindows(new FakeDriver(), screen, { askNew: true });
    await driver.perform({ type: 'keypress', keys: ['ctrl', 'l'] });
    await driver.perform({ type: 'type', text: 'ls\n' });
    expect(looked).toEqual([false, true]);
  });
});
