import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';
import { KINDS, PURPOSE_AGENCY } from '../service';
import { ticketEntity } from '@gerbang/common/graph-types';

export enum AttachmentPurpose {
  DOCUMENT_REQUEST = 'DOCUMENT_REQUEST',
  PERMIT_APPLICATION = 'PERMIT_APPLICATION',
  AID_PROPOSAL = 'AID_PROPOSAL',
}
registerEnumType(AttachmentPurpose, {
  name: 'AttachmentPurpose',
  description: `What a file is attached to; it decides the agency whose officers may read it (${Object.entries(PURPOSE_AGENCY)
    .map(([p, a]) => `${p}: ${a}`)
    .join(', ')}).`,
});

export enum AttachmentKind {
  KK = 'KK',
  KTP = 'KTP',
  LETTER = 'LETTER',
  PHOTO = 'PHOTO',
  OTHER = 'OTHER',
}
registerEnumType(AttachmentKind, { name: 'AttachmentKind', description: 'What the scan shows: a family card (KK), an identity card (KTP), a letter, a photo, something else.' });
// The enum and the service's list must agree.
if (KINDS.join() !== Object.values(AttachmentKind).join()) throw new Error('AttachmentKind and KINDS differ');

export enum AttachmentStatus {
  PENDING = 'PENDING',
  READY = 'READY',
}
registerEnumType(AttachmentStatus, { name: 'AttachmentStatus', description: 'PENDING until the upload has arrived and passed the checks (size, checksum, real type); then READY.' });

/** The ledger's Ticket, by its key, for this subgraph to add its fields to. */
export const Ticket = ticketEntity();
export type Ticket = InstanceType<typeof Ticket>;

@ObjectType({ description: "A file a citizen attached to a request: readable by that citizen, the handling agency's officers and admins only." })
@Directive('@key(fields: "id")')
export class Attachment {
  @Field(() => ID)
  id!: string;

  @Field(() => AttachmentPurpose)
  purpose!: AttachmentPurpose;

  @Field(() => AttachmentKind)
  kind!: AttachmentKind;

  @Field(() => String, { description: "The name the citizen's file had (shown and used for downloads; never a path)." })
  fileName!: string;

  @Field(() => String, { description: 'application/pdf, image/jpeg or image/png: checked against the bytes.' })
  contentType!: string;

  @Field(() => Int, { description: 'Bytes.' })
  size!: number;

  @Field(() => String, { description: 'SHA-256 of the content, lower-case hex.' })
  sha256!: string;

  @Field(() => AttachmentStatus)
  status!: AttachmentStatus;

  @Field(() => ID, { description: 'The agency that handles it (directory id).' })
  agencyId!: string;

  @Field(() => Ticket, { nullable: true, description: 'The request it is attached to, once filed.' })
  ticket!: Ticket | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType({ description: 'A short-lived signed URL.' })
export class SignedUrl {
  @Field(() => String, { description: "Absolute, or relative to the gateway's origin." })
  url!: string;

  @Field(() => DateTimeScalar)
  expiresAt!: Date;
}

@ObjectType()
export class HttpHeader {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  value!: string;
}

@ObjectType({ description: 'Where to send the file: a PUT of its bytes to `url` with `headers`, before `expiresAt`; then completeAttachmentUpload.' })
export class UploadTarget {
  @Field(() => String)
  url!: string;

  @Field(() => String)
  method!: string;

  @Field(() => [HttpHeader])
  headers!: HttpHeader[];

  @Field(() => DateTimeScalar)
  expiresAt!: Date;
}

@ObjectType()
export class AttachmentUpload {
  @Field(() => Attachment)
  attachment!: Attachment;

  @Field(() => UploadTarget, { nullable: true, description: "Null when this idempotency key's file is already uploaded and checked." })
  upload!: UploadTarget | null;
}

@InputType()
export class AttachmentUploadInput {
  @Field(() => AttachmentPurpose)
  purpose!: AttachmentPurpose;

  @Field(() => AttachmentKind)
  kind!: AttachmentKind;

  @Field(() => String)
  fileName!: string;

  @Field(() => String, { description: 'The declared type; the content must be of this type.' })
  contentType!: string;

  @Field(() => Int, { description: 'Bytes; at most DOCUMENTS_MAX_BYTES (5 MiB by default).' })
  size!: number;

  @Field(() => String, { description: 'SHA-256 of the file, hex: the upload must match it.' })
  sha256!: string;

  @Field(() => String, { description: '8–100 of A-Za-z0-9._:-, made once per file: a retry returns the same attachment.' })
  idempotencyKey!: string;
}
