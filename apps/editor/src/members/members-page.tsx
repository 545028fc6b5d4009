// A product line's people and machines, for its admins: members added by e-mail with a role, their
// role changed or taken away; API tokens made (the secret shown once) and revoked.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiFailure } from '../api/client.ts';
import { useSession } from '../auth/session.ts';
import { ProductLinePages } from '../nav/product-line-pages.tsx';
import { ProductLineSwitcher } from '../nav/product-line-switcher.tsx';
import { useAsync } from '../use-async.ts';
import { membersApi, ROLES, type Role } from './api.ts';
import './members.css';

/** The members page's screen. */
export function MembersPage({ productLine }: { productLine: string }) {
  const { t } = useTranslation();
  return (
    <section className="members-page">
      <div className="list-toolbar">
        <ProductLineSwitcher value={productLine} screen="members" />
        <h1>{t('members.title')}</h1>
        <ProductLinePages productLine={productLine} current="members" />
      </div>
      <Members productLine={productLine} />
      <Tokens productLine={productLine} />
    </section>
  );
}

/** What went wrong, in the reader's words where the runtime's code says what it was. */
function useFailure() {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setFailure(null);
    try {
      await work();
      return true;
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 403) setFailure(t('members.forbidden'));
      else if (e instanceof ApiFailure && e.issues.some((i) => i.path === 'body.email') && e.status === 404) setFailure(t('members.noAccount'));
      else if (e instanceof ApiFailure && e.issues.length > 0) setFailure(e.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      else setFailure(t('app.error', { message: e instanceof Error ? e.message : String(e) }));
      return false;
    }
  };
  return { failure, run };
}

function RoleSelect({ value, onChange, testId }: { value: Role; onChange: (role: Role) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`members.roles.${r}`)}
        </option>
      ))}
    </select>
  );
}

