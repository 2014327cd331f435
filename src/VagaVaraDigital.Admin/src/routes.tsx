import { lazy, Suspense, type ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { Loading } from './components/PageState';
import { Layout, PublicLayout } from './components/Layout';
import { HomePage } from './pages/HomePage';
import { SettingsPage } from './pages/SettingsPage';
import { AuditPage } from './pages/AuditPage';
import { TenantsPage } from './pages/TenantsPage';
import { NationalPage } from './pages/NationalPage';
import { AccessibilityPage } from './pages/AccessibilityPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { InviteesPage } from './pages/invitees/InviteesPage';
import { InviteeEditPage } from './pages/invitees/InviteeEditPage';
import { ImportWizard } from './pages/invitees/ImportWizard';
import { WebcastsPage } from './pages/webcasts/WebcastsPage';
import { WebcastEditPage } from './pages/webcasts/WebcastEditPage';
import { WebcastPage } from './pages/webcasts/WebcastPage';
import { UsersPage } from './pages/UsersPage';
import { EmailPage } from './pages/EmailPage';
import { SignInPage } from './pages/account/SignInPage';
import { ForgotPasswordPage, SetPasswordPage } from './pages/account/PasswordPages';

/** A screen in its own chunk (kept out of the initial JavaScript), with the usual loading state meanwhile. */
function lazyPage(load: () => Promise<ComponentType>) {
  const Component = lazy(async () => ({ default: await load() }));
  return (
    <Suspense fallback={<Loading />}>
      <Component />
    </Suspense>
  );
}

/** Client routes, relative to the run-time base ("/" or "/t/{slug}"). Paths are Swedish, like the UI. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'inbjudna', element: <InviteesPage /> },
      { path: 'inbjudna/import', element: <ImportWizard /> },
      { path: 'inbjudna/ny', element: <InviteeEditPage /> },
      { path: 'inbjudna/nomineringar', element: lazyPage(() => import('./pages/invitees/NominationsPage').then((m) => m.NominationsPage)) },
      { path: 'inbjudna/:id', element: <InviteeEditPage /> },
      { path: 'sandningar', element: <WebcastsPage /> },
      { path: 'sandningar/ny', element: <WebcastEditPage /> },
      { path: 'sandningar/:id', element: <WebcastPage /> },
      { path: 'sandningar/:id/andra', element: <WebcastEditPage /> },
      { path: 'installningar', element: <SettingsPage /> },
      { path: 'installningar/inloggning', element: lazyPage(() => import('./pages/settings/SsoProvidersPage').then((m) => m.SsoProvidersPage)) },
      { path: 'installningar/dataskydd', element: lazyPage(() => import('./pages/settings/PrivacyPage').then((m) => m.PrivacyPage)) },
      { path: 'inbjudna/registerutdrag', element: lazyPage(() => import('./pages/invitees/SubjectAccessPage').then((m) => m.SubjectAccessPage)) },
      { path: 'system/api-klienter', element: lazyPage(() => import('./pages/system/ApiClientsPage').then((m) => m.ApiClientsPage)) },
      { path: 'mina-installningar', element: lazyPage(() => import('./pages/MySettingsPage').then((m) => m.MySettingsPage)) },
      { path: 'granskningslogg', element: <AuditPage /> },
      { path: 'anvandare', element: <UsersPage /> },
      { path: 'e-post', element: <EmailPage /> },
      { path: 'nationellt', element: <NationalPage /> },
      { path: 'system/lan', element: <TenantsPage /> },
      { path: 'system/granskningslogg', element: <AuditPage scope="platform" /> },
      { path: 'system/e-post', element: lazyPage(() => import('./pages/system/PlatformOutboxPage').then((m) => m.PlatformOutboxPage)) },
      { path: 'tillganglighet', element: <AccessibilityPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  {
    element: <PublicLayout />,
    children: [
      { path: 'konto/logga-in', element: <SignInPage /> },
      { path: 'konto/glomt-losenord', element: <ForgotPasswordPage /> },
      { path: 'konto/nytt-losenord', element: <SetPasswordPage mode="reset" /> },
      { path: 'konto/aktivera', element: <SetPasswordPage mode="invitation" /> },
      { path: 'fel', element: <NotFoundPage /> },
    ],
  },
];
