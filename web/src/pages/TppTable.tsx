import type { TppBasis } from '../gql/graphql';
import { useI18n } from '../i18n';
import { Rupiah } from '../components';

export interface TppRowView {
  officer: { id: string; name: string; position?: string };
  ratings: number;
  average?: number | null;
  factor: number;
  base?: number | null;
  payout?: number | null;
  basis: TppBasis;
}

/** A TPP report's rows; on a narrow screen the table scrolls within its own box. */
export function TppTable({ rows, caption }: { rows: TppRowView[]; caption: string }) {
  const { t, number } = useI18n();
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tpp.officer')}</th>
            <th scope="col">{t('tpp.ratings')}</th>
            <th scope="col">{t('tpp.average')}</th>
            <th scope="col">{t('tpp.factor')}</th>
            <th scope="col">{t('tpp.base')}</th>
            <th scope="col">{t('tpp.payout')}</th>
            <th scope="col">{t('tpp.basis')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.officer.id}>
              <th scope="row">{r.officer.name}</th>
              <td>{number(r.ratings)}</td>
              <td>{r.average == null ? '–' : number(r.average, 2)}</td>
              <td>{number(r.factor, 4)}</td>
              <td>{r.base == null ? '–' : <Rupiah value={r.base} />}</td>
              <td>{r.payout == null ? '–' : <Rupiah value={r.payout} />}</td>
              <td>{t(`tpp.basis.${r.basis}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
