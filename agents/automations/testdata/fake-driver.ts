// A driver over a picture: captures return the current scene (scaled when asked, as NutDriver does),
// and actions are only recorded. Tests swap the scene to move or hide targets.
import sharp from 'sharp';
import type { DesktopActionInput } from '../../desktop/actions.ts';
import type { CaptureOptions, DesktopDriver, Screenshot } from '../../desktop/driver.ts';
import type { Size } from '../../desktop/geometry.ts';

export class PictureDriver implements DesktopDriver {
  readonly display = ':picture';
  readonly performed: DesktopActionInput[] = [];
  /** Called after each action is recorded: a test can change the scene here. */
  onPerform?: (action: DesktopActionInput) => void | Promise<void>;

  constructor(public scene: Buffer, readonly size: Size = { width: 1280, height: 800 }) {}

  async screenSize(): Promise<Size> {
    return this.size;
  }

  async capture(opts: CaptureOptions, signal?: AbortSignal): Promise<Screenshot> {
    signal?.throwIfAborted();
    const width = opts.width ?? this.size.width;
    const height = Math.round((this.size.height * width) / this.size.width);
    const data = width === this.size.width ? this.scene : await sharp(this.scene).resize(width, height, { fit: 'fill' }).png().toBuffer();
    return { data, format: 'png', screen: this.size, image: { width, height }, scaleX: width / this.size.width, scaleY: height / this.size.height, capturedAt: Date.now(), method: 'nut' };
  }

  async perform(action: DesktopActionInput, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.performed.push(action);
    await this.onPerform?.(action);
  }

  async settle(): Promise<{ ms: number; settled: boolean }> {
    return { ms: 0, settled: true };
  }

  async close(): Promise<void> {}
}
