import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A regional government agency (OPD) of Kabupaten Trenggalek.' })
@Directive('@key(fields: "id")')
export class Agency {
  @Field(() => ID, { description: 'Stable slug, e.g. "dispendukcapil".' })
  id!: string;

  @Field(() => String, { description: 'Official name.' })
  name!: string;

  @Field(() => String)
  abbreviation!: string;

  @Field(() => String)
  address!: string;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  website!: string | null;
}

@ObjectType({ description: 'A public service an agency offers.' })
@Directive('@key(fields: "id")')
export class Service {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => [String], { description: 'Documents and conditions the citizen must bring.' })
  requirements!: string[];

  @Field(() => Int, { description: 'Service-level agreement in working days (0 = same day).' })
  slaDays!: number;

  @Field(() => Int, { description: 'Fee in whole rupiah (0 = free).' })
  fee!: number;

  agencyId!: string;
}

@ObjectType({ description: 'A civil servant who serves citizens.' })
@Directive('@key(fields: "id")')
export class Officer {
  @Field(() => ID, { description: "The officer's NIP (18 digits)." })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  position!: string;

  agencyId!: string;
}
