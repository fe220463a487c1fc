import { Migration20261128100001 } from './Migration20261128100001';

/** Checked-in, ordered. Append new migrations; never edit an applied one. */
export const migrations = [{ name: 'Migration20261128100001', class: Migration20261128100001 }];
