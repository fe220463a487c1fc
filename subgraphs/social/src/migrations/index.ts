import { Migration20261129000001 } from './Migration20261129000001';

/** Checked-in, ordered. Append new migrations; never edit an applied one. */
export const migrations = [{ name: 'Migration20261129000001', class: Migration20261129000001 }];
