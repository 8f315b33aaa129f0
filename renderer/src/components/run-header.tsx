// The run's task, provider and model, status badge, totals, export and "Save as automation" buttons,
// and the status line that always says what the agent is doing.
import { useState } from 'react';
import type { Run } from '../../../agents/contract.ts';
import { downloadText } from '../download.ts';
import { clock, cost, duration, tokens } from '../format.ts';
import { t } from '../i18n/index.ts';
import { statusLine } from '../state/timeline/describe.ts';
import { isEnded } from '../state/timeline/fold.ts';
import type { FoldedStatus, TimelineState } from '../state/timeline/types.ts';
import { useApp } from '../state/use-app.ts';
import { SaveAsAutomation } from './save-as-automation.tsx';
import { SaveAsSkill } from './save-as-skill.tsx';
import { StatusBadge } from './status-badge.tsx';

interface Props {
  runId: string;
  run: Run | undefined;
  tl: TimelineState | undefined;
  status: FoldedStatus;
}

export function RunHeader({ runId, run, tl, status }: Props) {
  const exportRun = useApp((s) => s.exportRun);
  const [exporting, setExporting] = useState<'html' | 'json' | null>(null);
  const task = tl?.started?.task ?? run?.task ?? '';
  const provider = tl?.started?.provider ?? run?.provider ?? '';
  const model = tl?.started?.model ?? run?.model ?? undefined;
  const totals = tl?.totals;
  const budget = budgetLine(tl?.started?.options.budgets, totals);

  const onExport = async (format: 'html' | 'json') => {
    setExporting(format);
    const file = await exportRun(runId, format);
    setExporting(null);
    if (file) downloadText(file.filename, file.mime, file.content);
  };

  return (
    <header className="run-head">
      <div className="run-head-top">
        <h2 className="run-task-title" title={task} data-testid="run-task">
          {task}
        </h2>
        <div className="run-head-actions">
          {isEnded(status) ? <SaveAsAutomation key={runId} runId={runId} /> : null}
          {status === 'done' ? <SaveAsSkill key={`skill-${runId}`} from={{ runId }} /> : null}
          <button type="button" className="btn btn-small" data-testid="export-html" disabled={exporting !== null} onClick={() => onExport('html')}>
            {t('run.exportHtml')}
          </button>
          <button type="button" className="btn btn-small" data-testid="export-json" disabled={exporting !== null} onClick={() => onExport('json')}>
            {t('run.exportJson')}
          </button>
        </div>
      </div>
      <div className="run-meta-line">
        <StatusBadge status={status} testId="run-status" />
        <span data-testid="run-provider">{model ? t('run.providerModel', { provider, model }) : t('run.provider', { provider })}</span>
        {tl?.started ? <span className="muted">{tl.started.display} · {tl.started.screen.width}×{tl.started.screen.height}</span> : null}
        {run ? <span className="muted">{clock(run.createdAt)}</span> : null}
        {totals ? (
          <span className="muted" data-testid="run-totals">
            {t('run.totals', {
              steps: t('runs.steps', { count: totals.steps }),
              actions: t('run.actions', { count: totals.actions }),
              tokens: tokens(totals.inputTokens + totals.outputTokens),
              model: duration(totals.modelMs),
            })}
            {totals.costUsd !== undefined ? ` · $${cost(totals.costUsd)}` : ''}
          </span>
        ) : null}
        {budget ? (
          <span className="muted" data-testid="run-budget">
            {budget}
          </span>
        ) : null}
      </div>
      <p className={`status-line status-${status}`} data-testid="status-line" role="status" aria-live="polite">
        {tl ? statusLine(tl) : t('status.loading')}
      </p>
    </header>
  );
}

/** The run's own budget beside what it used ("budget 4,200 / 10,000 tokens"); thread and day limits are named. */
function budgetLine(b: NonNullable<TimelineState['started']>['options']['budgets'], totals: TimelineState['totals'] | undefined): string | undefined {
  if (!b) return undefined;
  const used = totals ? totals.inputTokens + totals.outputTokens : 0;
  const parts = [
    b.runTokens !== undefined ? t('budget.tokens', { used: tokens(used), limit: tokens(b.runTokens) }) : '',
    b.runCostUsd !== undefined ? t('budget.cost', { used: cost(totals?.costUsd ?? 0), limit: cost(b.runCostUsd) }) : '',
    b.threadTokens !== undefined || b.threadCostUsd !== undefined ? t('budget.threadSet') : '',
    b.dayTokens !== undefined || b.dayCostUsd !== undefined ? t('budget.daySet') : '',
  ].filter(Boolean);
  return parts.length ? t(b.atLimit === 'ask' ? 'budget.lineAsk' : 'budget.lineStop', { parts: parts.join(' · ') }) : undefined;
}
