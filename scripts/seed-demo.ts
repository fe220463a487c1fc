/**
 * The demo data that lives in the hub itself (agency systems seed their own): warga.budi has
 * already rated some of his completed tickets. Written through the gateway, as the app would,
 * with fixed idempotency keys so that running it again stores nothing twice.
 */
type Token = (login: string) => Promise<string>;

async function gql(endpoint: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

const MY_TICKETS = '{ me { tickets(first: 50) { id status canRate agency { id } } } }';

export async function seedDemo(endpoint: string, token: Token, say: (msg: string) => void) {
  const budi = await token('warga.budi');
  // The ledger fills from the agencies' change feeds right after start: wait for it.
  let tickets: { id: string; status: string; canRate: boolean; agency: { id: string } }[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await gql(endpoint, budi, MY_TICKETS);
    tickets = r.data?.me?.tickets ?? [];
    if (tickets.filter((t) => t.status === 'COMPLETED').length >= 2 || Date.now() > deadline) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  const rateable = tickets.filter((t) => t.canRate);
  const ratings = [
    { stars: 5, comment: 'Pelayanan cepat, petugas ramah dan jelas menjelaskan syaratnya.', skm: [4, 4, 3, 4, 4, 4, 4, 3, 3] },
    { stars: 4, comment: 'Antre agak lama, tapi selesai sesuai janji.', skm: [3, 3, 3, 4, 3, 4, 4, 3, 3] },
  ];
  let rated = 0;
  for (const [i, t] of rateable.slice(0, ratings.length).entries()) {
    const r = await gql(
      endpoint,
      budi,
      'mutation RateService($input: RateServiceInput!) { rateService(input: $input) { id stars } }',
      { input: { ticketId: t.id, ...ratings[i], idempotencyKey: `demo-seed-${t.id}` } },
    );
    if (r.errors?.length) say(`seed: could not rate ${t.id}: ${r.errors[0]!.message}`);
    else rated++;
  }
  say(`seeded demo ratings: warga.budi rated ${rated} of ${tickets.length} tickets`);
  return { budiTickets: tickets.length, budiRated: rated };
}
