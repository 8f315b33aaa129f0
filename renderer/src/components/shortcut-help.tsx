// Page-wide keys: `?` (outside text fields) shows the list of shortcuts, Escape closes it, and
// Ctrl+Shift+Space pauses every running task, as the desktop app's global shortcut does.
import { useEffect, useRef, useState } from 'react';
import { t, type MessageKey } from '../i18n/index.ts';
import { useApp, useAppStore } from '../state/use-app.ts';
import { isTextField } from './use-approval-keys.ts';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const CTRL = MAC ? '⌘' : 'Ctrl';
const SHORTCUTS: [keys: string, what: MessageKey][] = [
  ['?', 'shortcuts.help'],
  [`${CTRL}+Enter`, 'shortcuts.start'],
  [`${CTRL}+Shift+Space`, 'shortcuts.pauseAll'],
  ['Enter, A', 'shortcuts.approve'],
  ['R', 'shortcuts.reason'],
  ['Esc', 'shortcuts.reject'],
];
const NOTICE_MS = 4000;

function isPauseAll(e: KeyboardEvent): boolean {
  return (MAC ? e.metaKey : e.ctrlKey) && e.shiftKey && !e.altKey && (e.code === 'Space' || e.key === ' ');
}

export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const store = useAppStore();
  const controlAll = useApp((s) => s.controlAll);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    // In the desktop app the same keys are a global shortcut handled by the main process.
    const desktop = window.deskpilot !== undefined;
    const onKey = (e: KeyboardEvent) => {
      if (!desktop && isPauseAll(e)) {
        e.preventDefault();
        if (e.repeat) return;
        const live = Object.values(store.getState().runs).filter((r) => r.status === 'running' || r.status === 'waiting').length;
        if (live === 0) {
          setNotice(t('shortcuts.nothingToPause'));
          return;
        }
        void controlAll('pause').then((ok) => ok && setNotice(t('shortcuts.paused', { count: live })));
        return;
      }
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape' && open) {
        // Taken here (capture phase), so an approval card below does not also take Escape as a rejection.
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
        return;
      }
      if (e.key === '?' && !isTextField(document.activeElement)) {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [open, store, controlAll]);

  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  return (
    <>
      {notice ? (
        <p className="key-notice" role="status" data-testid="key-notice">
          {notice}
        </p>
      ) : null}
      {open ? (
        <div className="shortcut-help" role="dialog" aria-modal="false" aria-label={t('shortcuts.title')} data-testid="shortcut-help">
          <div className="shortcut-head">
            <h2>{t('shortcuts.title')}</h2>
            <button type="button" className="btn btn-small" ref={closeRef} data-testid="shortcut-help-close" onClick={() => setOpen(false)}>
              {t('shortcuts.close')} (Esc)
            </button>
          </div>
          <dl className="shortcut-list">
            {SHORTCUTS.map(([keys, what]) => (
              <div key={what} className="shortcut" data-testid="shortcut">
                <dt>
                  <kbd>{keys}</kbd>
                </dt>
                <dd>{t(what)}</dd>
              </div>
            ))}
          </dl>
          <p className="muted small">{t('shortcuts.approvalNote')}</p>
        </div>
      ) : null}
    </>
  );
}
