import { beforeEach } from 'vitest';
import type { App } from './start-app';

/**
 * When a test of the calling file fails, prints the last output of each instance `apps()` names (the
 * server's own lines say why far more often than the assertion does).
 */
export function showOutputOnFailure(apps: () => Record<string, App | undefined>): void {
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      for (const [name, app] of Object.entries(apps())) {
        if (app) console.error(`--- instance ${name}, last output:\n${app.output().slice(-3000)}`);
      }
    });
  });
}
