// A run's status as a small coloured label.
import { t } from '../i18n/index.ts';
import type { FoldedStatus } from '../state/timeline/types.ts';

export function StatusBadge({ status, testId }: { status: FoldedStatus; testId?: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid={testId} data-status={status}>
      {t(`badge.${status}`)}
    </span>
  );
}
