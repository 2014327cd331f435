import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, request } from '../../api/client';
import { Page } from '../../components/Page';
import { ErrorMessage, Loading } from '../../components/PageState';
import { DataTable } from '../../components/charts/DataTable';
import { formatNumber } from '../../format';
import { BusyButton } from '../../components/BusyButton';

export interface ImportIssue { row: number; column?: string | null; field: string; swedish: string; english: string }
export interface ImportReport {
  dryRun: boolean; committed: boolean; batchId?: string | null; fileName: string; format: string; encoding?: string | null; delimiter?: string | null;
  policy: string; columns: { header: string; field?: string | null }[]; unmappedColumns: string[]; rows: number; validRows: number; invalidRows: number;
  created: number; updated: number; unchanged: number; skipped: number; errorCount: number; errors: ImportIssue[];
}

export const IMPORT_FIELDS = ['firstName', 'lastName', 'fullName', 'email', 'municipality', 'municipalityCode', 'roleCategory', 'title', 'phone', 'tags', 'notes', 'ignore'] as const;

/** The mapping to send: only columns whose field the person changed from what the server detected. */
export function mappingToSend(columns: ImportReport['columns'], chosen: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of columns) {
    const value = chosen[c.header];
    if (value !== undefined && value !== (c.field ?? 'ignore')) out[c.header] = value;
  }
  return out;
}

type Step = 'upload' | 'review' | 'done';

