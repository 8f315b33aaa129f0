// What one press of Start begins: one task, the same task N times, or one task per line; several
// runs each get a new thread and a sandbox of their own.
export interface StartChoice {
  /** How many times to start the task (1 = once). */
  copies: number;
  /** Each non-empty line is a task of its own. */
  perLine: boolean;
  /** Where the run happens; undefined = as the settings say. */
  runOn: 'current' | 'sandbox' | undefined;
}

export interface PlannedStart {
  task: string;
  /** A new thread for each of several runs; the composer's thread for one. */
  newThread: boolean;
  runOn: 'current' | 'sandbox' | undefined;
}

export const MAX_COPIES = 20;

/** The runs to start for `text` (already trimmed): several always run in sandboxes, never on one screen. */
export function planStarts(text: string, choice: StartChoice): PlannedStart[] {
  const tasks = choice.perLine ? text.split('\n').map((l) => l.trim()).filter(Boolean) : [text];
  const copies = Math.max(1, Math.min(MAX_COPIES, Math.floor(choice.copies) || 1));
  const all = tasks.flatMap((task) => Array.from({ length: copies }, () => task));
  if (all.length <= 1) return all.map((task) => ({ task, newThread: false, runOn: choice.runOn }));
  return all.map((task) => ({ task, newThread: true, runOn: 'sandbox' }));
}
