// The control plane under /_localforce: health (200 once the server is ready to serve) and session revocation
// (so tests can expire a session and watch a client log in again).
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../../org/auth.js';
import { writeJson } from '../../wire/json.js';

export interface AdminSurfaceOptions {
  orgId: string;
  startedAt: number;
  version: string;
  auth: AuthService;
}

export async function registerAdminRoutes(app: FastifyInstance, s: AdminSurfaceOptions): Promise<void> {
  app.get('/_localforce/health', async (_request, reply) =>
    reply.type('application/json').send(writeJson({ status: 'ok', version: s.version, orgId: s.orgId, uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000) })),
  );

  // Ends a session as if it had expired: the next request with that token gets InvalidSessionId.
  app.post('/_localforce/sessions/revoke', async (request, reply) => {
    let token: unknown;
    try {
      token = (JSON.parse(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '{}') as { token?: unknown }).token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token) return reply.code(400).type('application/json').send(writeJson({ error: 'token is required' }));
    await s.auth.revoke(token);
    return reply.code(204).send();
  });
}
