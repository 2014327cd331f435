import type { RouteObject } from 'react-router';
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

/** Client routes, relative to the run-time base ("/" or "/t/{slug}"). Paths are Swedish, like the UI. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'inbjudna', element: <InviteesPage /> },
      { path: 'inbjudna/import', element: <ImportWizard /> },
      { path: 'inbjudna/ny', element: <InviteeEditPage /> },
      { path: 'inbjudna/:id', element: <InviteeEditPage /> },
      { path: 'sandningar', element: <WebcastsPage /> },
      { path: 'sandningar/ny', element: <WebcastEditPage /> },
      { path: 'sandningar/:id', element: <WebcastPage /> },
      { path: 'sandningar/:id/andra', element: <WebcastEditPage /> },
      { path: 'installningar', element: <SettingsPage /> },
      { path: 'granskningslogg', element: <AuditPage /> },
      { path: 'anvandare', element: <UsersPage /> },
      { path: 'e-post', element: <EmailPage /> },
      { path: 'nationellt', element: <NationalPage /> },
      { path: 'system/lan', element: <TenantsPage /> },
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
