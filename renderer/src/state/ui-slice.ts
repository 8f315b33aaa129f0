// Where the user is (the hash route) and the command errors shown in the banner.
import { CommandError } from '../transport/types.ts';
import { parseHash, type Route } from './route.ts';
import type { Slice } from './store-types.ts';

export interface UiError {
  id: number;
  message: string;
  code: string;
}

export interface UiSlice {
  route: Route;
  errors: UiError[];
  setRoute(route: Route): void;
  /** Shows a failed command's message in the error banner. */
  reportError(err: unknown): void;
  dismissError(id: number): void;
}

let nextErrorId = 1;
const MAX_ERRORS = 4;

export const createUiSlice = (initialHash: string): Slice<UiSlice> => (set) => ({
  route: parseHash(initialHash),
  errors: [],
  setRoute: (route) => set({ route }),
  reportError: (err) => {
    const code = err instanceof CommandError ? err.code : 'failed';
    const message = err instanceof Error ? err.message : String(err);
    set((s) => ({ errors: [...s.errors.filter((e) => e.message !== message), { id: nextErrorId++, message, code }].slice(-MAX_ERRORS) }));
  },
  dismissError: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
});
