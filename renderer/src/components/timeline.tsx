// One row per step, virtualized: only visible rows exist, and each row is memoized on its step
// object, which the fold replaces only when that step changed. Follows the tail while the run is
// live unless the user scrolled up.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import { t } from '../i18n/index.ts';
import type { Note, StepView } from '../state/timeline/types.ts';
import { NoteLine, StepRow } from './step-row.tsx';

const NEAR_BOTTOM_PX = 40;

interface Props {
  steps: StepView[] | undefined;
  notes: Note[] | undefined;
  live: boolean;
}

export const Timeline = memo(function Timeline({ steps, notes, live }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const sizerRef = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const lastTop = useRef(0);
  const [following, setFollowing] = useState(true);
  const list = steps ?? [];

  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 104,
    overscan: 6,
    getItemKey: (i) => list[i]?.step ?? i,
  });

  const setFollow = (value: boolean) => {
    follow.current = value;
    setFollowing(value);
  };

  const toBottom = () => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  // Whenever the content grows (new rows, rows measured taller) keep the tail in view if following.
  useEffect(() => {
    const sizer = sizerRef.current;
    if (!sizer) return;
    const observer = new ResizeObserver(() => {
      if (follow.current) toBottom();
    });
    observer.observe(sizer);
    return () => observer.disconnect();
  }, []);

  const lastSeq = list.at(-1)?.seq;
  useEffect(() => {
    if (follow.current) toBottom();
  }, [list.length, lastSeq]);

  // Reaching the bottom resumes following; only a move up stops it. Rows measured taller than their
  // estimate also move the scroll position (down), and that must not count as the user leaving the tail.
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    const movedUp = el.scrollTop < lastTop.current - 1;
    lastTop.current = el.scrollTop;
    if (atBottom && !follow.current) setFollow(true);
    else if (!atBottom && movedUp && follow.current) setFollow(false);
  };

  return (
    <div className="timeline-wrap">
      <div
        className="timeline"
        data-testid="timeline"
        ref={scrollRef}
        onScroll={onScroll}
        onWheel={(e) => {
          if (e.deltaY < 0 && follow.current) setFollow(false);
        }}
        onKeyDown={(e) => {
          if (['ArrowUp', 'PageUp', 'Home'].includes(e.key) && follow.current) setFollow(false);
        }}
        role="list"
        aria-label={t('timeline.label')}
      >
        {notes && notes.length > 0 ? (
          <div className="timeline-notes">
            {notes.map((n) => (
              <NoteLine key={n.seq} note={n} />
            ))}
          </div>
        ) : null}
        {steps && list.length === 0 ? <p className="empty">{t('timeline.empty')}</p> : null}
        <div ref={sizerRef} className="timeline-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="vrow" style={{ transform: `translateY(${item.start}px)` }}>
              <StepRow step={list[item.index]!} />
            </div>
          ))}
        </div>
      </div>
      {live && !following && list.length > 0 ? (
        <button
          type="button"
          className="btn btn-small jump-latest"
          data-testid="jump-latest"
          onClick={() => {
            setFollow(true);
            toBottom();
          }}
        >
          ↓ {t('run.followTail')}
        </button>
      ) : null}
    </div>
  );
});
