import { useTranslation } from 'react-i18next';
import { logOut, type Me } from './session.ts';

/** Who is logged in, and logging out. */
export function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const who = me.user ? me.user.displayName || me.user.email : (me.token?.name ?? '');
  return (
    <div className="user-menu">
      <span data-testid="current-user" title={me.user?.email}>
        {who}
        {me.orgAdmin ? ` (${t('auth.orgAdmin')})` : ''}
      </span>
      {me.user && (
        <button type="button" data-testid="logout" onClick={() => void logOut()}>
          {t('auth.logOut')}
        </button>
      )}
    </div>
  );
}
