import { EntitySchema } from '@mikro-orm/core';

/** Database rows (the API types in modules/ are separate on purpose). */
export interface AgencyRow {
  id: string;
  name: string;
  abbreviation: string;
  address: string;
  phone: string | null;
  website: string | null;
  keywords: string;
}

export interface ServiceRow {
  id: string;
  agencyId: string;
  name: string;
  description: string;
  requirements: string[];
  slaDays: number;
  fee: number;
}

export interface OfficerRow {
  id: string;
  agencyId: string;
  name: string;
  position: string;
}

export const AgencyEntity = new EntitySchema<AgencyRow>({
  name: 'AgencyRow',
  tableName: 'agency',
  properties: {
    id: { type: 'string', primary: true },
    name: { type: 'string' },
    abbreviation: { type: 'string' },
    address: { type: 'string' },
    phone: { type: 'string', nullable: true },
    website: { type: 'string', nullable: true },
    keywords: { type: 'string' },
  },
});

export const ServiceEntity = new EntitySchema<ServiceRow>({
  name: 'ServiceRow',
  tableName: 'service',
  properties: {
    id: { type: 'string', primary: true },
    agencyId: { type: 'string', fieldName: 'agency_id' },
    name: { type: 'string' },
    description: { type: 'text' },
    requirements: { type: 'string[]', columnType: 'text[]' },
    slaDays: { type: 'integer', fieldName: 'sla_days' },
    fee: { type: 'integer' },
  },
});

export const OfficerEntity = new EntitySchema<OfficerRow>({
  name: 'OfficerRow',
  tableName: 'officer',
  properties: {
    id: { type: 'string', primary: true },
    agencyId: { type: 'string', fieldName: 'agency_id' },
    name: { type: 'string' },
    position: { type: 'string' },
  },
});

export const entities = [AgencyEntity, ServiceEntity, OfficerEntity];
