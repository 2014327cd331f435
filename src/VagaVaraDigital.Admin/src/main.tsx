import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import './i18n';
import './styles/app.css';
import { base } from './runtime';
import { ApiError } from './api/client';
import { routes } from './routes';
import { bootstrapLanguage } from './userLanguage';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A user's mistake or a missing right does not get better by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const router = createBrowserRouter(routes, { basename: base || '/' });

// The session and the account's language first (index.html shows a neutral, wordless loading state meanwhile).
void bootstrapLanguage(queryClient).then(() => createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
));
