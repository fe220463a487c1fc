import { Migration20261128000001 } from './Migration20261128000001';
import { Migration20261211090000 } from './Migration20261211090000';

/** Checked-in, ordered. Append new migrations; never edit an applied one. */
export const migrations = [
  { name: 'Migration20261128000001', class: Migration20261128000001 },
  { name: 'Migration20261211090000', class: Migration20261211090000 },
];
