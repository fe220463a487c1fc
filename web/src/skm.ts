import type { MessageKey } from './i18n';

/** The nine SKM elements of PermenPANRB 14/2017, in the order of the answers (U1…U9) and as the graph names them. */
export const SKM_ELEMENTS = ['REQUIREMENTS', 'PROCEDURE', 'COMPLETION_TIME', 'FEE', 'SERVICE_PRODUCT', 'STAFF_COMPETENCE', 'STAFF_BEHAVIOUR', 'COMPLAINT_HANDLING', 'FACILITIES'] as const;

export const skmLabel = (element: string): MessageKey => `skm.U${Math.max(0, SKM_ELEMENTS.indexOf(element as (typeof SKM_ELEMENTS)[number])) + 1}` as MessageKey;
