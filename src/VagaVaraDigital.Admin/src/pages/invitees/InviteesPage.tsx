import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { queryString } from '../../api/client';
import { Page } from '../../components/Page';
import { ErrorMessage, Loading } from '../../components/PageState';
import { HandedStatus } from '../../components/HandedStatus';
import { formatNumber } from '../../format';
import { base } from '../../runtime';
import { useSession } from '../../session';
import { apiQuery, emptyQuery, fullName, paramsFromQuery, queryFromParams, useInviteePage, useMunicipalities, useRoleCategories, type InviteeQuery } from './model';

/** The invitation list: search, filters with counts, sorting, keyset paging, export, import and add. */
export function InviteesPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const query = queryFromParams(params);
  const [draft, setDraft] = useState<InviteeQuery>(query);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const page = useInviteePage(query, cursor);
  const roles = useRoleCategories();
  const municipalities = useMunicipalities();
  const counts = page.data?.counts;
  const lang = i18n.language;
  const role = useSession().data?.user?.role;
  const staff = role !== 'MunicipalUser';   // shown while the session does not say (as the menu does)

  const apply = (q: InviteeQuery) => {
    setCursors([null]);
    setParams(paramsFromQuery(q));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };
  const count = (facet: Record<string, number | string> | undefined, key: string) =>
    facet && facet[key] != null ? ` (${formatNumber(Number(facet[key]), lang)})` : '';
  const roleLabel = (code: string) => {
    const r = roles.data?.find((x) => x.code === code);
    return r ? (lang === 'en' ? r.english : r.swedish) : code;
  };
  const exportHref = (format: 'csv' | 'xlsx') => `${base}/api/invitees/export${queryString({ ...apiQuery(query), format })}`;

  return (
    <Page title={t('invitees.title')} intro={t('invitees.intro')}
      actions={
        <div className="button-row">
          <Link className="button" to="/inbjudna/ny">{t('invitees.add')}</Link>
          {/* Import, export, the register extract and the nominations overview are the county staff's (the API answers a municipal user 403). */}
          {staff && <Link className="button secondary" to="/inbjudna/import">{t('invitees.import')}</Link>}
          {staff && <Link to="/inbjudna/registerutdrag">{t('subjectAccess.link')}</Link>}
          {staff && <Link className="button secondary" to="/inbjudna/nomineringar">{t('nominations.link')}</Link>}
        </div>
      }>
      <HandedStatus />
      <form className="filters" onSubmit={submit} role="search" aria-label={t('invitees.filters')}>
        <div className="field">
          <label htmlFor="q">{t('invitees.search')}</label>
          <input id="q" type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="municipality">{t('invitees.municipality')}</label>
          <select id="municipality" value={draft.municipality} onChange={(e) => setDraft({ ...draft, municipality: e.target.value })}>
            <option value="">{t('invitees.all')}</option>
            <option value="lansstyrelsen">{t('invitees.countyBoard')}{count(counts?.municipality, 'lansstyrelsen')}</option>
            {municipalities.data.map((m) => (
              <option key={m.code} value={m.code}>{m.name}{count(counts?.municipality, m.code)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="roleCategory">{t('invitees.roleCategory')}</label>
          <select id="roleCategory" value={draft.roleCategory} onChange={(e) => setDraft({ ...draft, roleCategory: e.target.value })}>
            <option value="">{t('invitees.all')}</option>
            {(roles.data ?? []).map((r) => (
              <option key={r.code} value={r.code}>{roleLabel(r.code)}{count(counts?.roleCategory, r.code)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">{t('invitees.status')}</label>
          <select id="status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">{t('invitees.all')}</option>
            {['active', 'opted_out', 'erased'].map((s) => (
              <option key={s} value={s}>{t(`invitees.statuses.${s}`)}{count(counts?.status, s)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="sort">{t('invitees.sort')}</label>
          <select id="sort" value={`${draft.sort}:${draft.dir}`} onChange={(e) => {
            const [sort, dir] = e.target.value.split(':') as [InviteeQuery['sort'], InviteeQuery['dir']];
            setDraft({ ...draft, sort, dir });
          }}>
            {(['name', 'email', 'created', 'updated'] as const).flatMap((s) => (['asc', 'desc'] as const).map((d) => (
              <option key={`${s}:${d}`} value={`${s}:${d}`}>{t(`invitees.sorts.${s}`)} {d === 'asc' ? t('invitees.asc') : t('invitees.desc')}</option>
            )))}
          </select>
        </div>
        <div className="button-row">
          <button type="submit" className="button">{t('invitees.apply')}</button>
          <button type="button" className="button secondary" onClick={() => { setDraft(emptyQuery); apply(emptyQuery); }}>{t('invitees.clear')}</button>
        </div>
      </form>

      <p role="status" className="result-count">
        {page.data?.total != null ? t('invitees.total', { count: Number(page.data.total), formatted: formatNumber(Number(page.data.total), lang) }) : '\u00a0'}
      </p>
      {page.isPending ? <Loading /> : page.error ? <ErrorMessage error={page.error} onRetry={() => void page.refetch()} /> : page.data && (
        page.data.items.length === 0 ? <p>{t('invitees.none')}</p> : (
          <div className="table-wrap" role="region" aria-label={t('invitees.title')} tabIndex={0}>
            <table>
              <caption className="visually-hidden">{t('invitees.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('invitees.name')}</th>
                  <th scope="col">{t('invitees.email')}</th>
                  <th scope="col">{t('invitees.municipality')}</th>
                  <th scope="col">{t('invitees.roleCategory')}</th>
                  <th scope="col">{t('invitees.titleField')}</th>
                  <th scope="col">{t('invitees.status')}</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((i) => (
                  <tr key={i.id}>
                    <th scope="row">
                      {i.status === 'erased' ? <span className="muted">{t('invitees.erased')}</span> : <Link to={`/inbjudna/${i.id}`}>{fullName(i) || i.email}</Link>}
                    </th>
                    <td>{i.email}</td>
                    <td>{i.municipalityName ?? (i.municipalityCode ? i.municipalityCode : t('invitees.countyBoard'))}</td>
                    <td>{roleLabel(i.roleCategory)}</td>
                    <td>{i.title}</td>
                    <td>{t(`invitees.statuses.${i.status}`, { defaultValue: i.status })}{i.noLongerInOffice ? ` · ${t('invitees.noLongerInOffice')}` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
      <div className="button-row">
        {cursors.length > 1 && <button type="button" className="button secondary" onClick={() => setCursors(cursors.slice(0, -1))}>{t('invitees.previous')}</button>}
        {page.data?.nextCursor && <button type="button" className="button secondary" onClick={() => setCursors([...cursors, page.data!.nextCursor!])}>{t('common.next')}</button>}
      </div>
      {staff && (
        <>
          <h2>{t('invitees.exportTitle')}</h2>
          <ul className="link-list">
            <li><a href={exportHref('csv')} download>{t('invitees.exportCsv')}</a></li>
            <li><a href={exportHref('xlsx')} download>{t('invitees.exportXlsx')}</a></li>
          </ul>
        </>
      )}
    </Page>
  );
}
