// A tool call in the timeline: its command (or input) in monospace, and its output in a collapsible
// monospace block, open while it runs and collapsed after with a one-line summary. Output is shown
// as text nodes only, ANSI sequences stripped; stderr is marked apart.
import { useLayoutEffect, useRef, useState } from 'react';
import { duration } from '../format.ts';
import { t } from '../i18n/index.ts';
import { terminalText } from '../state/timeline/terminal-text.ts';
import type { ActionView, ToolView } from '../state/timeline/types.ts';

/** What the call runs: a shell command as is, a path-only input as the path, else the input as JSON. */
export function toolCallText(tool: Pick<ToolView, 'input'>): string {
  const { command } = tool.input;
  return typeof command === 'string' ? command : JSON.stringify(tool.input, null, 2);
}

export function toolSummary(a: Pick<ActionView, 'state'>, tool: ToolView): string {
  if (tool.running) return t('tool.running');
  if (a.state === 'cancelled') return t('tool.cancelled');
  const ms = duration(tool.ms);
  if (tool.timedOut) return t('tool.timedOut', { seconds: Math.round((tool.ms ?? 0) / 1000) });
  if (tool.exitCode !== undefined) return t('tool.exit', { code: tool.exitCode, ms });
  return tool.isError ? t('tool.error', { ms }) : t('tool.done', { ms });
}

/** KB or MB, for the note about output dropped from the start. */
const size = (chars: number) => (chars < 1024 * 1024 ? `${Math.ceil(chars / 1024)} KB` : `${(chars / (1024 * 1024)).toFixed(1)} MB`);

export function ToolCall({ action: a, tool }: { action: ActionView; tool: ToolView }) {
  // Open while running, collapsed once finished, unless the operator chose.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const open = chosen ?? tool.running;
  const started = tool.running || tool.ms !== undefined || tool.chunks.length > 0;
  const body = useRef<HTMLPreElement>(null);
  const { chunks } = tool;
  useLayoutEffect(() => {
    // Follow the output while it runs, as a terminal would.
    const el = body.current;
    if (el && tool.running) el.scrollTop = el.scrollHeight;
  }, [chunks, tool.running]);

  const failed = tool.timedOut || (tool.exitCode !== undefined && tool.exitCode !== 0) || (!tool.running && tool.isError);
  return (
    <div className="tool-call" data-testid="tool-call" data-tool={tool.name} data-running={tool.running}>
      <pre className="tool-command" data-testid="tool-command">
        {toolCallText(tool)}
      </pre>
      {started ? (
        <div className="tool-output">
          <button type="button" className="tool-toggle" data-testid="tool-toggle" aria-expanded={open} onClick={() => setChosen(!open)}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> {t('tool.output')} ·{' '}
            <span className={failed ? 'tool-summary bad' : 'tool-summary'} data-testid="tool-summary" data-exit-code={tool.exitCode}>
              {toolSummary(a, tool)}
            </span>
          </button>
          {open ? (
            <pre className="tool-text" data-testid="tool-output" ref={body}>
              {tool.droppedChars > 0 ? <span className="tool-note">{`${t('tool.dropped', { size: size(tool.droppedChars) })}\n`}</span> : null}
              {chunks.length > 0
                ? chunks.map((c, i) => (
                    // Index keys: chunks grow at the end; dropping old output only re-renders the texts.
                    <span key={i} className={`tool-${c.stream}`} data-stream={c.stream}>
                      {terminalText(c.text)}
                    </span>
                  ))
                : tool.result !== undefined
                  ? <span className="tool-stdout">{terminalText(tool.result)}</span>
                  : tool.running ? null : <span className="tool-note">{t('tool.noOutput')}</span>}
            </pre>
          ) : null}
          {tool.truncated && open ? <p className="muted small">{t('tool.truncated')}</p> : null}
          {tool.images.length > 0 ? <p className="muted small">{t('tool.images', { count: tool.images.length })}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
