// Threads, newest first: search (on the server), new thread, and the automations and settings links at the bottom.
import { useEffect, useState } from 'react';
import { t } from '../i18n/index.ts';
import { href, navigate } from '../navigate.ts';
import { useApp } from '../state/use-app.ts';
import { ThreadItem } from './thread-item.tsx';
import { WaitingBadge } from './waiting-badge.tsx';

const SEARCH_DELAY_MS = 200;

export function Sidebar({ selectedThreadId, settingsOpen, automationsOpen, boardOpen = false, skillsOpen = false }: { selectedThreadId: string | undefined; settingsOpen: boolean; automationsOpen: boolean; boardOpen?: boolean; skillsOpen?: boolean }) {
  const threads = useApp((s) => s.threads);
  const search = useApp((s) => s.threadSearch);
  const setSearch = useApp((s) => s.setThreadSearch);
  const [text, setText] = useState(search);

  // Ask the server once typing pauses, not on every key.
  useEffect(() => {
    if (text === search) return;
    const timer = setTimeout(() => setSearch(text), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, search, setSearch]);

  // The thread is created when its first task starts, titled from it: no empty "New thread" rows.
  const onNew = () => {
    navigate({ name: 'new' });
    // The next thing to do in a new thread is describe a task.
    requestAnimationFrame(() => document.getElementById('task-input')?.focus());
  };

  return (
    <nav className="sidebar" aria-label={t('threads.title')}>
      <div className="sidebar-head">
        <a className="brand" href={href({ name: 'home' })}>
          {t('app.name')}
        </a>
        <button type="button" className="btn btn-primary btn-small" data-testid="new-thread" onClick={onNew}>
          + {t('threads.new')}
        </button>
      </div>
      <WaitingBadge boardOpen={boardOpen} />
      <input
        className="search"
        type="search"
        data-testid="thread-search"
        placeholder={t('threads.search')}
        aria-label={t('threads.search')}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <ul className="thread-list" data-testid="thread-list">
        {threads?.map((thread) => <ThreadItem key={thread.id} thread={thread} selected={thread.id === selectedThreadId} />)}
      </ul>
      {threads && threads.length === 0 ? <p className="empty">{search ? t('threads.noMatch') : t('threads.empty')}</p> : null}
      {threads === null ? <p className="empty">{t('app.loading')}</p> : null}
      <div className="sidebar-foot">
        <a className={`nav-link${automationsOpen ? ' active' : ''}`} data-testid="automations-link" href={href({ name: 'automations' })}>
          ↻ {t('nav.automations')}
        </a>
        <a className={`nav-link${skillsOpen ? ' active' : ''}`} data-testid="skills-link" href={href({ name: 'skills' })}>
          ✦ {t('nav.skills')}
        </a>
        <a className={`nav-link${settingsOpen ? ' active' : ''}`} data-testid="settings-link" href={href({ name: 'settings' })}>
          ⚙ {t('nav.settings')}
        </a>
      </div>
    </nav>
  );
}
