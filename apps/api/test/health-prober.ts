/**
 * `node health-prober.js <url> <everyMs>`: GET <url> one at a time every <everyMs> on one
 * kept-alive connection until stdin closes, then print the latencies (ms) as JSON. Any answer
 * other than 200 ends it with exit code 1.
 */
import { Agent, get } from 'node:http';

const [url, every] = process.argv.slice(2) as [string, string];
const everyMs = Number(every);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let finished = false;
process.stdin.on('end', () => (finished = true)).resume();

const latencies: number[] = [];
while (!finished) {
  const asked = performance.now();
  const status = await new Promise<number>((resolve, reject) => {
    get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    }).on('error', reject);
  });
  if (status !== 200) {
    console.error(`GET ${url} answered ${status}`);
    process.exit(1);
  }
  const ms = performance.now() - asked;
  latencies.push(ms);
  await sleep(Math.max(0, everyMs - ms));
}
agent.destroy();
process.stdout.write(JSON.stringify(latencies));
