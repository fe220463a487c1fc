import { Arg, Ctx, Directive, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { badInput, forbidden, requireCaller, enumValue } from '@gerbang/common';
import type { RatingsContext } from '../../context';
import { Citizen } from '../../graph/entities';
import { normalizePhone } from './phone';
import { NotificationSettingsService, type Settings } from './settings';
import { NotificationChannelKind, NotificationSettings, NotificationSettingsInput } from './types';

const shown = (s: Settings): NotificationSettings =>
  Object.assign(new NotificationSettings(), {
    enabled: s.enabled,
    channel: enumValue(NotificationChannelKind, s.channel, 'notification channel'),
    phone: s.phone,
    updatedAt: s.updatedAt,
  });

/** The signed-in citizen's keyed reference; only a citizen has notification settings. */
function ownRef(ctx: RatingsContext): string {
  requireCaller(ctx.caller);
  if (!ctx.rater.citizenRef) throw forbidden('Only a signed-in citizen has notification settings.');
  return ctx.rater.citizenRef;
}

@Resolver(() => Citizen)
export class CitizenNotificationsResolver {
  @FieldResolver(() => NotificationSettings, { description: 'Whether and how the citizen is asked to rate a completed ticket. Only the citizen themself may read them.' })
  @Directive('@policy(policies: [["owner"]])')
  async notificationSettings(@Root() citizen: Citizen, @Ctx() ctx: RatingsContext): Promise<NotificationSettings> {
    const ref = ownRef(ctx);
    if (citizen.id !== ctx.caller.sub) throw forbidden('You may read only your own notification settings.');
    return shown(await new NotificationSettingsService(ctx.db, ctx.config.pepper).get(ref));
  }
}

@Resolver(() => NotificationSettings)
export class NotificationSettingsResolver {
  @Mutation(() => NotificationSettings, {
    description:
      "Switch the caller's own notifications on or off, choose SMS or WhatsApp, give a phone number. Idempotent: the same input again changes nothing. There is no way to name another citizen.",
  })
  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  async setNotificationSettings(@Arg('input', () => NotificationSettingsInput) input: NotificationSettingsInput, @Ctx() ctx: RatingsContext): Promise<NotificationSettings> {
    const ref = ownRef(ctx);
    let phone: string | null = null;
    if (input.phone !== undefined && input.phone !== null) {
      phone = normalizePhone(input.phone);
      if (!phone) throw badInput('phone must be an Indonesian mobile number (08…, 628… or +628…).', 'phone');
    }
    const settings = await new NotificationSettingsService(ctx.db, ctx.config.pepper).set(ref, { enabled: input.enabled, channel: input.channel ?? null, phone });
    ctx.logger.info({ enabled: settings.enabled, channel: settings.channel, phone: settings.phone }, 'notification settings set');
    return shown(settings);
  }
}
