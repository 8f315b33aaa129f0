// Beside Start: where the run happens (this screen or a sandbox) and how many to start.
import { t } from '../i18n/index.ts';
import { useApp } from '../state/use-app.ts';
import { MAX_COPIES, type StartChoice } from './start-many.ts';

export function StartOptions({ choice, onChange }: { choice: StartChoice; onChange: (c: StartChoice) => void }) {
  const ownDisplay = useApp((s) => s.info?.ownDisplay ?? null);
  const settingsRunOn = useApp((s) => s.settings?.runOn ?? 'current');
  const many = choice.copies > 1 || choice.perLine;
  const runOn = choice.runOn ?? (ownDisplay ? settingsRunOn : 'sandbox');
  return (
    <span className="start-options">
      <label className="small">
        {t('start.runOn')}{' '}
        <select
          data-testid="run-on"
          value={many ? 'sandbox' : runOn}
          disabled={many || !ownDisplay}
          title={many ? t('start.manySandbox') : !ownDisplay ? t('start.noScreen') : undefined}
          onChange={(e) => onChange({ ...choice, runOn: e.target.value as 'current' | 'sandbox' })}
        >
          <option value="sandbox">{t('start.sandbox')}</option>
          {ownDisplay ? <option value="current">{t('start.thisScreen')}</option> : null}
        </select>
      </label>
      <label className="small">
        ×{' '}
        <input
          data-testid="run-copies"
          type="number"
          min={1}
          max={MAX_COPIES}
          value={choice.copies}
          aria-label={t('start.copies')}
          onChange={(e) => onChange({ ...choice, copies: Number(e.target.value) || 1 })}
          style={{ width: 48 }}
        />
      </label>
      <label className="small" title={t('start.perLineHint')}>
        <input data-testid="run-per-line" type="checkbox" checked={choice.perLine} onChange={(e) => onChange({ ...choice, perLine: e.target.checked })} /> {t('start.perLine')}
      </label>
    </span>
  );
}
