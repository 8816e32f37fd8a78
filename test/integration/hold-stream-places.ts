// Run as a child process by stream-places.test.ts: an instance that takes places and then is killed
// with SIGKILL, so it never gives them back. Arguments: redis url, prefix, instance, lease ms, key,
// how many places. Prints `held` once it holds them.
import { createRedisStreamPlaces } from '@/lib/limits/create-redis-stream-places';

const [url = '', prefix = '', instance = '', leaseMs = '', key = '', count = ''] = process.argv.slice(2);
const places = createRedisStreamPlaces({ url, prefix, instance, leaseMs: Number(leaseMs) });
// Stays alive (renewing its lease) until killed.
setInterval(() => {}, 60_000);
void (async () => {
  for (let i = 0; i < Number(count); i += 1) {
    if (!(await places.take(key, 1_000))) throw new Error('refused');
  }
  console.log('held');
})();
