import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from './i18n';
import { ErrorMessage } from './components/PageState';
import { ApiError } from './api/client';
import { ProgressBar } from './components/ProgressBar';
import { BarChart } from './components/charts/BarChart';
import { ErrorSummary, Field } from './components/Field';
import { LanguageSwitch } from './components/LanguageSwitch';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BusyButton } from './components/BusyButton';

describe('ErrorMessage', () => {
  it("shows the API's Swedish problem and the correlation id", () => {
    render(<ErrorMessage error={new ApiError(409, { title: 'Finns redan', detail: 'Adressen används redan.', correlationId: 'abc-123' })} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Finns redan');
    expect(screen.getByRole('alert')).toHaveTextContent('Adressen används redan.');
    expect(screen.getByRole('alert')).toHaveTextContent('abc-123');
  });
  it('says to sign in on 401', () => {
    render(<ErrorMessage error={new ApiError(401, {})} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Du behöver logga in');
  });
  it('offers a retry', async () => {
    let tries = 0;
    render(<ErrorMessage error={new Error('x')} onRetry={() => tries++} />);
    await userEvent.click(screen.getByRole('button', { name: 'Försök igen' }));
    expect(tries).toBe(1);
  });
});

describe('ProgressBar', () => {
  it('states reached vs target in words', () => {
    render(<ProgressBar value={42} target={83} label="Nådda ledare" />);
    expect(document.body.textContent?.replace(/\s/g, ' ')).toContain('42 av 83 (51 %)');
  });
});

describe('BarChart', () => {
  it('has its figures as a table', () => {
    render(<BarChart title="Per län" bars={[{ key: '03', label: 'Uppsala län', value: 12 }]} />);
    const table = screen.getByRole('table', { hidden: true });
    expect(table).toHaveTextContent('Uppsala län');
    expect(table).toHaveTextContent('12');
  });
});

describe('Field', () => {
  it('ties label, hint and error to the input', () => {
    render(<Field id="senderName" label="Avsändarnamn" hint="Namnet" error="Ange ett namn" value="" onChange={() => {}} />);
    const input = screen.getByLabelText('Avsändarnamn');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toBe('senderName-hint senderName-error');
  });
  it('summarises errors with links to the fields', () => {
    render(<ErrorSummary errors={{ senderName: 'Ange ett namn' }} labels={{ senderName: 'Avsändarnamn' }} />);
    expect(screen.getByRole('link', { name: 'Avsändarnamn: Ange ett namn' })).toHaveAttribute('href', '#senderName');
  });
});

describe('LanguageSwitch', () => {
  it('switches to English and back, and remembers the choice', async () => {
    render(<QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}><LanguageSwitch /></QueryClientProvider>);
    await userEvent.click(screen.getByRole('button', { name: 'In English' }));
    expect(i18n.language).toBe('en');
    expect(localStorage.getItem('vvd.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    await userEvent.click(screen.getByRole('button', { name: 'På svenska' }));
    expect(i18n.language).toBe('sv');
    expect(localStorage.getItem('vvd.lang')).toBe('sv');
  });
});

describe('BusyButton', () => {
  function Form() {
    const [busy, setBusy] = useState(false);
    const [sent, setSent] = useState(0);
    return (
      <form onSubmit={(e) => { e.preventDefault(); setSent((n) => n + 1); setBusy(true); }}>
        <input aria-label="Namn" />
        <BusyButton type="submit" busy={busy}>Spara</BusyButton>
        <p>Skickat {sent}</p>
      </form>
    );
  }

  it('keeps the focus while busy and ignores a second press and Enter', async () => {
    render(<Form />);
    const save = screen.getByRole('button', { name: 'Spara' });
    save.focus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByText('Skickat 1')).toBeInTheDocument();
    expect(save).toHaveAttribute('aria-disabled', 'true');
    expect(save).not.toBeDisabled();
    expect(save).toHaveFocus();
    await userEvent.click(save);
    await userEvent.type(screen.getByRole('textbox', { name: 'Namn' }), 'x{Enter}');
    expect(screen.getByText('Skickat 1')).toBeInTheDocument();
  });
});
