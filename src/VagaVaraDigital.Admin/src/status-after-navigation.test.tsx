import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryRouter, Outlet, RouterProvider, useNavigate, type RouteObject } from 'react-router';

// The API, observed (no server in these tests): the typed client's POST and DELETE, and the list's request().
const post = vi.hoisted(() => vi.fn());
const del = vi.hoisted(() => vi.fn());
const request = vi.hoisted(() => vi.fn());
vi.mock('./api/client', async (original) => {
  const actual = await original<typeof import('./api/client')>();
  return { ...actual, api: { ...actual.api, POST: post, DELETE: del }, request };
});

import { HandedStatus, withStatus } from './components/HandedStatus';
import { InviteeEditPage } from './pages/invitees/InviteeEditPage';
import { InviteesPage } from './pages/invitees/InviteesPage';
import { emptyQuery } from './pages/invitees/model';

const ok = (status: number) => new Response(null, { status });
const karin = {
  id: '6f1c2b9e-0000-4000-8000-000000000001', firstName: 'Karin', lastName: 'Tangentsson', email: 'karin.tangentsson@enkoping.se',
  municipalityCode: '0381', roleCategory: 'kommunledning', title: null, phone: null, tags: [], notes: null, noLongerInOffice: false,
  status: 'active', source: 'manual', createdAt: '2026-11-30T08:00:00Z',
};

/** The app's shape: a layout route with an outlet (as Layout), the pages as its children. */
function app(children: RouteObject[], initial: string, seed?: (c: QueryClient) => void) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(['session'], { user: { role: 'CountyEditor' } });
  client.setQueryData(['role-categories'], [{ code: 'kommunledning', swedish: 'Kommunledning', english: 'Municipal leadership' }]);
  client.setQueryData(['reference', 'counties'], []);
  seed?.(client);
  const router = createMemoryRouter([{ element: <main><Outlet /></main>, children }], { initialEntries: [initial] });
  render(<QueryClientProvider client={client}><RouterProvider router={router} /></QueryClientProvider>);
  return { router, client };
}

describe('after creating an invitee', () => {
  it("the saved invitee's page keeps the same form, its focus and its 'Sparat.'", async () => {
    let answer: (r: unknown) => void = () => {};
    post.mockImplementationOnce(() => new Promise((r) => { answer = r; }));
    const { router } = app([{ path: 'inbjudna/ny', element: <InviteeEditPage /> }, { path: 'inbjudna/:id', element: <InviteeEditPage /> }], '/inbjudna/ny');
    await userEvent.type(screen.getByLabelText(/Förnamn/), 'Karin');
    await userEvent.type(screen.getByLabelText(/Efternamn/), 'Tangentsson');
    const save = screen.getByRole('button', { name: 'Spara' });
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('');
    await userEvent.click(save);
    // While saving, a second press does nothing (the button is aria-disabled, not disabled: it keeps the focus).
    expect(save).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(save);
    expect(post).toHaveBeenCalledTimes(1);
    await act(async () => answer({ data: karin, response: ok(201) }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/inbjudna/${karin.id}`));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Karin Tangentsson'));
    await act(() => new Promise((r) => setTimeout(r, 50)));   // every render the move causes is done
    // The same live region now says it (a remounted form would have a new, empty one) …
    expect(screen.getByRole('status')).toBe(status);
    expect(status).toHaveTextContent('Sparat.');
    // … and the button pressed is still there, with focus.
    expect(screen.getByRole('button', { name: 'Spara' })).toBe(save);
    expect(save).toHaveFocus();
    expect(router.state.historyAction).toBe('REPLACE');
  });
});

describe('HandedStatus', () => {
  it('says the status the navigation handed over, in a live region that was there before the text, once', async () => {
    function Acting() {
      const navigate = useNavigate();
      return <button type="button" onClick={() => void navigate('/next', { state: withStatus('common.saved') })}>Go</button>;
    }
    const mutations: MutationRecord[] = [];
    const observer = new MutationObserver((m) => mutations.push(...m));
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    const { router } = app([{ path: 'here', element: <Acting /> }, { path: 'next', element: <HandedStatus /> }], '/here');
    await userEvent.click(screen.getByRole('button', { name: 'Go' }));

    const status = await screen.findByRole('status');
    await waitFor(() => expect(status).toHaveTextContent('Sparat.'));
    await act(() => Promise.resolve());
    observer.disconnect();
    // The text arrived in the region already on the page (what screen readers announce), not with it.
    expect(mutations.some((m) => m.target === status && m.type === 'childList' && m.addedNodes.length > 0)).toBe(true);
    // The history entry forgets it: a reload or coming back says nothing.
    await waitFor(() => expect(router.state.location.state).toBeNull());
    expect(router.state.location.pathname).toBe('/next');
    expect(status).toHaveTextContent('Sparat.');
  });

  it('is an empty live region when nothing was handed over', () => {
    app([{ path: 'next', element: <HandedStatus /> }], '/next');
    expect(screen.getByRole('status')).toHaveTextContent('');
  });
});

describe('after erasing from the invitee page', () => {
  it("the list says so and the cache keeps nothing of the person", async () => {
    del.mockResolvedValueOnce({ data: undefined, response: ok(204) });
    let answer: (page: unknown) => void = () => {};
    request.mockImplementation(() => new Promise((r) => { answer = r; }));
    const { router, client } = app([{ path: 'inbjudna', element: <InviteesPage /> }, { path: 'inbjudna/:id', element: <InviteeEditPage /> }], `/inbjudna/${karin.id}`, (c) => {
      c.setQueryData(['invitee', karin.id], karin);
      // The list as it was before the erasure (the officer came from it).
      c.setQueryData(['invitees', emptyQuery, null], { items: [karin], total: 1, nextCursor: null, counts: {} });
    });
    await userEvent.click(screen.getByRole('button', { name: 'Radera personuppgifterna' }));
    await userEvent.click(screen.getByRole('button', { name: 'Ja, radera för gott' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/inbjudna'));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Inbjudna'));
    expect(screen.queryByText(/Tangentsson/)).toBeNull();
    await waitFor(() => expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Personuppgifterna är raderade.'));
    await act(async () => answer({ items: [], total: 0, nextCursor: null, counts: {} }));
    expect(screen.queryByText(/Tangentsson/)).toBeNull();
    // Nor is the invitee's own page kept (Back would show the person until refetched).
    expect(client.getQueryData(['invitee', karin.id])).toBeUndefined();
  });
});
