import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';

export enum NotificationChannelKind {
  SMS = 'sms',
  WHATSAPP = 'whatsapp',
}
registerEnumType(NotificationChannelKind, { name: 'NotificationChannel', description: "How the regency's messaging gateway reaches the citizen." });

@ObjectType({ description: "A citizen's notifications (a request to rate a ticket when it completes, by SMS or WhatsApp)." })
export class NotificationSettings {
  @Field(() => Boolean, { description: 'Whether the citizen is notified at all. Default: on (nothing is sent until a phone number is given).' })
  enabled!: boolean;

  @Field(() => NotificationChannelKind)
  channel!: NotificationChannelKind;

  @Field(() => String, { nullable: true, description: 'The phone number, masked (+6281******890); null until one is given. It is never shown whole.' })
  phone!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the citizen last changed them; null while they are the defaults.' })
  updatedAt!: Date | null;
}

@InputType()
export class NotificationSettingsInput {
  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => NotificationChannelKind, { nullable: true, description: 'Unchanged when omitted (SMS at first).' })
  channel?: NotificationChannelKind | null;

  @Field(() => String, { nullable: true, description: 'An Indonesian mobile number (08…, 628…, +628…); unchanged when omitted.' })
  phone?: string | null;
}
