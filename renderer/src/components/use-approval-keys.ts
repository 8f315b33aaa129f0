// Keyboard answers to the first approval card: Enter or A approves, R focuses the reason, Escape
// rejects; only while focus is not in a text field, so typing is never taken as a decision.
// isTextField is shared with the other page-wide keys (shortcut-help.tsx).
import { useEffect, useRef } from 'react';

interface Handlers {
  approve(): void;
  reject(): void;
  focusReason(): void;
}

export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'submit', 'reset', 'checkbox', 'radio'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

export function useApprovalKeys(actionId: string | undefined, handlers: Handlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!actionId) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      const target = document.activeElement;
      if (isTextField(target)) return;
      const key = e.key.toLowerCase();
      // Enter on a focused button or link activates that control, not the approval.
      if (key === 'enter' && (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement)) return;
      if (key === 'enter' || key === 'a') latest.current.approve();
      else if (key === 'r') latest.current.focusReason();
      else if (key === 'escape') latest.current.reject();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actionId]);
}
