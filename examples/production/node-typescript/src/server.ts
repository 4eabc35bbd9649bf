// A production-shaped HTTP server: health endpoints for the HEALTHCHECK and
// the orchestrator, and a graceful shutdown on SIGTERM (tini forwards it).
import http from 'node:http';

const PORT = parseInt(process.env.PORT ?? '3000', 10);
let shuttingDown = false;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  switch (req.url) {
    case '/health':
    case '/health/live':
      send(res, 200, { status: 'ok', uptime: process.uptime() });
      return;
    case '/health/ready':
      send(res, shuttingDown ? 503 : 200, { status: shuttingDown ? 'shutting_down' : 'ready' });
      return;
    default:
      send(res, 200, { message: 'Hello from production' });
  }
});

function shutdown(signal: string): void {
  console.log(`received ${signal}, draining connections`);
  shuttingDown = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // Leave room before the orchestrator's SIGKILL.
  setTimeout(() => process.exit(1), 20_000).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

server.listen(PORT, '0.0.0.0', () => {
  console.log(`listening on port ${PORT}`);
});
