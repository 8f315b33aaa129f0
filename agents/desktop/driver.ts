// The DesktopDriver port: the engine sees screens and performs actions only through this.
import type { DesktopActionInput } from './actions.ts';
import type { Size } from './geometry.ts';

export type ImageFormat = 'png' | 'jpeg' | 'webp';
export type CaptureMethod = 'nut' | 'screenshot-desktop';

export interface CaptureOptions {
  format?: ImageFormat;
  /** Resize to this width (height keeps the aspect ratio); omitted = screen size. */
  width?: number;
  /** 1-100 for jpeg and webp. */
  quality?: number;
  method?: CaptureMethod;
  /** A monitor id for screenshot-desktop on systems with several. */
  screenId?: string | number;
}

export interface Screenshot {
  data: Buffer;
  format: ImageFormat;
  /** The screen in input (mouse) pixels. */
  screen: Size;
  /** The encoded image. */
  image: Size;
  /** image pixels per screen pixel. */
  scaleX: number;
  scaleY: number;
  capturedAt: number;
  method: CaptureMethod;
}

export interface SettleOptions {
  intervalMs?: number;
  capMs?: number;
  /** How long a screen the action has not visibly changed must stay so: two equal frames 10 ms apart can both predate a redraw. */
  quietMs?: number;
}

export interface SettleResult {
  ms: number;
  /** false when the screen was still changing at the cap. */
  settled: boolean;
}

/** The operator's answer to a guard of the driver: go ahead (with the action as edited, if it was), or not and why. */
export type PerformApproval = { approved: true; action?: DesktopActionInput } | { approved: false; reason: string };

/** What a guard of the driver would ask the operator before an action: the words, and what a yes covers (a window's id). */
export interface GuardQuestion {
  reason: string;
  subject: string;
}

/** What the run lends a perform: a way to ask the operator when a guard needs it (a window not open at the start). */
export interface PerformContext {
  approve?(reason: string, signal?: AbortSignal): Promise<PerformApproval>;
  /** Subjects of guard questions the operator already said yes to in this action's own approval: not asked again. */
  answered?: readonly string[];
}

export interface DesktopDriver {
  readonly display: string;
  capture(opts: CaptureOptions, signal?: AbortSignal): Promise<Screenshot>;
  /** Validates the action (defaults applied) before any input; without `ctx.approve`, what needs approval is refused. */
  perform(action: DesktopActionInput, signal?: AbortSignal, ctx?: PerformContext): Promise<void>;
  /** What the driver's guards would ask before this action now, so a run that asks anyway joins them into its one request; perform still checks. */
  guardQuestions?(action: DesktopActionInput, signal?: AbortSignal): Promise<GuardQuestion[]>;
  screenSize(signal?: AbortSignal): Promise<Size>;
  /** Waits until two frames in a row are identical (or the cap); drivers that can compare raw frames do it cheaply. */
  settle?(opts: SettleOptions, signal?: AbortSignal): Promise<SettleResult>;
  close(): Promise<void>;
}

/** Raised when the driver can no longer reach its display (X server gone, worker crashed). */
export class DisplayLostError extends Error {
  override name = 'DisplayLostError';
}

export class DriverClosedError extends Error {
  override name = 'DriverClosedError';
}
