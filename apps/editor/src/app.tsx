import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LoginAgain, LoginPage } from './auth/login-page.tsx';
import { checkSession, useSession } from './auth/session.ts';
import { UserMenu } from './auth/user-menu.tsx';
import { MembersPage } from './members/members-page.tsx';
import { DashboardPage } from './dashboard/dashboard-page.tsx';
import { EditorPage } from './editor/editor-page.tsx';
import { LanguageSwitch } from './nav/language-switch.tsx';
import { ProductLineHome, ScenarioList } from './nav/scenario-list.tsx';
import { navigate, useRoute, type Route } from './router.ts';
import { SalesPage } from './sales/sales-page.tsx';
import { ScoringPage } from './scoring/scoring-page.tsx';

/**
 * The editor application: a header with the language switch and who is logged in, and the screen
 * the URL names — or the login page until someone logs in.
 */
export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const session = useSession();
  useEffect(() => {
    void checkSession().catch(() => undefined);
  }, []);
  return (
    <div className="app">
      <header className="app-header">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate({ screen: 'home' });
          }}
        >
          {t('app.title')}
        </a>
        <div className="spacer" />
        {(session.status === 'loggedIn' || session.status === 'expired') && <UserMenu me={session.me} />}
        <LanguageSwitch />
      </header>
      {session.status === 'checking' && <p className="loading">{t('app.loading')}</p>}
      {session.status === 'loggedOut' && <LoginPage />}
      {session.status === 'expired' && <LoginAgain email={session.me.user?.email ?? ''} />}
      {(session.status === 'loggedIn' || session.status === 'expired') && <Screen route={route} />}
    </div>
  );
}

/** The screen the URL names. */
function Screen({ route }: { route: Route }) {
  return (
    <main className="app-main">
      {route.screen === 'home' && <ProductLineHome />}
      {route.screen === 'list' && <ScenarioList productLine={route.productLine} />}
      {route.screen === 'sales' && <SalesPage key={route.productLine} productLine={route.productLine} />}
      {route.screen === 'scoring' && <ScoringPage key={route.productLine} productLine={route.productLine} />}
      {route.screen === 'dashboard' && <DashboardPage key={route.productLine} productLine={route.productLine} />}
      {route.screen === 'members' && <MembersPage key={route.productLine} productLine={route.productLine} />}
      {route.screen === 'editor' && <EditorPage key={`${route.scenarioId}@${route.version ?? 'draft'}`} scenarioId={route.scenarioId} version={route.version} />}
    </main>
  );
}
