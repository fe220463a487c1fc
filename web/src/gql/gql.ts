/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query AgencyDetail($id: ID!, $year: Int!) {\n  agency(id: $id) {\n    id\n    name\n    abbreviation\n    address\n    phone\n    website\n    services {\n      id\n      name\n      description\n      requirements\n      slaDays\n      fee\n    }\n    officers {\n      id\n      name\n      position\n      rating {\n        average\n        count\n      }\n    }\n    rating {\n      average\n      count\n      distribution {\n        stars\n        count\n      }\n    }\n    satisfaction(year: $year) {\n      year\n      respondents\n      population\n      requiredSample\n      index\n      category\n      provisional\n      elements {\n        element\n        value\n      }\n    }\n  }\n}": typeof types.AgencyDetailDocument,
    "query AgencyOptions {\n  agencies(first: 30) {\n    id\n    name\n    abbreviation\n  }\n}": typeof types.AgencyOptionsDocument,
    "mutation ApplyPermit($input: ApplyForPermitInput!) {\n  applyForPermit(input: $input) {\n    id\n    number\n    permitType\n    status\n    description\n    location\n    submittedAt\n  }\n}": typeof types.ApplyPermitDocument,
    "mutation AttachToTicket($ticketId: ID!, $attachmentIds: [ID!]!) {\n  attachToTicket(ticketId: $ticketId, attachmentIds: $attachmentIds) {\n    id\n    ticket {\n      id\n    }\n  }\n}": typeof types.AttachToTicketDocument,
    "query AttachmentDownload($id: ID!) {\n  attachment(id: $id) {\n    id\n    download {\n      url\n      expiresAt\n    }\n  }\n}": typeof types.AttachmentDownloadDocument,
    "mutation BookClinic($input: BookClinicQueueInput!) {\n  bookClinicQueue(input: $input) {\n    id\n    bookingCode\n    queueNumber\n    status\n    clinicName\n    poliName\n    date\n    estimatedServiceAt\n  }\n}": typeof types.BookClinicDocument,
    "query CheckTaxBill($nop: String!, $year: Int!) {\n  taxBill(nop: $nop, year: $year) {\n    nop\n    year\n    amount\n    dueDate\n    paid\n    paidAt\n    penalty\n    taxpayerName\n  }\n}": typeof types.CheckTaxBillDocument,
    "query Clinics($date: String) {\n  clinics(date: $date) {\n    code\n    name\n    kecamatan\n    address\n    polyclinics {\n      code\n      name\n      dailyQuota\n      date\n      remainingQuota\n    }\n  }\n}": typeof types.ClinicsDocument,
    "mutation CompleteAttachmentUpload($id: ID!) {\n  completeAttachmentUpload(id: $id) {\n    id\n    fileName\n    kind\n    status\n    contentType\n    size\n  }\n}": typeof types.CompleteAttachmentUploadDocument,
    "mutation CreateAttachmentUpload($input: AttachmentUploadInput!) {\n  createAttachmentUpload(input: $input) {\n    attachment {\n      id\n      fileName\n      kind\n      status\n      contentType\n      size\n    }\n    upload {\n      url\n      method\n      headers {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n}": typeof types.CreateAttachmentUploadDocument,
    "mutation FinalizeTppMonth($agencyId: ID!, $month: String!) {\n  finalizeTppReport(agencyId: $agencyId, month: $month) {\n    agencyId\n    month\n    finalized\n    finalizedAt\n    contentHash\n  }\n}": typeof types.FinalizeTppMonthDocument,
    "query HrTppReport($agencyId: ID!, $month: String!) {\n  tppReport(agencyId: $agencyId, month: $month) {\n    agencyId\n    month\n    finalized\n    finalizedAt\n    contentHash\n    ratingWindowClosesAt\n    rows {\n      officer {\n        id\n        name\n        position\n      }\n      ratings\n      average\n      factor\n      base\n      payout\n      basis\n    }\n  }\n}": typeof types.HrTppReportDocument,
    "query ModerationQueue {\n  ratingFlags(first: 50, status: OPEN) {\n    id\n    rule\n    details\n    status\n    createdAt\n    rating {\n      id\n      stars\n      comment\n      commentHidden\n      period\n      status\n      createdAt\n      agency {\n        id\n        name\n      }\n      service {\n        id\n        name\n      }\n      officer {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.ModerationQueueDocument,
    "query MyAttachments {\n  myAttachments(first: 50) {\n    id\n    fileName\n    kind\n    purpose\n    status\n    contentType\n    size\n    createdAt\n    ticket {\n      id\n    }\n  }\n}": typeof types.MyAttachmentsDocument,
    "query MyServices {\n  me {\n    id\n    name\n    tickets(first: 30) {\n      id\n      status\n      submittedAt\n      completedAt\n      agency {\n        id\n        name\n        abbreviation\n      }\n      service {\n        id\n        name\n      }\n      officer {\n        id\n        name\n      }\n      myRating {\n        id\n        stars\n        comment\n        skm\n      }\n      canRate\n    }\n  }\n  myDocumentRequests {\n    id\n    number\n    type\n    status\n    submittedAt\n    completedAt\n  }\n  myPermitApplications {\n    id\n    number\n    permitType\n    status\n    description\n    location\n    submittedAt\n    completedAt\n  }\n  myClinicBookings {\n    id\n    bookingCode\n    queueNumber\n    status\n    clinicName\n    poliName\n    date\n    estimatedServiceAt\n  }\n  myTaxObjects {\n    nop\n    address\n    village\n    bills {\n      year\n      amount\n      dueDate\n      paid\n      penalty\n    }\n  }\n}": typeof types.MyServicesDocument,
    "query OfficerHome($id: ID!, $agencyId: ID!, $month: String!) {\n  officer(id: $id) {\n    id\n    name\n    position\n    agency {\n      id\n      name\n    }\n    rating {\n      average\n      count\n      distribution {\n        stars\n        count\n      }\n    }\n  }\n  tppReport(agencyId: $agencyId, month: $month) {\n    month\n    finalized\n    rows {\n      officer {\n        id\n        name\n      }\n      ratings\n      average\n      factor\n      base\n      payout\n      basis\n    }\n  }\n}": typeof types.OfficerHomeDocument,
    "mutation RateTicket($input: RateServiceInput!) {\n  rateService(input: $input) {\n    id\n    stars\n    comment\n    skm\n    ticket {\n      id\n      canRate\n      myRating {\n        id\n        stars\n        comment\n        skm\n      }\n    }\n  }\n}": typeof types.RateTicketDocument,
    "mutation RequestDocument($input: RequestDocumentInput!) {\n  requestDocument(input: $input) {\n    id\n    number\n    type\n    status\n    submittedAt\n  }\n}": typeof types.RequestDocumentDocument,
    "mutation ResolveAppeal($id: ID!, $outcome: TppAppealOutcome!, $note: String!) {\n  resolveTppAppeal(id: $id, outcome: $outcome, note: $note) {\n    id\n    status\n    resolvedAt\n    resolutionNote\n  }\n}": typeof types.ResolveAppealDocument,
    "mutation ReviewFlag($id: ID!, $decision: RatingFlagDecision!, $note: String!) {\n  reviewRatingFlag(id: $id, decision: $decision, note: $note) {\n    id\n    status\n    reviewedAt\n    reviewNote\n  }\n}": typeof types.ReviewFlagDocument,
    "query SearchAgencies($q: String!) {\n  agencies(search: $q, first: 8) {\n    id\n    name\n    abbreviation\n    rating {\n      average\n      count\n    }\n  }\n}": typeof types.SearchAgenciesDocument,
    "query TppAppeals($status: TppAppealStatus) {\n  tppAppeals(first: 50, status: $status) {\n    id\n    agencyId\n    month\n    reason\n    status\n    filedAt\n    resolvedAt\n    resolutionNote\n    officer {\n      id\n      name\n    }\n  }\n}": typeof types.TppAppealsDocument,
};
const documents: Documents = {
    "query AgencyDetail($id: ID!, $year: Int!) {\n  agency(id: $id) {\n    id\n    name\n    abbreviation\n    address\n    phone\n    website\n    services {\n      id\n      name\n      description\n      requirements\n      slaDays\n      fee\n    }\n    officers {\n      id\n      name\n      position\n      rating {\n        average\n        count\n      }\n    }\n    rating {\n      average\n      count\n      distribution {\n        stars\n        count\n      }\n    }\n    satisfaction(year: $year) {\n      year\n      respondents\n      population\n      requiredSample\n      index\n      category\n      provisional\n      elements {\n        element\n        value\n      }\n    }\n  }\n}": types.AgencyDetailDocument,
    "query AgencyOptions {\n  agencies(first: 30) {\n    id\n    name\n    abbreviation\n  }\n}": types.AgencyOptionsDocument,
    "mutation ApplyPermit($input: ApplyForPermitInput!) {\n  applyForPermit(input: $input) {\n    id\n    number\n    permitType\n    status\n    description\n    location\n    submittedAt\n  }\n}": types.ApplyPermitDocument,
    "mutation AttachToTicket($ticketId: ID!, $attachmentIds: [ID!]!) {\n  attachToTicket(ticketId: $ticketId, attachmentIds: $attachmentIds) {\n    id\n    ticket {\n      id\n    }\n  }\n}": types.AttachToTicketDocument,
    "query AttachmentDownload($id: ID!) {\n  attachment(id: $id) {\n    id\n    download {\n      url\n      expiresAt\n    }\n  }\n}": types.AttachmentDownloadDocument,
    "mutation BookClinic($input: BookClinicQueueInput!) {\n  bookClinicQueue(input: $input) {\n    id\n    bookingCode\n    queueNumber\n    status\n    clinicName\n    poliName\n    date\n    estimatedServiceAt\n  }\n}": types.BookClinicDocument,
    "query CheckTaxBill($nop: String!, $year: Int!) {\n  taxBill(nop: $nop, year: $year) {\n    nop\n    year\n    amount\n    dueDate\n    paid\n    paidAt\n    penalty\n    taxpayerName\n  }\n}": types.CheckTaxBillDocument,
    "query Clinics($date: String) {\n  clinics(date: $date) {\n    code\n    name\n    kecamatan\n    address\n    polyclinics {\n      code\n      name\n      dailyQuota\n      date\n      remainingQuota\n    }\n  }\n}": types.ClinicsDocument,
    "mutation CompleteAttachmentUpload($id: ID!) {\n  completeAttachmentUpload(id: $id) {\n    id\n    fileName\n    kind\n    status\n    contentType\n    size\n  }\n}": types.CompleteAttachmentUploadDocument,
    "mutation CreateAttachmentUpload($input: AttachmentUploadInput!) {\n  createAttachmentUpload(input: $input) {\n    attachment {\n      id\n      fileName\n      kind\n      status\n      contentType\n      size\n    }\n    upload {\n      url\n      method\n      headers {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n}": types.CreateAttachmentUploadDocument,
    "mutation FinalizeTppMonth($agencyId: ID!, $month: String!) {\n  finalizeTppReport(agencyId: $agencyId, month: $month) {\n    agencyId\n    month\n    finalized\n    finalizedAt\n    contentHash\n  }\n}": types.FinalizeTppMonthDocument,
    "query HrTppReport($agencyId: ID!, $month: String!) {\n  tppReport(agencyId: $agencyId, month: $month) {\n    agencyId\n    month\n    finalized\n    finalizedAt\n    contentHash\n    ratingWindowClosesAt\n    rows {\n      officer {\n        id\n        name\n        position\n      }\n      ratings\n      average\n      factor\n      base\n      payout\n      basis\n    }\n  }\n}": types.HrTppReportDocument,
    "query ModerationQueue {\n  ratingFlags(first: 50, status: OPEN) {\n    id\n    rule\n    details\n    status\n    createdAt\n    rating {\n      id\n      stars\n      comment\n      commentHidden\n      period\n      status\n      createdAt\n      agency {\n        id\n        name\n      }\n      service {\n        id\n        name\n      }\n      officer {\n        id\n        name\n      }\n    }\n  }\n}": types.ModerationQueueDocument,
    "query MyAttachments {\n  myAttachments(first: 50) {\n    id\n    fileName\n    kind\n    purpose\n    status\n    contentType\n    size\n    createdAt\n    ticket {\n      id\n    }\n  }\n}": types.MyAttachmentsDocument,
    "query MyServices {\n  me {\n    id\n    name\n    tickets(first: 30) {\n      id\n      status\n      submittedAt\n      completedAt\n      agency {\n        id\n        name\n        abbreviation\n      }\n      service {\n        id\n        name\n      }\n      officer {\n        id\n        name\n      }\n      myRating {\n        id\n        stars\n        comment\n        skm\n      }\n      canRate\n    }\n  }\n  myDocumentRequests {\n    id\n    number\n    type\n    status\n    submittedAt\n    completedAt\n  }\n  myPermitApplications {\n    id\n    number\n    permitType\n    status\n    description\n    location\n    submittedAt\n    completedAt\n  }\n  myClinicBookings {\n    id\n    bookingCode\n    queueNumber\n    status\n    clinicName\n    poliName\n    date\n    estimatedServiceAt\n  }\n  myTaxObjects {\n    nop\n    address\n    village\n    bills {\n      year\n      amount\n      dueDate\n      paid\n      penalty\n    }\n  }\n}": types.MyServicesDocument,
    "query OfficerHome($id: ID!, $agencyId: ID!, $month: String!) {\n  officer(id: $id) {\n    id\n    name\n    position\n    agency {\n      id\n      name\n    }\n    rating {\n      average\n      count\n      distribution {\n        stars\n        count\n      }\n    }\n  }\n  tppReport(agencyId: $agencyId, month: $month) {\n    month\n    finalized\n    rows {\n      officer {\n        id\n        name\n      }\n      ratings\n      average\n      factor\n      base\n      payout\n      basis\n    }\n  }\n}": types.OfficerHomeDocument,
    "mutation RateTicket($input: RateServiceInput!) {\n  rateService(input: $input) {\n    id\n    stars\n    comment\n    skm\n    ticket {\n      id\n      canRate\n      myRating {\n        id\n        stars\n        comment\n        skm\n      }\n    }\n  }\n}": types.RateTicketDocument,
    "mutation RequestDocument($input: RequestDocumentInput!) {\n  requestDocument(input: $input) {\n    id\n    number\n    type\n    status\n    submittedAt\n  }\n}": types.RequestDocumentDocument,
    "mutation ResolveAppeal($id: ID!, $outcome: TppAppealOutcome!, $note: String!) {\n  resolveTppAppeal(id: $id, outcome: $outcome, note: $note) {\n    id\n    status\n    resolvedAt\n    resolutionNote\n  }\n}": types.ResolveAppealDocument,
    "mutation ReviewFlag($id: ID!, $decision: RatingFlagDecision!, $note: String!) {\n  reviewRatingFlag(id: $id, decision: $decision, note: $note) {\n    id\n    status\n    reviewedAt\n    reviewNote\n  }\n}": types.ReviewFlagDocument,
    "query SearchAgencies($q: String!) {\n  agencies(search: $q, first: 8) {\n    id\n    name\n    abbreviation\n    rating {\n      average\n      count\n    }\n  }\n}": types.SearchAgenciesDocument,
    "query TppAppeals($status: TppAppealStatus) {\n  tppAppeals(first: 50, status: $status) {\n    id\n    agencyId\n    month\n    reason\n    status\n    filedAt\n    resolvedAt\n    resolutionNote\n    officer {\n      id\n      name\n    }\n  }\n}": types.TppAppealsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AgencyDetail($id: ID!, $year: Int!) {\n  agency(id: $id) {\n    id\n    name\n    abbreviation\n    address\n    phone\n    website\n    services {\n      id\n      name\n      description\n      requirements\n      slaDays\n      fee\n    }\n    officers {\n      id\n      name\n      position\n      rating {\n        average\n        count\n      }\n    }\n    rating {\n      average\n      count\n      distribution {\n        stars\n        count\n      }\n    }\n    satisfaction(year: $year) {\n      year\n      respondents\n      population\n      requiredSample\n      index\n      category\n      provisional\n      elements {\n        element\n        value\n      }\n    }\n  }\n}"): (typeof documents)["query AgencyDetail($id: ID!, $year: Int!) {\n  agency(id: $id) {\n    id\n    name\n    abbreviation\n    address\n    phone\n    website\n    services {\n      id\n      name\n      description\n      requirements\n      slaDays\n      fee\n    }\n    officers {\n      id\n      name\n      position\n      rating {\n        average\n        count\n      }\n    }\n    rating {\n      average\n      count\n      distribution {\n        stars\n        count\n      }\n    }\n    satisfaction(year: $year) {\n      year\n      respondents\n      population\n      requiredSample\n      index\n      category\n      provisional\n      elements {\n        element\n        value\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AgencyOptions {\n  agencies(first: 30) {\n    id\n    name\n    abbreviation\n  }\n}"): (typeof documents)["query AgencyOptions {\n  agencies(first: 30) {\n    id\n    name\n    abbreviation\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ApplyPermit($input: ApplyForPermitInput!) {\n  applyForPermit(input: $input) {\n    id\n    number\n    permitType\n    status\n    description\n    location\n    submittedAt\n  }\n}"): (typeof documents)["mutation ApplyPermit($input: ApplyForPermitInput!) {\n  applyForPermit(input: $input) {\n    id\n    number\n    permitType\n    status\n    description\n    location\n    submittedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AttachToTicket($ticketId: ID!, $attachmentIds: [ID!]!) {\n  attachToTicket(ticketId: $ticketId, attachmentIds: $attachmentIds) {\n    id\n    ticket {\n      id\n    }\n  }\n}"): (typeof documents)["mutation AttachToTicket($ticketId: ID!, $attachmentIds: [ID!]!) {\n  attachToTicket(ticketId: $ticketId, attachmentIds: $attachmentIds) {\n    id\n    ticket {\n      id\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AttachmentDownload($id: ID!) {\n  attachment(id: $id) {\n    id\n    download {\n      url\n      expiresAt\n    }\n  }\n}"): (typeof documents)["query AttachmentDownload($id: ID!) {\n  attachment(id: $id) {\n    id\n    download {\n      url\n      expiresAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation BookClinic($input: BookClinicQueueInput!) {\n  bookClinicQueue(input: $input) {\n    id\n    bookingCode\n    queueNumber\n    status\n    clinicName\n    poliName\n    date\n    estimatedServiceAt\n  }\n}"): (typeof documents)["mutation BookClinic($input: BookClinicQueueInput!) {\n  bookClinicQueue(input: $input) {\n    id\n    bookingCode\n    queueNumber\n    status\n    clinicName\n    poliName\n    date\n    estimatedServiceAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CheckTaxBill($nop: String!, $year: Int!) {\n  taxBill(nop: $nop, year: $year) {\n    nop\n    year\n    amount\n    dueDate\n    paid\n    paidAt\n    penalty\n    taxpayerName\n  }\n}"): (typeof documents)["query CheckTaxBill($nop: String!, $year: Int!) {\n  taxBill(nop: $nop, year: $year) {\n    nop\n    year\n    amount\n    dueDate\n    paid\n    paidAt\n    penalty\n    taxpayerName\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Clinics($date: String) {\n  clinics(date: $date) {\n    code\n    name\n    kecamatan\n    address\n    polyclinics {\n      code\n      name\n      dailyQuota\n      date\n      remainingQuota\n    }\n  }\n}"): (typeof documents)["query Clinics($date: String) {\n  clinics(date: $date) {\n    code\n    name\n    kecamatan\n    address\n    polyclinics {\n      code\n      name\n      dailyQuota\n      date\n      remainingQuota\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CompleteAttachmentUpload($id: ID!) {\n  completeAttachmentUpload(id: $id) {\n    id\n    fileName\n    kind\n    status\n    contentType\n    size\n  }\n}"): (typeof documents)["mutation CompleteAttachmentUpload($id: ID!) {\n  completeAttachmentUpload(id: $id) {\n    id\n    fileName\n    kind\n    status\n    contentType\n    size\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateAttachmentUpload($input: AttachmentUploadInput!) {\n  createAttachmentUpload(input: $input) {\n    attachment {\n      id\n      fileName\n      kind\n      status\n      contentType\n      size\n    }\n    upload {\n      url\n      method\n      headers {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n}"): (typeof documents)["mutation CreateAttachmentUpload($input: AttachmentUploadInput!) {\n  createAttachmentUpload(input: $input) {\n    attachment {\n      id\n      fileName\n      kind\n      status\n      contentType\n      size\n    }\n    upload {\n      url\n      method\n      headers {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation FinalizeTppMonth($agencyId: ID!, $month: String!) {\n  finalizeTppReport(agencyId: $agencyId, month: $month) {\n    agencyId\n    month\n    finalized\n    finalizedAt\n    contentHash\n  }\n}"): (typeof documents)["mutation FinalizeTppMonth($agencyId: ID!, $month: String!) {\n  finalizeTppReport(agencyId: $agencyId, month: $month) {\n    agencyId\n    month\n    finalized\n    finalizedAt\n    contentHash\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query HrTppReport($agencyId: ID!, $month: String!) {\n  tppReport(agencyId: $agencyId, month: $month) {\n    agencyId\n    month\n    finalized\n    finalizedAt\n    contentHash\n    ratingWindowClosesAt\n    rows {\n      officer {\n        id\n        name\n        position\n      }\n      ratings\n      average\n      factor\n      base\n      payout\n      basis\n    }\n  }\n}"): (typeof documents)["query HrTppReport($agencyId: ID!, $month: String!) {\n  tppReport(agencyId: $agencyId, month: $month) {\n    agencyId\n    month\n    finalized\n    finalizedAt\n    contentHash\n    ratingWindowClosesAt\n    rows {\n      officer {\n        id\n        name\n        position\n      }\n      ratings\n      average\n      factor\n      base\n      payout\n      basis\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ModerationQueue {\n  ratingFlags(first: 50, status: OPEN) {\n    id\n    rule\n    details\n    status\n    createdAt\n    rating {\n      id\n      stars\n      comment\n      commentHidden\n      period\n      status\n      createdAt\n      agency {\n        id\n        name\n      }\n      service {\n        id\n        name\n      }\n      officer {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query ModerationQueue {\n  ratingFlags(first: 50, status: OPEN) {\n    id\n    rule\n    details\n    status\n    createdAt\n    rating {\n      id\n      stars\n      comment\n      commentHidden\n      period\n      status\n      createdAt\n      agency {\n        id\n        name\n      }\n      service {\n        id\n        name\n      }\n      officer {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyAttachments {\n  myAttachments(first: 50) {\n    id\n    fileName\n    kind\n    purpose\n    status\n    contentType\n    size\n    createdAt\n    ticket {\n      id\n    }\n  }\n}"): (typeof documents)["query MyAttachments {\n  myAttachments(first: 50) {\n    id\n    fileName\n    kind\n    purpose\n    status\n    contentType\n    size\n    createdAt\n    ticket {\n      id\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyServices {\n  me {\n    id\n    name\n    tickets(first: 30) {\n      id\n      status\n      submittedAt\n      completedAt\n      agency {\n        id\n        name\n        abbreviation\n      }\n      service {\n        id\n        name\n      }\n      officer {\n        id\n        name\n      }\n      myRating {\n        id\n        stars\n        comment\n        skm\n      }\n      canRate\n    }\n  }\n  myDocumentRequests {\n    id\n    number\n    type\n    status\n    submittedAt\n    completedAt\n  }\n  myPermitApplications {\n    id\n    number\n    permitType\n    status\n    description\n    location\n    submittedAt\n    completedAt\n  }\n  myClinicBookings {\n    id\n    bookingCode\n    queueNumber\n    status\n    clinicName\n    poliName\n    date\n    estimatedServiceAt\n  }\n  myTaxObjects {\n    nop\n    address\n    village\n    bills {\n      year\n      amount\n      dueDate\n      paid\n      penalty\n    }\n  }\n}"): (typeof documents)["query MyServices {\n  me {\n    id\n    name\n    tickets(first: 30) {\n      id\n      status\n      submittedAt\n      completedAt\n      agency {\n        id\n        name\n        abbreviation\n      }\n      service {\n        id\n        name\n      }\n      officer {\n        id\n        name\n      }\n      myRating {\n        id\n        stars\n        comment\n        skm\n      }\n      canRate\n    }\n  }\n  myDocumentRequests {\n    id\n    number\n    type\n    status\n    submittedAt\n    completedAt\n  }\n  myPermitApplications {\n    id\n    number\n    permitType\n    status\n    description\n    location\n    submittedAt\n    completedAt\n  }\n  myClinicBookings {\n    id\n    bookingCode\n    queueNumber\n    status\n    clinicName\n    poliName\n    date\n    estimatedServiceAt\n  }\n  myTaxObjects {\n    nop\n    address\n    village\n    bills {\n      year\n      amount\n      dueDate\n      paid\n      penalty\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OfficerHome($id: ID!, $agencyId: ID!, $month: String!) {\n  officer(id: $id) {\n    id\n    name\n    position\n    agency {\n      id\n      name\n    }\n    rating {\n      average\n      count\n      distribution {\n        stars\n        count\n      }\n    }\n  }\n  tppReport(agencyId: $agencyId, month: $month) {\n    month\n    finalized\n    rows {\n      officer {\n        id\n        name\n      }\n      ratings\n      average\n      factor\n      base\n      payout\n      basis\n    }\n  }\n}"): (typeof documents)["query OfficerHome($id: ID!, $agencyId: ID!, $month: String!) {\n  officer(id: $id) {\n    id\n    name\n    position\n    agency {\n      id\n      name\n    }\n    rating {\n      average\n      count\n      distribution {\n        stars\n        count\n      }\n    }\n  }\n  tppReport(agencyId: $agencyId, month: $month) {\n    month\n    finalized\n    rows {\n      officer {\n        id\n        name\n      }\n      ratings\n      average\n      factor\n      base\n      payout\n      basis\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RateTicket($input: RateServiceInput!) {\n  rateService(input: $input) {\n    id\n    stars\n    comment\n    skm\n    ticket {\n      id\n      canRate\n      myRating {\n        id\n        stars\n        comment\n        skm\n      }\n    }\n  }\n}"): (typeof documents)["mutation RateTicket($input: RateServiceInput!) {\n  rateService(input: $input) {\n    id\n    stars\n    comment\n    skm\n    ticket {\n      id\n      canRate\n      myRating {\n        id\n        stars\n        comment\n        skm\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RequestDocument($input: RequestDocumentInput!) {\n  requestDocument(input: $input) {\n    id\n    number\n    type\n    status\n    submittedAt\n  }\n}"): (typeof documents)["mutation RequestDocument($input: RequestDocumentInput!) {\n  requestDocument(input: $input) {\n    id\n    number\n    type\n    status\n    submittedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ResolveAppeal($id: ID!, $outcome: TppAppealOutcome!, $note: String!) {\n  resolveTppAppeal(id: $id, outcome: $outcome, note: $note) {\n    id\n    status\n    resolvedAt\n    resolutionNote\n  }\n}"): (typeof documents)["mutation ResolveAppeal($id: ID!, $outcome: TppAppealOutcome!, $note: String!) {\n  resolveTppAppeal(id: $id, outcome: $outcome, note: $note) {\n    id\n    status\n    resolvedAt\n    resolutionNote\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ReviewFlag($id: ID!, $decision: RatingFlagDecision!, $note: String!) {\n  reviewRatingFlag(id: $id, decision: $decision, note: $note) {\n    id\n    status\n    reviewedAt\n    reviewNote\n  }\n}"): (typeof documents)["mutation ReviewFlag($id: ID!, $decision: RatingFlagDecision!, $note: String!) {\n  reviewRatingFlag(id: $id, decision: $decision, note: $note) {\n    id\n    status\n    reviewedAt\n    reviewNote\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SearchAgencies($q: String!) {\n  agencies(search: $q, first: 8) {\n    id\n    name\n    abbreviation\n    rating {\n      average\n      count\n    }\n  }\n}"): (typeof documents)["query SearchAgencies($q: String!) {\n  agencies(search: $q, first: 8) {\n    id\n    name\n    abbreviation\n    rating {\n      average\n      count\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TppAppeals($status: TppAppealStatus) {\n  tppAppeals(first: 50, status: $status) {\n    id\n    agencyId\n    month\n    reason\n    status\n    filedAt\n    resolvedAt\n    resolutionNote\n    officer {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query TppAppeals($status: TppAppealStatus) {\n  tppAppeals(first: 50, status: $status) {\n    id\n    agencyId\n    month\n    reason\n    status\n    filedAt\n    resolvedAt\n    resolutionNote\n    officer {\n      id\n      name\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;