// The bench's trivial local HTTP endpoint, run as its own process so the generators do not share its CPU time:
// answers TF Serving's predict path with a fixed prediction. `node loadTestEndpoint.js [stallAfterMs stallMs]`:
// with a stall, every answer from stallAfterMs after start waits until the stall ends (a server that freezes).
import * as http from 'http';
import type { AddressInfo } from 'net';

const [stallAfter, stallFor] = process.argv.slice(2).map(Number);
const t0 = Date.now();
const body = '{\n    "predictions": [2.5, 3.0, 4.5]\n}';
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const answer = () => { res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length }); res.end(body); };
    const stallEnd = stallAfter ? t0 + stallAfter + stallFor : 0;
    const now = Date.now();
    if (stallAfter && now >= t0 + stallAfter && now < stallEnd) setTimeout(answer, stallEnd - now);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
