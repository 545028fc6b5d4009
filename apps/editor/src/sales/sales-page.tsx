// The sales view of one product line: hot leads with why they are hot, open hand-offs to accept or
// return with their records, and the call tasks to work through.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProductLinePages } from '../nav/product-line-pages.tsx';
import { ProductLineSwitcher } from '../nav/product-line-switcher.tsx';
import { useAsync } from '../use-async.ts';
import { salesApi } from './api.ts';
import { CallTasksTab } from './call-tasks-tab.tsx';
import { HandoffsTab } from './handoffs-tab.tsx';
import { HotLeadsTab } from './hot-leads-tab.tsx';
import './sales.css';

type Tab = 'hot' | 'handoffs' | 'calls';
const PAGE = 20;

/** The sales view's screen. */
export function SalesPage({ productLine }: { productLine: string }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('handoffs');
  const [hotOffset, setHotOffset] = useState(0);
  const [handoffState, setHandoffState] = useState<'open' | 'answered'>('open');
  const [handoffOffset, setHandoffOffset] = useState(0);
  const [showDone, setShowDone] = useState(false);
  const hot = useAsync(() => salesApi.hotLeads(productLine, hotOffset, PAGE), [productLine, hotOffset]);
  const handoffs = useAsync(() => salesApi.handoffs(productLine, handoffState, handoffOffset, PAGE), [productLine, handoffState, handoffOffset]);
  // The tab's count is of open hand-offs whichever list is shown.
  const openHandoffs = useAsync(() => salesApi.handoffs(productLine, 'open', 0, 1).then((p) => p.total), [productLine, handoffs.data]);
  const calls = useAsync(() => salesApi.callTasks(productLine, showDone ? 'done' : 'open'), [productLine, showDone]);
  const openCalls = useAsync(() => (showDone ? salesApi.callTasks(productLine, 'open').then((l) => l.length) : Promise.resolve(calls.data?.length ?? 0)), [productLine, showDone, calls.data]);

  const count = (n: number | undefined) => (n === undefined ? '' : ` (${n})`);
  const tabs: { id: Tab; label: string }[] = [
    { id: 'handoffs', label: t('sales.tabs.handoffs') + count(openHandoffs.data) },
    { id: 'hot', label: t('sales.tabs.hot') + count(hot.data?.total) },
    { id: 'calls', label: t('sales.tabs.calls') + count(openCalls.data) },
  ];
  return (
    <section className="sales-page">
      <div className="list-toolbar">
        <ProductLineSwitcher value={productLine} screen="sales" />
        <h1>{t('sales.title')}</h1>
        <ProductLinePages productLine={productLine} current="sales" />
        <div className="spacer" />
        <button
          type="button"
          onClick={() => {
            hot.reload();
            handoffs.reload();
            calls.reload();
          }}
        >
          {t('sales.refresh')}
        </button>
      </div>
      <div className="tabs" role="tablist">
        {tabs.map((x) => (
          <button key={x.id} type="button" role="tab" data-testid={`tab-${x.id}`} aria-selected={tab === x.id} className={tab === x.id ? 'on' : undefined} onClick={() => setTab(x.id)}>
            {x.label}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {tab === 'hot' && <HotLeadsTab page={hot} offset={hotOffset} onOffset={setHotOffset} />}
        {tab === 'handoffs' && (
          <HandoffsTab
            page={handoffs}
            state={handoffState}
            onState={(s) => {
              setHandoffState(s);
              setHandoffOffset(0);
            }}
            offset={handoffOffset}
            onOffset={setHandoffOffset}
            onAnswered={() => {
              handoffs.reload();
              hot.reload();
              calls.reload();
            }}
          />
        )}
        {tab === 'calls' && (
          <CallTasksTab
            tasks={calls}
            showDone={showDone}
            onShowDone={setShowDone}
            onCompleted={() => {
              calls.reload();
              handoffs.reload();
              hot.reload();
            }}
          />
        )}
      </div>
    </section>
  );
}
