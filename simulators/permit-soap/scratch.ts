import http from 'node:http';
import { readFileSync } from 'node:fs';
import * as soap from 'soap';
const xml = readFileSync('src/permit.wsdl', 'utf8');
const services = { PermitService: { PermitPort: {
  GetApplicationStatus(args: any, _cb: any, headers: any) {
    console.log('ARGS', JSON.stringify(args), 'HDR', JSON.stringify(headers));
    return { application: [{ applicationNumber: 'A&1', nik: 'x', applicantName: 'S', permitType: 'PBG', description: 'd <b>', location: 'l', status: 'SELESAI', submittedAt: new Date().toISOString(), updatedAt: new Date(), completedAt: undefined }], unknownApplicationNumber: ['Z'] };
  },
  ListChanges(args: any) { console.log('LC', JSON.stringify(args), typeof args.sinceSequence); if (args.sinceSequence > 5) throw { Fault: { faultcode: 'soap:Client', faultstring: 'bad', detail: { 'tns:PermitFault': { 'tns:code': 'X' } }, statusCode: 500 } }; return { lastSequence: 3, hasMore: false }; },
}}};
const ready = new Promise<any>((res, rej) => { soap.listen(null as any, { path: '/ws/permit', services, xml, callback: (err: any, s: any) => err ? rej(err) : res(s) } as any); });
const srv = await ready;
const server = http.createServer(async (req, res) => {
  const chunks: Buffer[] = []; for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString();
  console.log('REQ', req.headers.soapaction, body.slice(0, 2000));
  const out = await srv.processRequest(body, { url: req.url, method: req.method, headers: req.headers });
  console.log('RES', out.statusCode, out.headers, out.body);
  res.writeHead(out.statusCode, { 'content-type': 'text/xml; charset=utf-8' }); res.end(out.body);
});
await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
const port = (server.address() as any).port;
const client = await soap.createClientAsync('src/permit.wsdl', { endpoint: `http://127.0.0.1:${port}/ws/permit` });
client.setSecurity(new soap.WSSecurity('u', 'p', { passwordType: 'PasswordDigest' }));
const [r] = await client.GetApplicationStatusAsync({ applicationNumber: ['one'] });
console.log('CLIENT', JSON.stringify(r), r.application[0].submittedAt instanceof Date);
const [r2] = await client.ListChangesAsync({ sinceSequence: 2 });
console.log('CLIENT2', JSON.stringify(r2));
try { await client.ListChangesAsync({ sinceSequence: 9 }); } catch (e: any) { console.log('ERR', e.message, JSON.stringify(e.root?.Envelope?.Body?.Fault), e.response?.status); }
server.close();
