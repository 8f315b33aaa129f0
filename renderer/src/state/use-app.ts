// React access to the one store: a context carrying it and selector hooks.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './store.ts';

export const StoreContext = createContext<AppStore | null>(null);

/** Reads the store through a selector; use useShallow for derived lists. */
export function useApp<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside <StoreContext.Provider>');
  return useStore(store, selector);
}

/** The store itself, for event handlers that read state without subscribing. */
export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside <StoreContext.Provider>');
  return store;
}

/** Turns a screenshot ref into a URL an <img> can load; given by the transport. */
export const BlobUrlContext = createContext<(ref: string) => string>((ref) => ref);

export function useBlobUrl(): (ref: string) => string {
  return useContext(BlobUrlContext);
}
