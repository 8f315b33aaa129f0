// One thread in the sidebar: select it, rename it in place, delete it after an inline confirm.
import { memo, useState } from 'react';
import type { Run, Thread } from '../../../agents/contract.ts';
import { clock } from '../format.ts';
import { t } from '../i18n/index.ts';
import { href, navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';
import { StatusBadge } from './status-badge.tsx';

export const ThreadItem = memo(function ThreadItem({ thread, selected }: { thread: Thread; selected: boolean }) {
  const rename = useApp((s) => s.renameThread);
  const remove = useApp((s) => s.deleteThread);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  // The thread's newest run says how it stands: running, waiting for you, failed, done...
  const status = useApp((s) => {
    let latest: Run | undefined;
    for (const r of Object.values(s.runs)) if (r.threadId === thread.id && (!latest || r.createdAt > latest.createdAt)) latest = r;
    return latest?.status;
  });

  const save = async () => {
    if (editing === null) return;
    const title = editing.trim();
    setEditing(null);
    if (title && title !== thread.title) await rename(thread.id, title);
  };

  const onDelete = async () => {
    setConfirming(false);
    if ((await remove(thread.id)) && selected) navigate({ name: 'home' });
  };

  return (
    <li
      className={`thread-item${selected ? ' selected' : ''}`}
      data-testid="thread-item"
      data-thread-id={thread.id}
      // A click on the item itself (element.click() from a script) opens the thread like its link does.
      onClick={(e) => e.target === e.currentTarget && navigate({ name: 'thread', threadId: thread.id })}
    >
      {editing !== null ? (
        <input
          className="thread-rename-input"
          data-testid="thread-rename-input"
          aria-label={t('threads.renameLabel')}
          autoFocus
          value={editing}
          onChange={(e) => setEditing(e.target.value)}
          onBlur={save}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void save();
            if (e.key === 'Escape') setEditing(null);
          }}
        />
      ) : (
        <a className="thread-link" href={href({ name: 'thread', threadId: thread.id })} title={thread.title} aria-current={selected ? 'page' : undefined}>
          <span className="thread-title" data-testid="thread-title">
            {thread.title}
          </span>
          <span className="thread-time">
            {status && status !== 'aborted' ? <StatusBadge status={status} testId="thread-status" /> : null} {clock(thread.updatedAt)}
          </span>
        </a>
      )}
      {confirming ? (
        <span className="confirm" role="group" aria-label={t('threads.deleteConfirm', { title: thread.title })}>
          <button type="button" className="btn btn-danger btn-small" data-testid="thread-delete-confirm" onClick={onDelete}>
            {t('threads.delete')}
          </button>
          <button type="button" className="btn btn-small" data-testid="thread-delete-cancel" onClick={() => setConfirming(false)}>
            {t('approval.editCancel')}
          </button>
        </span>
      ) : (
        editing === null && (
          <span className="thread-actions">
            <button type="button" className="icon-btn" data-testid="thread-rename" title={t('threads.rename')} aria-label={t('threads.rename')} onClick={() => setEditing(thread.title)}>
              ✎
            </button>
            <button type="button" className="icon-btn" data-testid="thread-delete" title={t('threads.delete')} aria-label={t('threads.delete')} onClick={() => setConfirming(true)}>
              ✕
            </button>
          </span>
        )
      )}
    </li>
  );
});
