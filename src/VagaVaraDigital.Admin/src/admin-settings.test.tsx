import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConfirmAction } from './components/Confirm';
import { reportFileName } from './pages/invitees/SubjectAccessPage';

describe('ConfirmAction', () => {
  it('asks first, focuses the confirming button, and acts only when confirmed', async () => {
    let done = 0;
    render(<ConfirmAction label="Ta bort X" message="Ta bort X för gott?" confirmLabel="Ja, ta bort" onConfirm={() => done++} />);
    await userEvent.click(screen.getByRole('button', { name: 'Ta bort X' }));
    expect(done).toBe(0);
    expect(screen.getByRole('group', { name: 'Ta bort X för gott?' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Ja, ta bort' })).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('button', { name: 'Ja, ta bort' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Ta bort X' }));
    await userEvent.click(screen.getByRole('button', { name: 'Ja, ta bort' }));
    expect(done).toBe(1);
  });
});

describe('reportFileName', () => {
  it('names the extract after the address and the day, safe for every file system', () => {
    expect(reportFileName('Anna.Öst@Knivsta.se', '2026-11-30T01:02:03Z')).toBe('registerutdrag-anna._st_knivsta.se-2026-11-30.json');
  });
});

describe('languageToApply', () => {
  it("applies the account's language after sign-in, and only when it differs", async () => {
    const { languageToApply } = await import('./userLanguage');
    expect(languageToApply('en', 'sv')).toBe('en');
    expect(languageToApply('sv', 'sv')).toBeNull();
    expect(languageToApply(null, 'en')).toBeNull();
    expect(languageToApply('de', 'sv')).toBeNull();
  });
});
