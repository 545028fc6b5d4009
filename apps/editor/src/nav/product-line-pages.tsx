import { useTranslation } from 'react-i18next';
import { navigate, routePath, type Route } from '../router.ts';
import { useAsync } from '../use-async.ts';
import { canOpen, fetchMe, type PageScreen } from './screens.ts';

/** The screens of one product line, side by side: its scenarios, the sales view, scoring, the KPI dashboard. */

const PAGES: { screen: PageScreen; label: string }[] = [
  { screen: 'list', label: 'nav.scenarios' },
  { screen: 'sales', label: 'sales.nav' },
  { screen: 'scoring', label: 'scoring.nav' },
  { screen: 'dashboard', label: 'dashboard.nav' },
  { screen: 'members', label: 'members.nav' },
];

/** Links between a product line's screens; the current one is marked. */
export function ProductLinePages({ productLine, current }: { productLine: string; current: PageScreen }) {
  const { t } = useTranslation();
  // Only the screens the caller's role opens (a sales member sees the sales view alone).
  const me = useAsync(fetchMe, []);
  return (
    <nav className="product-line-pages">
      {PAGES.filter((p) => p.screen === current || canOpen(me.data, productLine, p.screen)).map((p) => {
        const route = { screen: p.screen, productLine } as Route;
        return (
          <a
            key={p.screen}
            href={routePath(route)}
            data-testid={`page-${p.screen}`}
            aria-current={p.screen === current ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(route);
            }}
          >
            {t(p.label)}
          </a>
        );
      })}
    </nav>
  );
}
