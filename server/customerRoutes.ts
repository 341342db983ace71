import type { Server } from 'restify';
import { z } from 'zod';
import type { Logger } from '../core/logger';
import { subjectOf, type CustomerData } from '../privacy/customerData';
import type { StaffAuth } from './auth';
import { parseBody, route } from './http';

export interface CustomerRouteDeps {
  auth: StaffAuth;
  data: CustomerData;
  log: Logger;
}

/** A customer id as the bot records it (Teams AAD object id, or the channel's user id). */
const customerParam = z.object({ customerId: z.string().trim().min(1).max(1024) });

/**
 * Right of access and right to erasure (admin only):
 *   GET    /api/admin/customers/:customerId/export   everything kept about the customer, one JSON document
 *   DELETE /api/admin/customers/:customerId          erases it (ratings kept anonymised); audit-logged;
 *     `{erased, leftBehind?}`: `leftBehind` lists the Teams cards (channel, activity id) that could not be cleaned
 * The customer id never goes to the log: only its SHA-256, as in the audit log.
 */
export function registerCustomerRoutes(server: Server, { auth, data, log }: CustomerRouteDeps): void {
  server.get(
    '/api/admin/customers/:customerId/export',
    route(log, async (req, res) => {
      const principal = await auth.require(req, 'admin');
      const { customerId } = parseBody(customerParam, req.params);
      const exported = await data.export(customerId);
      log.info({ by: principal.id, subject: subjectOf(customerId) }, 'customer data exported');
      res.header('content-disposition', 'attachment; filename="customer-data.json"');
      res.send(200, exported);
    }),
  );

  server.del(
    '/api/admin/customers/:customerId',
    route(log, async (req, res) => {
      const principal = await auth.require(req, 'admin');
      const { customerId } = parseBody(customerParam, req.params);
      const { counts, leftBehind } = await data.erase(customerId, principal.id);
      const subject = subjectOf(customerId);
      log.info({ by: principal.id, subject, erased: counts }, 'customer data erased');
      if (leftBehind.length > 0)
        log.warn(
          { subject, leftBehind },
          'customer data erased, but staff cards in Teams could not be cleaned',
        );
      res.send(200, { erased: counts, ...(leftBehind.length > 0 ? { leftBehind } : {}) });
    }),
  );
}
