import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';

// The typed client's GET and POST, observed (no server in these tests).
const get = vi.hoisted(() => vi.fn());
const post = vi.hoisted(() => vi.fn());
vi.mock('../../api/client', async (original) => {
  const actual = await original<typeof import('../../api/client')>();
  return { ...actual, api: { ...actual.api, GET: get, POST: post } };
});

import { countsByStatus, PlatformOutboxPage } from './PlatformOutboxPage';

const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) });
const failed = {
  id: 7, kind: 'password_reset', status: 'failed', toAddress: 'drift@vagavaradigital.se', userId: 'u-drift', dueAt: '2026-11-30T07:00:00Z',
  nextAttemptAt: null, sentAt: null, attempts: 8, lastError: '5.1.1 mailbox unavailable', messageId: null, language: 'sv',
  createdAt: '2026-11-30T07:00:00Z', updatedAt: '2026-11-30T07:30:00Z', emlAvailable: false,
};

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<QueryClientProvider client={client}><MemoryRouter><PlatformOutboxPage /></MemoryRouter></QueryClientProvider>);
}

describe('countsByStatus', () => {
  it('gives every status a count, failed first, 0 where there is none', () => {
    expect(countsByStatus([{ status: 'sent', count: '3' }, { status: 'failed', count: 1 }])).toEqual([
      { status: 'failed', count: 1 }, { status: 'pending', count: 0 }, { status: 'sending', count: 0 }, { status: 'sent', count: 3 }, { status: 'cancelled', count: 0 },
    ]);
  });
});

describe('PlatformOutboxPage', () => {
  it('shows a failed message with its error and sends it again only after the inline confirmation', async () => {
    get.mockImplementation((path: string) => Promise.resolve(path.endsWith('/summary')
      ? ok([{ status: 'failed', count: 1 }])
      : ok({ items: [failed], nextBeforeId: null })));
    post.mockResolvedValueOnce(ok({ ...failed, status: 'pending', attempts: 0, lastError: null }));
    renderPage();

    const row = (await screen.findByRole('rowheader', { name: 'drift@vagavaradigital.se' })).closest('tr')!;
    expect(row).toHaveTextContent('Misslyckades');
    await userEvent.click(within(row).getByRole('button', { name: 'Visa detaljer för drift@vagavaradigital.se' }));
    expect(screen.getByText('5.1.1 mailbox unavailable')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Skicka igen till drift@vagavaradigital.se' }));
    expect(post).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Ja, skicka igen' })).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'Ja, skicka igen' }));
    expect(post).toHaveBeenCalledWith('/api/system/email/outbox/{id}/retry', { params: { path: { id: '7' } } });
    expect(await screen.findByText('Mejlet till drift@vagavaradigital.se ligger i kö igen.')).toBeInTheDocument();
  });

  it('asks the API for one kind of mail and says so when none matches', async () => {
    get.mockImplementation((path: string) => Promise.resolve(path.endsWith('/summary') ? ok([]) : ok({ items: [], nextBeforeId: null })));
    renderPage();
    await screen.findByText('Plattformens utkorg är tom.');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Visa typ' }), 'Nytt lösenord');
    expect(await screen.findByText('Inga mejl matchar filtret.')).toBeInTheDocument();
    expect(get).toHaveBeenLastCalledWith('/api/system/email/outbox',
      { params: { query: { status: undefined, kind: 'password_reset', beforeId: undefined, limit: 50 } } });
  });

  it('says so when the outbox is empty', async () => {
    get.mockImplementation((path: string) => Promise.resolve(path.endsWith('/summary') ? ok([]) : ok({ items: [], nextBeforeId: null })));
    renderPage();
    expect(await screen.findByText('Plattformens utkorg är tom.')).toBeInTheDocument();
  });
});
