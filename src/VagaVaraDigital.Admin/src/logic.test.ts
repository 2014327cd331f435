import { describe, expect, it } from 'vitest';
import geojson from './map/counties.geojson?raw';
import { detectBase, tenantSlugOf } from './runtime';
import { formatDateTime, formatNumber, formatPercent, shareOf } from './format';
import { barWidths } from './components/charts/BarChart';
import { scalePoints } from './components/charts/LineChart';
import { drawCounties, shareClass, type FeatureCollection } from './map/geo';
import { fieldErrors, parseIntList } from './components/Field';
import { isUnsafe, queryString } from './api/client';
import { landingFor, groupKey } from './session';
import { mappingToSend } from './pages/invitees/ImportWizard';
import { paramsFromQuery, queryFromParams, emptyQuery } from './pages/invitees/model';
import { byDay } from './pages/webcasts/WebcastsPage';
import { sortCounties } from './pages/NationalPage';
import { navFor } from './components/Layout';
import { toInput } from './pages/invitees/InviteeEditPage';
import { initialLanguage } from './i18n';
import { sv } from './i18n/sv';
import { en } from './i18n/en';

describe('run-time base', () => {
  it('takes the PathBase the server wrote', () => expect(detectBase('/t/uppsala', '/t/uppsala/x')).toBe('/t/uppsala'));
  it('trims a trailing slash', () => expect(detectBase('/t/vastra-gotaland/', '/')).toBe('/t/vastra-gotaland'));
  it('reads the tenant prefix from the URL in the dev server', () => expect(detectBase('', '/t/skane/installningar')).toBe('/t/skane'));
  it('is the root elsewhere', () => {
    expect(detectBase(null, '/nationellt')).toBe('');
    expect(detectBase('', '/tillganglighet')).toBe('');
    expect(detectBase('', '/t/')).toBe('');
  });
  it('names the tenant slug', () => {
    expect(tenantSlugOf('/t/uppsala')).toBe('uppsala');
    expect(tenantSlugOf('')).toBeNull();
  });
});

describe('Swedish formats in Europe/Stockholm', () => {
  it('shows UTC summer time as Stockholm time', () => expect(formatDateTime('2026-06-01T08:00:00Z')).toContain('10:00'));
  it('shows UTC winter time as Stockholm time', () => expect(formatDateTime('2026-01-15T08:00:00Z')).toContain('09:00'));
  it('groups thousands with a space in Swedish', () => expect(formatNumber(3000).replace(/\s/g, ' ')).toBe('3 000'));
  it('writes percentages the Swedish way', () => expect(formatPercent(0.42).replace(/\s/g, ' ')).toBe('42 %'));
  it('English differs', () => expect(formatNumber(3000, 'en')).toBe('3,000'));
  it('share of a zero target is zero, not infinity', () => {
    expect(shareOf(5, 0)).toBe(0);
    expect(shareOf(50, 200)).toBe(0.25);
  });
  it('empty values stay empty', () => {
    expect(formatDateTime(null)).toBe('');
    expect(formatNumber(undefined)).toBe('–');
  });
});

describe('charts', () => {
  it('scales bars to the largest value', () =>
    expect(barWidths([{ key: 'a', label: 'a', value: 10 }, { key: 'b', label: 'b', value: 5 }])).toEqual([1, 0.5]));
  it('scales bars to a given max (e.g. the target)', () => expect(barWidths([{ key: 'a', label: 'a', value: 10 }], 40)).toEqual([0.25]));
  it('all zero bars are empty, not NaN', () => expect(barWidths([{ key: 'a', label: 'a', value: 0 }])).toEqual([0]));
  it('puts the target at the top of a line chart when it is the largest value', () => {
    const pts = scalePoints([{ date: '2026-01-01', value: 0 }, { date: '2026-02-01', value: 50 }], 100);
    expect(pts[0].x).toBeLessThan(pts[1].x);
    expect(pts[0].y).toBeGreaterThan(pts[1].y);
    const bottom = pts[0].y;
    expect(pts[1].y).toBeCloseTo(bottom - (bottom - 12) / 2, 5);
  });
  it('an empty series draws nothing', () => expect(scalePoints([], 10)).toEqual([]));
});

describe('county map', () => {
  const fc = JSON.parse(geojson) as FeatureCollection;
  it('draws all 21 counties with their SCB codes', () => {
    const { counties, width, height } = drawCounties(fc, 300);
    expect(counties).toHaveLength(21);
    expect(counties.map((c) => c.code)).toContain('03');
    expect(width).toBe(300);
    expect(height).toBeGreaterThan(width); // Sweden is tall
    for (const c of counties) expect(c.d).toMatch(/^M[\d.]+,[\d.]+L/);
  });
  it('draws every part of Stockholm (20) and Kalmar with Öland (2)', () => {
    const { counties } = drawCounties(fc);
    expect(counties.find((c) => c.code === '01')!.d.split('M').length - 1).toBeGreaterThanOrEqual(20);
    expect(counties.find((c) => c.code === '08')!.d.split('M').length - 1).toBeGreaterThanOrEqual(2);
  });
  it('classes shares of target', () => {
    expect(shareClass(null)).toBeNull();
    expect(shareClass(0)).toBe(0);
    expect(shareClass(0.3)).toBe(1);
    expect(shareClass(0.99)).toBe(3);
    expect(shareClass(1.2)).toBe(4);
  });
});

