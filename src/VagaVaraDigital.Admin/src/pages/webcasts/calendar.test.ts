import { describe, expect, it } from 'vitest';
import { monthGrid, moveDay, stockholmDay } from './MonthCalendar';
import { firstDayToShow } from './WebcastsPage';

describe('month calendar', () => {
  it('starts weeks on Monday and fills them with the neighbouring months', () => {
    const weeks = monthGrid(2026, 12);   // 1 December 2026 is a Tuesday
    expect(weeks[0][0]).toEqual({ key: '2026-11-30', day: 30, inMonth: false });
    expect(weeks[0][1]).toEqual({ key: '2026-12-01', day: 1, inMonth: true });
    expect(weeks.at(-1)!.at(-1)).toEqual({ key: '2027-01-03', day: 3, inMonth: false });
    expect(weeks).toHaveLength(5);
    expect(weeks.flat().filter((d) => d.inMonth)).toHaveLength(31);
  });

  it('has six weeks only when the month needs them, and four when February fits', () => {
    expect(monthGrid(2026, 3)).toHaveLength(6);   // March 2026 starts on a Sunday
    expect(monthGrid(2027, 2)).toHaveLength(4);   // February 2027 starts on a Monday, 28 days
  });

  it('moves by day, week, to the ends of the week and by month (clamped)', () => {
    expect(moveDay('2026-12-31', 'ArrowRight')).toBe('2027-01-01');
    expect(moveDay('2026-12-01', 'ArrowLeft')).toBe('2026-11-30');
    expect(moveDay('2026-12-03', 'ArrowDown')).toBe('2026-12-10');
    expect(moveDay('2026-12-03', 'ArrowUp')).toBe('2026-11-26');
    expect(moveDay('2026-12-03', 'Home')).toBe('2026-11-30');
    expect(moveDay('2026-12-03', 'End')).toBe('2026-12-06');
    expect(moveDay('2027-01-31', 'PageDown')).toBe('2027-02-28');
    expect(moveDay('2026-03-31', 'PageUp')).toBe('2026-02-28');
    expect(moveDay('2026-12-03', 'a')).toBeNull();
  });

  it('puts a webcast on its Stockholm day, also across the time-zone edge and the DST change', () => {
    expect(stockholmDay('2026-12-03T23:30:00Z')).toBe('2026-12-04');
    expect(stockholmDay('2026-03-29T22:30:00Z')).toBe('2026-03-30');   // summer time: UTC+2
    expect(stockholmDay('2026-10-25T22:30:00Z')).toBe('2026-10-25');   // winter time again: UTC+1
  });

  it("opens on today, or on the next webcast's month when it is later", () => {
    const now = new Date('2026-11-30T10:00:00Z');
    expect(firstDayToShow([], now)).toBe('2026-11-30');
    expect(firstDayToShow([{ startsAt: '2026-11-30T15:00:00Z' }], now)).toBe('2026-11-30');
    expect(firstDayToShow([{ startsAt: '2027-01-20T09:00:00Z' }, { startsAt: '2026-10-01T09:00:00Z' }], now)).toBe('2027-01-20');
  });
});
