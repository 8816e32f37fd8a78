import { createSqliteBackend } from './create-sqlite-backend';
import { describeHistoryBackend } from './history-backend-contract';

describeHistoryBackend('createSqliteBackend', async () => createSqliteBackend({ dataDir: ':memory:' }));
