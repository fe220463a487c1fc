import { hasRole } from '@gerbang/common';
import type { RatingsContext } from '../context';

/** A ticket is personal: its citizen sees it, and the hub administrator; nobody else. */
export const ticketVisible = (ctx: RatingsContext, ticket: { citizenRef: string }) => (ctx.rater.citizenRef !== null && ctx.rater.citizenRef === ticket.citizenRef) || hasRole(ctx.caller, 'admin');
