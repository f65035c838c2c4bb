/**
 * The handlers of office.* (office-contract.ts): they hand the call to the front end's switch
 * (front-end.ts), which the front end's process sets on the core's services. A core without one
 * (the office server, the CLI) refuses: a person must not be able to make the office's server
 * connect to another one.
 */
import { ApiFailure } from '../api/contract.ts';
import type { Handler } from '../api/registry.ts';
import type { OfficeProbe, OfficeStatus } from './office-contract.ts';

/** What a front end's process offers to office.* (front-end.ts implements it). */
export interface OfficeController {
  probe(url: string): Promise<OfficeProbe>;
  connect(url: string, fingerprint: string): Promise<OfficeStatus>;
  disconnect(): Promise<OfficeStatus>;
  status(): OfficeStatus;
}

type OfficeMethod = 'office.probe' | 'office.connect' | 'office.disconnect' | 'office.status';

export function createOfficeHandlers(office: () => OfficeController | undefined): {
  [M in OfficeMethod]: Handler<M>;
} {
  const need = (method: string) => {
    const found = office();
    if (!found)
      throw new ApiFailure(
        'forbidden',
        `${method}: only the desktop app and the local browser app connect to an office server; this PecDesk is not one of them`,
      );
    return found;
  };
  return {
    'office.probe': (args) => need('office.probe').probe(args.url),
    'office.connect': (args) => need('office.connect').connect(args.url, args.fingerprint),
    'office.disconnect': () => need('office.disconnect').disconnect(),
    'office.status': async () => need('office.status').status(),
  };
}
