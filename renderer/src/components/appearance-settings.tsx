// This device's own settings: the colour theme and desktop notifications. They apply at once (no Save)
// and live in the browser, not in the engine's settings file.
import { useState } from 'react';
import { t } from '../i18n/index.ts';
import { disableNotifications, enableNotifications, notificationsAllowed, notificationsWanted, readTheme, saveTheme, THEMES, type Theme } from '../preferences.ts';

export function AppearanceSettings() {
  const [theme, setTheme] = useState<Theme>(readTheme);
  const [notify, setNotify] = useState(() => notificationsWanted() && notificationsAllowed());
  const [refused, setRefused] = useState(false);
  const supported = typeof Notification !== 'undefined';

  const onNotify = async (on: boolean) => {
    if (!on) {
      disableNotifications();
      setNotify(false);
      return;
    }
    setNotify(true); // ticked at once; unticked again if the browser's permission is refused
    const granted = await enableNotifications();
    setNotify(granted);
    setRefused(!granted);
  };

  return (
    <fieldset className="grid-fields" data-testid="settings-appearance">
      <legend>{t('settings.appearance')}</legend>
      <label className="field">
        <span className="field-label">{t('settings.theme')}</span>
        <select
          data-testid="setting-theme"
          value={theme}
          onChange={(e) => {
            const next = e.target.value as Theme;
            setTheme(next);
            saveTheme(next);
          }}
        >
          {THEMES.map((x) => (
            <option key={x} value={x}>
              {t(`settings.theme.${x}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="field">
        <label className="checkbox-field">
          <input data-testid="setting-notify" type="checkbox" checked={notify} disabled={!supported} onChange={(e) => void onNotify(e.target.checked)} />
          <span>{t('settings.notify')}</span>
        </label>
        {!supported ? <span className="muted small">{t('settings.notifyUnsupported')}</span> : null}
        {refused ? (
          <span className="field-error small" data-testid="notify-refused">
            {t('settings.notifyRefused')}
          </span>
        ) : null}
      </div>
      <p className="muted small">{t('settings.deviceNote')}</p>
    </fieldset>
  );
}
