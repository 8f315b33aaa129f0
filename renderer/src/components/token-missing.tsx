// Shown when the page has no access token (or the server refused it): the only way in is the printed link.
import { t } from '../i18n/index.ts';

export function TokenMissing({ refused }: { refused: boolean }) {
  return (
    <div className="token-missing" data-testid="token-missing" role="alert">
      <h1>{t('token.title')}</h1>
      <p>{t(refused ? 'token.refused' : 'token.body')}</p>
    </div>
  );
}
