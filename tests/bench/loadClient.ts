/**
 * The load generator of `npm run bench`, run as its own process so that it does not share the event loop of
 * the bot it measures: `tsx tests/bench/loadClient.ts <url> <label> <turns> <connections>`. Node's own HTTP
 * client with keep-alive sockets, one in-flight request per connection. Every turn is a question from a new
 * conversation with `deliveryMode: expectReplies`. Prints one JSON line `{turnsPerSecond, p50, p99, errors}`.
 */
import { Agent, request } from 'node:http';

const QUESTIONS = [
  'How do I change my wifi password?',
  'my internet is slow',
  'how can I pay my bill',
  'router lights',
];

function post(url: URL, agent: Agent, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const [base, label, turnsArg, connectionsArg] = process.argv.slice(2);
  const turns = Number(turnsArg);
  const connections = Number(connectionsArg);
  if (!base || !label || !(turns > 0) || !(connections > 0)) {
    process.stderr.write('usage: loadClient.ts <url> <label> <turns> <connections>\n');
    process.exit(2);
  }
  const url = new URL('/api/messages', base);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < turns) {
        const n = next++;
        const body = JSON.stringify({
          type: 'message',
          id: `m${n}`,
          channelId: 'webchat',
          serviceUrl: 'http://127.0.0.1:9',
          deliveryMode: 'expectReplies',
          from: { id: `user-${n}` },
          recipient: { id: 'bot' },
          conversation: { id: `bench-${label}-${n}` },
          locale: 'en-US',
          text: QUESTIONS[n % QUESTIONS.length],
        });
        const t0 = performance.now();
        const status = await post(url, agent, body).catch(() => 0);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    Number((latencies[Math.floor(q * (latencies.length - 1))] ?? 0).toFixed(2));
  process.stdout.write(
    `${JSON.stringify({ turnsPerSecond: Math.round(turns / seconds), p50: at(0.5), p99: at(0.99), errors })}\n`,
  );
}

void main();
