import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './app.tsx';
import { setupI18n } from './i18n/index.ts';

setupI18n();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
