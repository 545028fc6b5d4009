import { useTranslation } from 'react-i18next';
import { DashboardPage } from './dashboard/dashboard-page.tsx';
import { EditorPage } from './editor/editor-page.tsx';
import { LanguageSwitch } from './nav/language-switch.tsx';
import { ProductLineHome, ScenarioList } from './nav/scenario-list.tsx';
import { navigate, useRoute } from './router.ts';
import { SalesPage } from './sales/sales-page.tsx';
import { ScoringPage } from './scoring/scoring-page.tsx';

/** The editor application: a header with the language switch, and the screen the URL names. */
export function App() {
  const { t } = useTranslation();
  const route = useRoute();
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
        <LanguageSwitch />
      </header>
      <main className="app-main">
        {route.screen === 'home' && <ProductLineHome />}
        {route.screen === 'list' && <ScenarioList productLine={route.productLine} />}
        {route.screen === 'sales' && <SalesPage key={route.productLine} productLine={route.productLine} />}
        {route.screen === 'scoring' && <ScoringPage key={route.productLine} productLine={route.productLine} />}
        {route.screen === 'dashboard' && <DashboardPage key={route.productLine} productLine={route.productLine} />}
        {route.screen === 'editor' && <EditorPage key={`${route.scenarioId}@${route.version ?? 'draft'}`} scenarioId={route.scenarioId} version={route.version} />}
      </main>
    </div>
  );
}