/** Upload → column mapping → validation report → dry-run summary → commit (all or nothing). */
export function ImportWizard() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [policy, setPolicy] = useState<'update' | 'skip'>('update');
  const [step, setStep] = useState<Step>('upload');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const lang = i18n.language;
  const issueText = (i: ImportIssue) => (lang === 'en' ? i.english : i.swedish);

  async function send(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    const form = new FormData();
    form.append('dryRun', String(dryRun));
    form.append('policy', policy);
    const m = report ? mappingToSend(report.columns, mapping) : {};
    if (Object.keys(m).length > 0) form.append('mapping', JSON.stringify(m));
    form.append('file', file, file.name);
    try {
      const r = await request<ImportReport>('POST', '/api/invitees/imports', { form });
      setReport(r);
      if (!dryRun) {
        setStep('done');
        void client.invalidateQueries({ queryKey: ['invitees'] });
      } else setStep('review');
    } catch (e) {
      const withReport = e instanceof ApiError ? (e.problem as { report?: ImportReport }).report : undefined;
      if (withReport) setReport(withReport);
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const submitUpload = (e: FormEvent) => { e.preventDefault(); setMapping({}); setReport(null); void send(true); };

  return (
    <Page title={t('import.title')} intro={t('import.intro')}>
      <ol className="steps" aria-label={t('import.stepsLabel')}>
        {(['upload', 'review', 'done'] as const).map((s, i) => (
          <li key={s} aria-current={step === s ? 'step' : undefined}>{i + 1}. {t(`import.steps.${s}`)}</li>
        ))}
      </ol>
      {error ? <ErrorMessage error={error} /> : null}
      {step === 'upload' && (
        <form onSubmit={submitUpload} className="form">
          <div className="field">
            <label htmlFor="file">{t('import.file')}</label>
            <p id="file-hint" className="hint">{t('import.fileHint')}</p>
            <input id="file" type="file" accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby="file-hint" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </div>
          <fieldset>
            <legend>{t('import.policy')}</legend>
            <div className="checkbox"><input type="radio" id="policy-update" name="policy" checked={policy === 'update'} onChange={() => setPolicy('update')} /><label htmlFor="policy-update">{t('import.policyUpdate')}</label></div>
            <div className="checkbox"><input type="radio" id="policy-skip" name="policy" checked={policy === 'skip'} onChange={() => setPolicy('skip')} /><label htmlFor="policy-skip">{t('import.policySkip')}</label></div>
          </fieldset>
          <BusyButton type="submit" className="button" disabled={!file} busy={busy}>{t('import.check')}</BusyButton>
          {busy && <Loading label={t('import.checking')} />}
        </form>
      )}
      {step === 'review' && report && (
        <>
          <section aria-labelledby="mapping">
            <h2 id="mapping">{t('import.mappingTitle')}</h2>
            <p>{t('import.mappingHelp', { format: report.format.toUpperCase(), encoding: report.encoding ?? '–', delimiter: report.delimiter === '\t' ? 'tab' : report.delimiter ?? '–' })}</p>
            <div className="table-wrap" role="region" aria-labelledby="mapping" tabIndex={0}>
              <table>
                <thead><tr><th scope="col">{t('import.column')}</th><th scope="col">{t('import.field')}</th></tr></thead>
                <tbody>
                  {report.columns.map((c, i) => (
                    <tr key={c.header + i}>
                      <th scope="row"><label htmlFor={`map-${i}`}>{c.header}</label></th>
                      <td>
                        <select id={`map-${i}`} value={mapping[c.header] ?? c.field ?? 'ignore'} onChange={(e) => setMapping({ ...mapping, [c.header]: e.target.value })}>
                          {IMPORT_FIELDS.map((f) => <option key={f} value={f}>{t(`import.fields.${f}`)}</option>)}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <BusyButton type="button" className="button secondary" busy={busy} onClick={() => void send(true)}>{t('import.recheck')}</BusyButton>
          </section>
          <section aria-labelledby="summary">
            <h2 id="summary">{t('import.summaryTitle')}</h2>
            <ul className="summary-list">
              <li>{t('import.rows', { count: report.rows, formatted: formatNumber(report.rows, lang) })}</li>
              <li>{t('import.wouldCreate', { formatted: formatNumber(report.created, lang) })}</li>
              <li>{t('import.wouldUpdate', { formatted: formatNumber(report.updated, lang) })}</li>
              <li>{t('import.unchanged', { formatted: formatNumber(report.unchanged, lang) })}</li>
              <li>{t('import.skipped', { formatted: formatNumber(report.skipped, lang) })}</li>
              <li>{t('import.invalid', { formatted: formatNumber(report.invalidRows, lang) })}</li>
            </ul>
          </section>
          <section aria-labelledby="report">
            <h2 id="report">{t('import.reportTitle')}</h2>
            {report.errorCount === 0 ? <p className="saved">{t('import.noErrors')}</p> : (
              <>
                <p role="alert">{t('import.hasErrors', { count: report.errorCount })}</p>
                <DataTable caption={t('import.reportTitle')} captionHidden rows={report.errors} rowKey={(e) => `${e.row}-${e.field}-${e.column ?? ''}`}
                  columns={[
                    { key: 'row', header: t('import.row'), cell: (e) => String(e.row) },
                    { key: 'column', header: t('import.column'), cell: (e) => e.column ?? '' },
                    { key: 'reason', header: t('import.reason'), cell: issueText },
                  ]} />
              </>
            )}
          </section>
          <div className="form-actions">
            <BusyButton type="button" className="button" disabled={report.errorCount > 0} busy={busy} onClick={() => void send(false)}>
              {t('import.commit', { formatted: formatNumber(report.created + report.updated, lang) })}
            </BusyButton>
            <button type="button" className="button secondary" onClick={() => { setStep('upload'); setReport(null); setError(null); }}>{t('import.otherFile')}</button>
          </div>
        </>
      )}
      {step === 'done' && report && (
        <section aria-labelledby="done">
          <h2 id="done">{t('import.doneTitle')}</h2>
          <p role="status">{t('import.doneText', { created: formatNumber(report.created, lang), updated: formatNumber(report.updated, lang), unchanged: formatNumber(report.unchanged, lang), skipped: formatNumber(report.skipped, lang) })}</p>
          <p><Link to="/inbjudna">{t('invitees.backToList')}</Link></p>
        </section>
      )}
    </Page>
  );
}
