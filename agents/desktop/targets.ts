// Where a run happens, and the driver for it: one factory keyed by the target, so the app, the CLI
// and the tasks runner never construct drivers themselves. A new kind of target (a browser) is one
// opener here.
import type { DesktopDriver } from './driver.ts';
import { startDisplay, type VirtualDisplay } from './display.ts';
import type { Size } from './geometry.ts';
import { NutDriver } from './nut-driver.ts';
import { DEFAULT_PRIVACY, withPrivateRegions, type PrivacyOptions } from './private-regions.ts';
import { withSecretTextMask, type SecretTextOptions } from './secret-text-mask.ts';
import { withWindowPolicy, type WindowPolicy } from './window-policy.ts';

export type RunTarget =
  /** A running X display: the user's own screen, or one started with `deskpilot display start`. */
  | { kind: 'display'; display: string }
  /** A fresh virtual desktop of its own, stopped when the run ends. */
  | { kind: 'sandbox'; size?: Size; launch?: string[] };

/** A target made ready: its driver and, for a sandbox, the display's own environment. */
export interface OpenedTarget {
  display: string;
  driver: DesktopDriver;
  /** The sandbox's environment (HOME, DISPLAY, TMPDIR, bus); absent on a display we did not start. */
  env?: Record<string, string>;
  virtual?: VirtualDisplay;
  /** A sandbox of its own: tools are on by default, and nothing of the user's is reachable. */
  sandboxed: boolean;
  /** Stops the driver and, for a sandbox, the display with everything on it. */
  close(): Promise<void>;
}

/** Could not open the target: no display, a dead X server, a sandbox that would not start. */
export class TargetError extends Error {
  override name = 'TargetError';
  constructor(message: string, readonly target: RunTarget) {
    super(message);
  }
}

export interface OpenTargetOptions {
  /** Wraps the driver (the desktop app hides its own overlay from screenshots). */
  wrapDriver?: (driver: DesktopDriver) => DesktopDriver;
  /** Told the display before the driver starts (automations probe its windows). */
  onDisplay?: (opened: Omit<OpenedTarget, 'driver' | 'close'>) => void;
  /** Windows and areas blacked out of every screenshot (password managers by default), and whether OCR'd card numbers and keys are. */
  privacy?: PrivacyOptions & SecretTextOptions;
  /** Windows the run may not (deny) or only (allow) act on; checked before each action. */
  windows?: WindowPolicy;
}

/** The driver as runs see it: the caller's wrapper, then private regions and OCR'd secrets masked last, so nothing else sees them. */
function guarded(nut: DesktopDriver, opts: OpenTargetOptions, display: string, env?: Record<string, string>): DesktopDriver {
  const driver = opts.wrapDriver ? opts.wrapDriver(nut) : nut;
  const x = { display, env };
  // OCR costs about 0.6 s a frame: on by default on the user's own screen (no sandbox env), off in a sandbox.
  const masked = withSecretTextMask(withPrivateRegions(driver, x, opts.privacy ?? DEFAULT_PRIVACY), opts.privacy?.maskSecretText ?? env === undefined);
  return withWindowPolicy(masked, x, opts.windows ?? {});
}

type Opener<K extends RunTarget['kind']> = (target: Extract<RunTarget, { kind: K }>, opts: OpenTargetOptions) => Promise<OpenedTarget>;

const OPENERS: { [K in RunTarget['kind']]: Opener<K> } = {
  display: async (target, opts) => {
    opts.onDisplay?.({ display: target.display, sandboxed: false });
    const nut = await NutDriver.start({ display: target.display }).catch((err: Error) => {
      throw new TargetError(`cannot drive display ${target.display}: ${err.message}`, target);
    });
    const driver = guarded(nut, opts, target.display);
    return { display: target.display, driver, sandboxed: false, close: () => nut.close() };
  },
  sandbox: async (target, opts) => {
    const virtual = await startDisplay(target.size ? { size: target.size } : {}).catch((err: Error) => {
      throw new TargetError(`could not start a sandbox display: ${err.message}`, target);
    });
    try {
      // A terminal by default, so the agent has somewhere to start.
      for (const app of target.launch ?? ['xterm']) await virtual.launch(app, []).catch(() => undefined);
      opts.onDisplay?.({ display: virtual.display, env: virtual.env, virtual, sandboxed: true });
      const nut = await NutDriver.start({ display: virtual.display, env: virtual.env }).catch((err: Error) => {
        throw new TargetError(`cannot drive the sandbox display ${virtual.display}: ${err.message}`, target);
      });
      const driver = guarded(nut, opts, virtual.display, virtual.env);
      const close = async () => {
        await nut.close().catch(() => undefined);
        await virtual.stop();
      };
      return { display: virtual.display, driver, env: virtual.env, virtual, sandboxed: true, close };
    } catch (err) {
      await virtual.stop().catch(() => undefined);
      throw err;
    }
  },
};

/** Opens a target: starts what it needs and a driver on it. The caller closes it. */
export function openTarget(target: RunTarget, opts: OpenTargetOptions = {}): Promise<OpenedTarget> {
  return (OPENERS[target.kind] as Opener<RunTarget['kind']>)(target as never, opts);
}

export function describeTarget(target: RunTarget): string {
  return target.kind === 'display' ? `display ${target.display}` : 'a sandbox display';
}
