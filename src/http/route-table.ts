// Every surface registers its routes the same way: a table of {method, url, handler}, where a handler takes the
// surface's services and the request as plain values (RequestFacts) and returns a WireResponse. The glue here is the
// only code that touches Fastify's request and reply.
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { factsOf, type RequestFacts, type StringRouteGeneric } from './request.js';
import { sendWire, type WireResponse } from './wire-response.js';

export type Handler<S> = (surface: S, request: RequestFacts) => Promise<WireResponse>;

export interface Route<S> {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  handler: Handler<S>;
}

export function registerRouteTable<S>(scope: FastifyInstance, routes: readonly Route<S>[], surface: S): void {
  for (const route of routes) {
    scope.route<StringRouteGeneric>({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => sendWire(reply, await route.handler(surface, factsOf(request))),
    });
  }
}
