import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { ApiFailure } from '../api/client.ts';
import { changePassword, logOut, type Me } from './session.ts';

/** Who is logged in, changing one's own password, and logging out. */
export function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [changing, setChanging] = useState(false);
  const who = me.user ? me.user.displayName || me.user.email : (me.token?.name ?? '');
  return (
    <div className="user-menu">
      <span data-testid="current-user" title={me.user?.email}>
        {who}
        {me.orgAdmin ? ` (${t('auth.orgAdmin')})` : ''}
      </span>
      {me.user && (
        <button type="button" data-testid="password-open" onClick={() => setChanging(true)}>
          {t('auth.changePassword')}
        </button>
      )}
      {me.user && (
        <button type="button" data-testid="logout" onClick={() => void logOut()}>
          {t('auth.logOut')}
        </button>
      )}
      {/* On the page, not in the header: the dialog takes the page's colours and covers it whole. */}
      {changing && createPortal(<PasswordDialog onClose={() => setChanging(false)} />, document.body)}
    </div>
  );
}

/** The current password and a new one; the runtime checks both and names what is wrong. */
function PasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [state, setState] = useState<{ kind: 'editing' | 'busy' | 'done' } | { kind: 'failed'; message: string }>({ kind: 'editing' });
  const submit = async () => {
    setState({ kind: 'busy' });
    try {
      await changePassword(current, next);
      setState({ kind: 'done' });
    } catch (e) {
      const wrong = e instanceof ApiFailure && e.issues.some((i) => i.path === 'body.currentPassword');
      const weak = e instanceof ApiFailure && e.issues.find((i) => i.path === 'body.newPassword');
      setState({ kind: 'failed', message: wrong ? t('auth.currentWrong') : weak ? t('auth.newWeak', { reason: weak.message }) : t('app.error', { message: e instanceof Error ? e.message : String(e) }) });
    }
  };
  return (
    <div className="modal-backdrop" role="presentation" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="password-title" data-testid="password-dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="password-title">{t('auth.changePassword')}</h2>
        {state.kind === 'done' ? (
          <>
            <p role="status" data-testid="password-changed">
              {t('auth.passwordChanged')}
            </p>
            <button type="button" className="primary" onClick={onClose}>
              {t('auth.close')}
            </button>
          </>
        ) : (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <label>
              {t('auth.currentPassword')}
              <input data-testid="password-current" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
            </label>
            <label>
              {t('auth.newPassword')}
              <input data-testid="password-new" type="password" autoComplete="new-password" required minLength={10} value={next} onChange={(e) => setNext(e.target.value)} />
            </label>
            {state.kind === 'failed' && (
              <p className="error" role="alert" data-testid="password-error">
                {state.message}
              </p>
            )}
            <div className="row">
              <button type="button" onClick={onClose}>
                {t('auth.cancel')}
              </button>
              <button type="submit" className="primary" data-testid="password-submit" disabled={state.kind === 'busy'}>
                {t('auth.changePassword')}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
