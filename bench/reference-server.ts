// The raw node:http reference: a bare http.createServer in its own process that answers every request with the
// bytes and headers captured once from localforce. Started with fork(); it receives
// { body (base64), headers } over IPC and replies { port } once listening on 127.0.0.1.
import http from 'node:http';

process.once('message', (msg: { body: string; headers: Record<string, string> }) => {
  const body = Buffer.from(msg.body, 'base64');
  const headers = msg.headers;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  });
  server.keepAliveTimeout = 65_000; // as localforce
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
});