function Members({ productLine }: { productLine: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const orgAdmin = session.status === 'loggedIn' && session.me.orgAdmin;
  const list = useAsync(() => membersApi.members(productLine), [productLine]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  // An organisation admin can make the account of someone who has none, and add them in one go.
  const [newAccount, setNewAccount] = useState(false);
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const { failure, run } = useFailure();
  const add = async () => {
    const done = await run(async () => {
      if (newAccount) await membersApi.createUser({ email, displayName, password });
      await membersApi.putMember(productLine, email, role);
    });
    if (done) {
      setEmail('');
      setDisplayName('');
      setPassword('');
      setNewAccount(false);
      list.reload();
    }
  };
  return (
    <div className="members-section">
      <h2>{t('members.members')}</h2>
      <p className="hint">{t('members.rolesHint')}</p>
      {list.error && (
        <p className="error" data-testid="members-load-error">
          {list.error instanceof ApiFailure && list.error.status === 403 ? t('members.forbidden') : t('app.error', { message: list.error.message })}
        </p>
      )}
      <table className="members-table" data-testid="members">
        <thead>
          <tr>
            <th>{t('members.email')}</th>
            <th>{t('members.name')}</th>
            <th>{t('members.role')}</th>
            <th>{t('members.since')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((m) => (
            <tr key={m.userId} data-testid={`member-${m.email}`}>
              <td>
                {m.email}
                {m.disabled && <span className="muted"> ({t('members.disabled')})</span>}
              </td>
              <td>{m.displayName}</td>
              <td>
                <RoleSelect testId={`member-role-${m.email}`} value={m.role} onChange={(r) => void run(() => membersApi.putMember(productLine, m.email, r)).then(() => list.reload())} />
              </td>
              <td>{new Date(m.since).toLocaleDateString(i18n.language)}</td>
              <td>
                <button
                  type="button"
                  data-testid={`member-remove-${m.email}`}
                  onClick={() => {
                    if (confirm(t('members.removeConfirm', { email: m.email }))) void run(() => membersApi.removeMember(productLine, m.userId)).then(() => list.reload());
                  }}
                >
                  {t('members.remove')}
                </button>
              </td>
            </tr>
          ))}
          {list.data?.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                {t('members.noMembers')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        className="row members-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <input data-testid="member-email" type="email" required placeholder={t('members.emailPlaceholder')} value={email} onChange={(e) => setEmail(e.target.value)} />
        <RoleSelect testId="member-role" value={role} onChange={setRole} />
        {orgAdmin && (
          <label className="checkbox">
            <input data-testid="member-new-account" type="checkbox" checked={newAccount} onChange={(e) => setNewAccount(e.target.checked)} />
            {t('members.newAccount')}
          </label>
        )}
        {newAccount && (
          <>
            <input data-testid="member-display-name" required maxLength={200} placeholder={t('members.displayNamePlaceholder')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
            <input data-testid="member-password" type="password" autoComplete="new-password" required minLength={10} placeholder={t('members.passwordPlaceholder')} value={password} onChange={(e) => setPassword(e.target.value)} />
          </>
        )}
        <button type="submit" className="primary" data-testid="member-add">
          {newAccount ? t('members.createAndAdd') : t('members.add')}
        </button>
      </form>
      {failure && (
        <p className="error" role="alert" data-testid="members-error">
          {failure}
        </p>
      )}
    </div>
  );
}

function Tokens({ productLine }: { productLine: string }) {
  const { t, i18n } = useTranslation();
  const list = useAsync(() => membersApi.tokens(productLine), [productLine]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const { failure, run } = useFailure();
  const when = (iso: string | null) => (iso === null ? '—' : new Date(iso).toLocaleString(i18n.language));
  const create = async () => {
    await run(async () => {
      const made = await membersApi.createToken(productLine, name, role);
      setSecret({ name: made.token.name, secret: made.secret });
      setName('');
      list.reload();
    });
  };
  return (
    <div className="members-section">
      <h2>{t('members.tokens')}</h2>
      <p className="hint">{t('members.tokensHint')}</p>
      {secret && (
        <div className="token-secret" data-testid="token-secret" role="status">
          <p>{t('members.secretOnce', { name: secret.name })}</p>
          <code>{secret.secret}</code>
          <button type="button" onClick={() => setSecret(null)}>
            {t('members.secretDone')}
          </button>
        </div>
      )}
      <table className="members-table" data-testid="tokens">
        <thead>
          <tr>
            <th>{t('members.tokenName')}</th>
            <th>{t('members.role')}</th>
            <th>{t('members.createdBy')}</th>
            <th>{t('members.lastUsed')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((k) => (
            <tr key={k.id} data-testid={`token-${k.name}`} className={k.revokedAt ? 'revoked' : undefined}>
              <td>{k.name}</td>
              <td>{k.orgAdmin ? t('members.orgAdmin') : t(`members.roles.${k.roles[productLine] ?? 'analyst'}`)}</td>
              <td>
                {k.createdBy ?? '—'}
                <div className="muted">{when(k.createdAt)}</div>
              </td>
              <td>{when(k.lastUsedAt)}</td>
              <td>
                {k.revokedAt ? (
                  <span className="muted" data-testid={`token-revoked-${k.name}`}>
                    {t('members.revokedAt', { at: when(k.revokedAt) })}
                  </span>
                ) : (
                  <button
                    type="button"
                    data-testid={`token-revoke-${k.name}`}
                    onClick={() => {
                      if (confirm(t('members.revokeConfirm', { name: k.name }))) void run(() => membersApi.revokeToken(k.id)).then(() => list.reload());
                    }}
                  >
                    {t('members.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
          {list.data?.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                {t('members.noTokens')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        className="row members-add"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <input data-testid="token-name" required maxLength={200} placeholder={t('members.tokenNamePlaceholder')} value={name} onChange={(e) => setName(e.target.value)} />
        <RoleSelect testId="token-role" value={role} onChange={setRole} />
        <button type="submit" className="primary" data-testid="token-create">
          {t('members.createToken')}
        </button>
      </form>
      {failure && (
        <p className="error" role="alert" data-testid="tokens-error">
          {failure}
        </p>
      )}
    </div>
  );
}
