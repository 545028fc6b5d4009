import { useTranslation } from 'react-i18next';
import type { ScenarioSummary } from '../api/client.ts';

/** Draft, published vN, paused or archived, as a coloured tag. */
export function StatusLabel({ scenario }: { scenario: Pick<ScenarioSummary, 'status' | 'publishedVersion'> }) {
  const { t } = useTranslation();
  return (
    <span className={`status status-${scenario.status}`} data-testid="status">
      {t(`status.${scenario.status}`, { version: scenario.publishedVersion ?? 0 })}
    </span>
  );
}
