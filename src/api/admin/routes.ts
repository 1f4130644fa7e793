// The control plane under /_localforce. For now: health (200 once the server is ready to serve).
import type { FastifyInstance } from 'fastify';
import { writeJson } from '../../wire/json.js';

export interface AdminSurfaceOptions {
  orgId: string;
  startedAt: number;
  version: string;
}

export async function registerAdminRoutes(app: FastifyInstance, s: AdminSurfaceOptions): Promise<void> {
  app.get('/_localforce/health', async (_request, reply) =>
    reply.type('application/json').send(writeJson({ status: 'ok', version: s.version, orgId: s.orgId, uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000) })),
  );
}
