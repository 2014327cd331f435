/** Swedish (or English) formats, always in Europe/Stockholm, whatever the browser's zone. */
export const TIME_ZONE = 'Europe/Stockholm';

const locales: Record<string, string> = { sv: 'sv-SE', en: 'en-GB' };
const localeOf = (lang: string) => locales[lang] ?? 'sv-SE';

export function formatDateTime(value: string | Date | null | undefined, lang = 'sv'): string {
  if (value == null || value === '') return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(localeOf(lang), {
    timeZone: TIME_ZONE, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(d);
}

export function formatDate(value: string | Date | null | undefined, lang = 'sv'): string {
  if (value == null || value === '') return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(localeOf(lang), { timeZone: TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric' }).format(d);
}

export function formatNumber(value: number | null | undefined, lang = 'sv', fractionDigits = 0): string {
  if (value == null || Number.isNaN(value)) return '–';
  return new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: fractionDigits, minimumFractionDigits: 0 }).format(value);
}

/** A share 0..1 as a percentage ("42 %" in Swedish, "42%" in English). */
export function formatPercent(share: number | null | undefined, lang = 'sv', fractionDigits = 0): string {
  if (share == null || Number.isNaN(share)) return '–';
  return new Intl.NumberFormat(localeOf(lang), { style: 'percent', maximumFractionDigits: fractionDigits }).format(share);
}

/** Share of target, safe for a zero target, capped at 1 for drawing. */
export function shareOf(value: number, target: number): number {
  if (!(target > 0)) return 0;
  return Math.max(0, value / target);
}

/** Minutes as "1 dag 2 tim" style text, used for reminder offsets. */
export function splitMinutes(total: number): { days: number; hours: number; minutes: number } {
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  return { days, hours, minutes: total % 60 };
}
