import type { RouteObject } from 'react-router';
import { Layout, PublicLayout } from './components/Layout';
import { HomePage } from './pages/HomePage';
import { SettingsPage } from './pages/SettingsPage';
import { AuditPage } from './pages/AuditPage';
import { TenantsPage } from './pages/TenantsPage';
import { NationalPage } from './pages/NationalPage';
import { AccessibilityPage } from './pages/AccessibilityPage';
import { NotFoundPage } from './pages/NotFoundPage';

/** Client routes, relative to the run-time base ("/" or "/t/{slug}"). Paths are Swedish, like the UI. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'installningar', element: <SettingsPage /> },
      { path: 'granskningslogg', element: <AuditPage /> },
      { path: 'nationellt', element: <NationalPage /> },
      { path: 'system/lan', element: <TenantsPage /> },
      { path: 'tillganglighet', element: <AccessibilityPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  {
    element: <PublicLayout />,
    children: [{ path: 'fel', element: <NotFoundPage /> }],
  },
];
