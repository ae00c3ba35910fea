/**
 * Gates for tests that need a real Redis or MariaDB. global-setup.cjs probes the
 * services once per run; a test suite wrapped in one of these runs when its
 * service answered and is otherwise skipped under a name that the reporter lists
 * as "not run", with how to start the service.
 *
 * @example
 * describeWithMysql('contacts repository', () => { it('inserts', async () => { ... }) })
 */

/** URL of the Redis that answered, or undefined. */
export const testRedisUrl: string | undefined = process.env.STRANGLER_TEST_REDIS_URL || undefined;

/** URL of the MariaDB/MySQL that answered, or undefined. */
export const testDatabaseUrl: string | undefined = process.env.STRANGLER_TEST_DATABASE_URL || undefined;

/** describe() that runs only when Redis answered. */
export function describeWithRedis(name: string, fn: () => void): void {
  (testRedisUrl ? describe : describe.skip)(`${name} [needs Redis]`, fn);
}

/** describe() that runs only when MariaDB answered. */
export function describeWithMysql(name: string, fn: () => void): void {
  (testDatabaseUrl ? describe : describe.skip)(`${name} [needs MariaDB]`, fn);
}
