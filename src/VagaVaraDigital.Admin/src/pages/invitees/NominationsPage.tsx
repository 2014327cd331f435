import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { request } from '../../api/client';
import { Page } from '../../components/Page';
import { QueryView } from '../../components/PageState';
import { formatDateTime, formatNumber } from '../../format';
import { fullName, nominatorName, useMunicipalities, useRoleCategories, type Invitee, type InviteePage } from './model';

const LIMIT = 200;

/** Nominations grouped by municipality (code), municipalities by name, newest nomination first within each. Exported for tests. */
export function groupByMunicipality(items: Invitee[], nameOf: (code: string) => string): { code: string; name: string; items: Invitee[] }[] {
  const groups = new Map<string, Invitee[]>();
  for (const i of items) {
    const code = i.municipalityCode ?? 'lansstyrelsen';
    groups.set(code, [...(groups.get(code) ?? []), i]);
  }
  return [...groups.entries()]
    .map(([code, list]) => ({ code, name: nameOf(code), items: [...list].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '')) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

/**
 * "/inbjudna/nomineringar" (CountyAdmin/CountyEditor): who the municipalities have nominated — per municipality, with
 * who nominated and when, and whether the person has since been flagged as no longer in office. The API gives county
 * staff the nominator's display name (never the address); without one, "a municipal user".
 */
export function NominationsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const municipalities = useMunicipalities();
  const roles = useRoleCategories();
  const nominations = useQuery({
    queryKey: ['invitees', 'nominations'],
    queryFn: () => request<InviteePage>('GET', '/api/invitees', { query: { source: 'nomination', sort: 'created', dir: 'desc', limit: LIMIT } }),
  });
  const nameOf = (code: string) => code === 'lansstyrelsen' ? t('invitees.countyBoard') : municipalities.data.find((m) => m.code === code)?.name ?? code;
  const nominator = (i: Invitee) => nominatorName(i, t('nominations.someUser'));
  const roleLabel = (code: string) => {
    const r = roles.data?.find((x) => x.code === code);
    return r ? (lang === 'en' ? r.english : r.swedish) : code;
  };
  return (
    <Page title={t('nominations.title')} intro={t('nominations.intro')}
      actions={<Link to="/inbjudna">{t('invitees.backToList')}</Link>}>
      <QueryView query={nominations}>
        {(page) => {
          const groups = groupByMunicipality(page.items as Invitee[], nameOf);
          if (groups.length === 0) return <p>{t('nominations.none')}</p>;
          return (
            <>
              {page.nextCursor && <p className="notice">{t('nominations.limited', { count: LIMIT })}</p>}
              <section aria-labelledby="nominations-summary" className="card">
                <h2 id="nominations-summary">{t('nominations.perMunicipality')}</h2>
                <div className="table-wrap" role="region" aria-labelledby="nominations-summary" tabIndex={0}>
                  <table>
                    <caption className="visually-hidden">{t('nominations.perMunicipality')}</caption>
                    <thead><tr><th scope="col">{t('invitees.municipality')}</th><th scope="col" className="num">{t('nominations.count')}</th><th scope="col" className="num">{t('invitees.noLongerInOffice')}</th></tr></thead>
                    <tbody>
                      {groups.map((g) => (
                        <tr key={g.code}>
                          <th scope="row"><a href={`#kommun-${g.code}`}>{g.name}</a></th>
                          <td className="num">{formatNumber(Number(page.counts?.municipality?.[g.code] ?? g.items.length), lang)}</td>
                          <td className="num">{formatNumber(g.items.filter((i) => i.noLongerInOffice).length, lang)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
              {groups.map((g) => (
                <section key={g.code} aria-labelledby={`kommun-${g.code}`}>
                  <h2 id={`kommun-${g.code}`}>{g.name}</h2>
                  <div className="table-wrap" role="region" aria-labelledby={`kommun-${g.code}`} tabIndex={0}>
                    <table>
                      <caption className="visually-hidden">{t('nominations.inMunicipality', { name: g.name })}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('invitees.name')}</th>
                          <th scope="col">{t('invitees.titleField')}</th>
                          <th scope="col">{t('invitees.roleCategory')}</th>
                          <th scope="col">{t('nominations.by')}</th>
                          <th scope="col">{t('nominations.when')}</th>
                          <th scope="col">{t('invitees.status')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {g.items.map((i) => (
                          <tr key={i.id}>
                            <th scope="row"><Link to={`/inbjudna/${i.id}`}>{fullName(i) || t('invitees.erased')}</Link></th>
                            <td>{i.title ?? ''}</td>
                            <td>{roleLabel(i.roleCategory)}</td>
                            <td>{nominator(i)}</td>
                            <td>{formatDateTime(i.createdAt, lang)}</td>
                            <td>
                              {t(`invitees.statuses.${i.status}`, { defaultValue: i.status })}
                              {i.noLongerInOffice ? ` · ${t('invitees.noLongerInOffice')}` : ''}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </section>
              ))}
            </>
          );
        }}
      </QueryView>
    </Page>
  );
}
