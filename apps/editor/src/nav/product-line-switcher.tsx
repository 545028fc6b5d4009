import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { navigate, type Route } from '../router.ts';
import { useAsync } from '../use-async.ts';

/** Chooses the product line (商材) whose scenarios are listed, or whose `screen` (sales, scoring…) is shown. */
export function ProductLineSwitcher({ value, screen = 'list' }: { value: string; screen?: Extract<Route, { productLine: string }>['screen'] }) {
  const { t } = useTranslation();
  const lines = useAsync(() => api.productLines(), []);
  return (
    <label className="product-line-switcher">
      <span>{t('nav.productLine')}</span>
      <select data-testid="product-line" value={value} onChange={(e) => navigate({ screen, productLine: e.target.value })}>
        {(lines.data ?? [{ id: value, name: value }]).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
