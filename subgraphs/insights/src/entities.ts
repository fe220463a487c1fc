import { EntitySchema } from '@mikro-orm/core';

/**
 * Database rows of the insights subgraph. Its SQL is written by hand (rollups, the cube's
 * aggregates); this schema documents one table for MikroORM, which needs at least one entity.
 */
export interface HistoryRunRow {
  seed: number;
  endMonth: string;
  months: number;
  citizens: number;
  tickets: string;
  ratings: string;
  generatedAt: Date;
}

export const HistoryRunSchema = new EntitySchema<HistoryRunRow>({
  name: 'HistoryRun',
  tableName: 'history_run',
  properties: {
    seed: { type: 'integer', primary: true },
    endMonth: { type: 'string', primary: true, fieldName: 'end_month' },
    months: { type: 'integer' },
    citizens: { type: 'integer' },
    tickets: { type: 'bigint' },
    ratings: { type: 'bigint' },
    generatedAt: { type: 'Date', fieldName: 'generated_at' },
  },
});

export const entities = [HistoryRunSchema];
