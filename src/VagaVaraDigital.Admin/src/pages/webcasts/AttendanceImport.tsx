import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorMessage } from '../../components/PageState';
import { formatNumber } from '../../format';
import { BusyButton } from '../../components/BusyButton';

type Preview = components['schemas']['ImportPreview'];

/** The bytes of a file as base64 (the attendance API takes the report as JSON). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Teams or Zoom attendance report: preview, match the unmatched by hand, then read it in (one transaction). */
export function AttendanceImport({ webcastId, invitations }: { webcastId: string; invitations: { id: string; label: string }[] }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [matches, setMatches] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Preview | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const body = async () => ({ fileName: file!.name, contentBase64: await fileToBase64(file!), format: null, matches: Object.keys(matches).length ? matches : null });
  const check = useMutation({
    mutationFn: async () => unwrap(api.POST('/api/webcasts/{webcastId}/attendance/imports/preview', { params: { path: { webcastId } }, body: await body() })),
    onSuccess: (p) => { setPreview(p); setDone(null); },
  });
  const commit = useMutation({
    mutationFn: async () => unwrap(api.POST('/api/webcasts/{webcastId}/attendance/imports', { params: { path: { webcastId } }, body: await body() })),
    onSuccess: (r) => {
      setDone(t('attendance.done', { matched: Number(r.matched), rows: Number(r.rows) }));
      setPreview(null);
      void client.invalidateQueries({ queryKey: ['invitations', webcastId] });
      void client.invalidateQueries({ queryKey: ['webcast', webcastId] });
    },
  });
  const lang = i18n.language;
  return (
    <section aria-labelledby="attendance-import" className="card">
      <h2 id="attendance-import">{t('attendance.title')}</h2>
      <p>{t('attendance.help')}</p>
      <div className="field">
        <label htmlFor="attendance-file">{t('attendance.file')}</label>
        <input id="attendance-file" type="file" accept=".csv,.txt,.tsv,text/csv,text/plain" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setPreview(null); setMatches({}); }} />
      </div>
      <BusyButton type="button" className="button secondary" disabled={!file} busy={check.isPending} onClick={() => check.mutate()}>{t('attendance.check')}</BusyButton>
      {(check.error || commit.error) && <ErrorMessage error={check.error ?? commit.error} />}
      {done && <p role="status" className="saved">{done}</p>}
      {preview && (
        <>
          <p role="status">{t('attendance.summary', { rows: formatNumber(Number(preview.rows), lang), matched: formatNumber(Number(preview.matched), lang), unmatched: formatNumber(Number(preview.unmatched), lang), threshold: Number(preview.thresholdMinutes) })}</p>
          {preview.alreadyImported && <p className="notice">{t('attendance.already')}</p>}
          <div className="table-wrap" role="region" aria-labelledby="attendance-import" tabIndex={0}>
            <table>
              <caption className="visually-hidden">{t('attendance.title')}</caption>
              <thead><tr><th scope="col">{t('invitees.name')}</th><th scope="col">{t('invitees.email')}</th><th scope="col" className="num">{t('webcasts.minutesAttended')}</th><th scope="col">{t('attendance.match')}</th></tr></thead>
              <tbody>
                {preview.items.map((row, i) => (
                  <tr key={row.key}>
                    <th scope="row">{row.name}</th>
                    <td>{row.email ?? ''}</td>
                    <td className="num">{formatNumber(Number(row.minutes), lang)}</td>
                    <td>
                      {row.invitationId && !matches[row.key] ? (row.countsAsAttended ? t('attendance.matchedCounts') : t('attendance.matchedBelow')) : (
                        <>
                          <label className="visually-hidden" htmlFor={`match-${i}`}>{t('attendance.matchFor', { name: row.name })}</label>
                          <select id={`match-${i}`} value={matches[row.key] ?? ''} onChange={(e) => setMatches({ ...matches, [row.key]: e.target.value })}>
                            <option value="">{t('attendance.noMatch')}</option>
                            {invitations.map((x) => <option key={x.id} value={x.id}>{x.label}</option>)}
                          </select>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="button-row">
            <BusyButton type="button" className="button secondary" busy={check.isPending} onClick={() => check.mutate()}>{t('attendance.recheck')}</BusyButton>
            <BusyButton type="button" className="button" busy={commit.isPending} onClick={() => commit.mutate()}>{t('attendance.commit')}</BusyButton>
          </div>
        </>
      )}
    </section>
  );
}
