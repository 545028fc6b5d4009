import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiFailure } from '../api/client.ts';
import { logIn } from './session.ts';
import './auth.css';

/** E-mail and password; says why a login failed in the reader's language. */
export function LoginForm({ email: given = '' }: { email?: string }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState(given);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await logIn(email, password);
    } catch (e) {
      setFailure(reason(e, t));
      setBusy(false);
    }
  };
  return (
    <form
      className="login-form"
      data-testid="login-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        <span>{t('auth.email')}</span>
        <input data-testid="login-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        <span>{t('auth.password')}</span>
        <input data-testid="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {failure && (
        <p className="error" role="alert" data-testid="login-error">
          {failure}
        </p>
      )}
      <button type="submit" className="primary" data-testid="login-submit" disabled={busy}>
        {busy ? t('auth.loggingIn') : t('auth.logIn')}
      </button>
    </form>
  );
}

function reason(e: unknown, t: TFunction): string {
  if (e instanceof ApiFailure) {
    if (e.code === 'invalid_credentials') return t('auth.wrong');
    if (e.code === 'too_many_attempts') return t('auth.tooMany');
    if (e.status === 400) return t('auth.invalid');
  }
  return t('app.error', { message: e instanceof Error ? e.message : String(e) });
}

/** The page shown until someone logs in. */
export function LoginPage() {
  const { t } = useTranslation();
  return (
    <div className="login-page">
      <h1>{t('auth.title')}</h1>
      <p className="hint">{t('auth.hint')}</p>
      <LoginForm />
    </div>
  );
}

/** Over the current screen when the session ended while working: log in again and carry on. */
export function LoginAgain({ email }: { email: string }) {
  const { t } = useTranslation();
  return (
    <div className="login-overlay" role="dialog" aria-modal="true" aria-labelledby="login-again-title">
      <div className="login-page">
        <h1 id="login-again-title">{t('auth.expiredTitle')}</h1>
        <p className="hint">{t('auth.expired')}</p>
        <LoginForm email={email} />
      </div>
    </div>
  );
}
