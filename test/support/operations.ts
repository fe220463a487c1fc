/**
 * The clients' contract operations (copied from the shared contract; the project never reads it
 * at run time). The persisted-operation manifest is generated from these.
 */
export const FIND_AGENCY = /* GraphQL */ `
  query FindAgency($q: String!) {
    agencies(search: $q, first: 5) {
      id
      name
      abbreviation
      rating {
        average
        count
      }
    }
  }
`;
