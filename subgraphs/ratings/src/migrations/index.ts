import { Migration20261128100001 } from './Migration20261128100001';
import { Migration20261128130000 } from './Migration20261128130000';
import { Migration20261210090000 } from './Migration20261210090000';
import { Migration20261211090000 } from './Migration20261211090000';
import { Migration20261215000000 } from './Migration20261215000000';
import { Migration20261216090000 } from './Migration20261216090000';
import { Migration20261217000000 } from './Migration20261217000000';
import { Migration20261217090000 } from './Migration20261217090000';

/** Checked-in, ordered. Append new migrations; never edit an applied one. */
export const migrations = [
  { name: 'Migration20261128100001', class: Migration20261128100001 },
  { name: 'Migration20261128130000', class: Migration20261128130000 },
  { name: 'Migration20261210090000', class: Migration20261210090000 },
  { name: 'Migration20261211090000', class: Migration20261211090000 },
  { name: 'Migration20261215000000', class: Migration20261215000000 },
  { name: 'Migration20261216090000', class: Migration20261216090000 },
  { name: 'Migration20261217000000', class: Migration20261217000000 },
  { name: 'Migration20261217090000', class: Migration20261217090000 },
];