describe('forms and requests', () => {
  it('parses reminder offsets', () => {
    expect(parseIntList('10080, 1440 ,60')).toEqual([10080, 1440, 60]);
    expect(parseIntList('')).toEqual([]);
    expect(parseIntList('1 dag')).toBeNull();
    expect(parseIntList('-5')).toBeNull();
  });
  it('maps API validation errors to field ids', () =>
    expect(fieldErrors({ ReachTarget: ['Målet …'], senderName: ['x', 'y'] })).toEqual({ reachTarget: 'Målet …', senderName: 'x' }));
  it('sends the antiforgery token only on unsafe methods', () => {
    expect(isUnsafe('POST')).toBe(true);
    expect(isUnsafe('delete')).toBe(true);
    expect(isUnsafe('GET')).toBe(false);
  });
  it('builds query strings with repeated keys and without empty values', () =>
    expect(queryString({ q: 'å ä', municipality: ['0380', '0381'], status: '', cursor: null, limit: 50 })).toBe('?q=%C3%A5+%C3%A4&municipality=0380&municipality=0381&limit=50'));
});

describe('language', () => {
  it('is Swedish unless English was chosen', () => {
    expect(initialLanguage(null)).toBe('sv');
    expect(initialLanguage('de')).toBe('sv');
    expect(initialLanguage('en')).toBe('en');
  });
  it('has the same keys in English as in Swedish, none empty', () => {
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]));
    expect(keys(en).sort()).toEqual(keys(sv).sort());
    const values = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'object' ? values(v) : [v as string]));
    expect(values(en).every((v) => v.trim().length > 0)).toBe(true);
  });
});

describe('sign-in', () => {
  it('lands where the person was going, when that is on this site', () => {
    expect(landingFor({ role: 'CountyAdmin', tenantSlug: 'uppsala' }, '/t/uppsala/inbjudna')).toBe('/t/uppsala/inbjudna');
    expect(landingFor({ role: 'CountyAdmin', tenantSlug: 'uppsala' }, '//evil.example/')).toBe('/t/uppsala/');
    expect(landingFor({ role: 'CountyAdmin', tenantSlug: 'uppsala' }, 'https://evil.example/')).toBe('/t/uppsala/');
  });
  it("otherwise lands on the role's start page", () => {
    expect(landingFor({ role: 'NationalViewer' }, null)).toBe('/nationellt');
    expect(landingFor({ role: 'SystemAdmin' }, null)).toBe('/system/lan');
    expect(landingFor({ role: 'MunicipalUser', tenantSlug: 'skane' }, null)).toBe('/t/skane/');
  });
  it('groups the TOTP key for reading', () => expect(groupKey('ABCDEFGHIJ')).toBe('ABCD EFGH IJ'));
  it('shows each role only its menu items', () => {
    const items = [{ to: '/', key: 'a' }, { to: '/x', key: 'b', roles: ['CountyAdmin' as const] }];
    expect(navFor(items, 'CountyEditor').map((i) => i.to)).toEqual(['/']);
    expect(navFor(items, 'CountyAdmin').map((i) => i.to)).toEqual(['/', '/x']);
    expect(navFor(items, null).map((i) => i.to)).toEqual(['/', '/x']);
  });
});

describe('invitees', () => {
  it('keeps the list query in the address and back', () => {
    const q = { ...emptyQuery, q: 'Åberg', municipality: '0380', dir: 'desc' as const };
    const p = new URLSearchParams(paramsFromQuery(q));
    expect(p.get('kommun')).toBe('0380');
    expect(queryFromParams(p)).toEqual(q);
    expect(paramsFromQuery(emptyQuery)).toEqual({});
  });
  it('sends only the column mappings the person changed', () =>
    expect(mappingToSend([{ header: 'Förnamn', field: 'firstName' }, { header: 'Mejl', field: null }, { header: 'X', field: 'notes' }],
      { Förnamn: 'firstName', Mejl: 'email' })).toEqual({ Mejl: 'email' }));
  it('turns the form into the API input (blank → null, tags split)', () => {
    const input = toInput({ firstName: ' Anna ', lastName: 'Åberg', email: 'a@b.se', municipalityCode: '', roleCategory: 'ovrig', title: '', phone: '', tags: 'a, b,,', notes: '', noLongerInOffice: false });
    expect(input.firstName).toBe('Anna');
    expect(input.municipalityCode).toBeNull();
    expect(input.tags).toEqual(['a', 'b']);
  });
});

describe('webcasts and national view', () => {
  it('groups webcasts by their Stockholm day, in time order', () =>
    expect(byDay([
      { id: 'b', startsAt: '2026-12-03T09:00:00Z' },
      { id: 'a', startsAt: '2026-12-02T23:30:00Z' }, // 00:30 on 3 December in Stockholm
      { id: 'c', startsAt: '2026-12-04T08:00:00Z' },
    ])).toEqual([['2026-12-03', ['a', 'b']], ['2026-12-04', ['c']]]));
  it('sorts counties by share of target, names in Swedish order', () => {
    const row = (id: string, name: string, percent: number | null) => ({ id, name, percentOfTarget: percent, target: 10, reached: 1 }) as never;
    const rows = [row('01', 'Örebro', 10), row('02', 'Ångermanland', null), row('03', 'Västra', 50)];
    expect(sortCounties(rows, 'percent', false).map((r: { id: string }) => r.id)).toEqual(['03', '01', '02']);
    expect(sortCounties(rows, 'name', true).map((r: { name: string }) => r.name)).toEqual(['Västra', 'Ångermanland', 'Örebro']);
  });
});
