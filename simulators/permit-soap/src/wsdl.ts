import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The service contract, for the hub's adapter: `soap.createClientAsync(PERMIT_WSDL_PATH, { endpoint })`. */
export const PERMIT_WSDL_PATH = fileURLToPath(new URL('./permit.wsdl', import.meta.url));
export const PERMIT_NAMESPACE = 'urn:trenggalekkab:simperda:permit:v1';
/** Where the simulator answers SOAP; `GET <path>?wsdl` returns the WSDL with its own address in it. */
export const PERMIT_SOAP_PATH = '/ws/permit';
export const PERMIT_SERVICE_NAME = 'PermitService';
export const PERMIT_PORT_NAME = 'PermitPort';

/** The address written in the WSDL file, replaced by the real one when the WSDL is served. */
export const WSDL_DEFAULT_LOCATION = 'http://localhost:4103/ws/permit';

export function readPermitWsdl(): string {
  return readFileSync(PERMIT_WSDL_PATH, 'utf8');
}
