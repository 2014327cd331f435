import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import type { ReactNode } from 'react';

// The typed client's PUT, observed (no server in these tests).
const put = vi.hoisted(() => vi.fn());
vi.mock('./api/client', async (original) => {
  const actual = await original<typeof import('./api/client')>();
  return { ...actual, api: { ...actual.api, PUT: put } };
});

import { LatestAnswers } from './components/LatestAnswers';
import { DigestForm } from './pages/MySettingsPage';
import { nominatorName } from './pages/invitees/model';

function withClient(children: ReactNode, seed?: (c: QueryClient) => void) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  seed?.(client);
  return render(<QueryClientProvider client={client}><MemoryRouter>{children}</MemoryRouter></QueryClientProvider>);
}

describe('LatestAnswers', () => {
  it('shows the answer given and when, not the status the invitation has moved on to', () => {
    withClient(<LatestAnswers />, (c) => c.setQueryData(['latest-answers'], [
      { invitationId: 'i1', webcastId: 'w1', webcastTitle: 'Planprocessen', inviteeId: 'v1', firstName: 'Bo', lastName: 'Berg', status: 'attended', answer: 'declined', respondedAt: '2026-11-30T08:05:00Z' },
      { invitationId: 'i2', webcastId: 'w1', webcastTitle: 'Planprocessen', inviteeId: 'v2', firstName: 'Anna', lastName: 'Ek', status: 'absent', answer: 'accepted', respondedAt: '2026-11-29T15:30:00Z' },
    ]));
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Bo Berg');
    expect(rows[0]).toHaveTextContent('Tackat nej');
    expect(rows[0]).toHaveTextContent('30 nov. 2026 09:05');
    expect(rows[1]).toHaveTextContent('Tackat ja');
    expect(screen.queryByText('Deltog')).toBeNull();
    expect(screen.queryByText('Uteblev')).toBeNull();
  });
});

describe('DigestForm', () => {
  it('turns the daily digest off and says so', async () => {
    put.mockResolvedValueOnce({ data: { dailyDigest: false }, response: new Response(null, { status: 200 }) });
    withClient(<DigestForm settings={{ dailyDigest: true }} />);
    const box = screen.getByRole('checkbox', { name: /Skicka mig den dagliga sammanfattningen/ });
    expect(box).toBeChecked();
    expect(box).toHaveAccessibleDescription(/Varje morgon/);
    await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));
    expect(put).toHaveBeenCalledWith('/api/email/my-settings', { body: { dailyDigest: false } });
    expect(await screen.findByText('Sparat. Du får inte längre den dagliga sammanfattningen.')).toBeInTheDocument();
  });

  it('shows the problem when saving fails and keeps the choice', async () => {
    put.mockResolvedValueOnce({ error: { title: 'Något gick fel', detail: 'Försök igen.' }, response: new Response(null, { status: 500 }) });
    withClient(<DigestForm settings={{ dailyDigest: false }} />);
    await userEvent.click(screen.getByRole('checkbox'));
    await userEvent.click(screen.getByRole('button', { name: 'Spara' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Försök igen.');
    expect(screen.getByRole('checkbox')).toBeChecked();
  });
});

describe('nominatorName', () => {
  it("is the nominator's name when the API gives one, else a municipal user, else nothing", () => {
    expect(nominatorName({ nominatedBy: 'u1', nominatedByName: 'Ulla Nominerare' }, 'en kommunanvändare')).toBe('Ulla Nominerare');
    expect(nominatorName({ nominatedBy: 'u1', nominatedByName: null }, 'en kommunanvändare')).toBe('en kommunanvändare');
    expect(nominatorName({ nominatedBy: null, nominatedByName: null }, 'en kommunanvändare')).toBe('');
  });
});
