// Lists, by name, the tests that did not run because Redis or MariaDB did not
// answer, says how to start them, and ends with one plain "N passed, N failed"
// line that CI can read whatever the runner.
const MARKER = /\[needs (Redis|MariaDB)\]/g;

/** Whether global-setup.cjs found the service down (it runs in this process and leaves the URL empty then). */
function isDown(service) {
  const url = service === 'Redis' ? process.env.STRANGLER_TEST_REDIS_URL : process.env.STRANGLER_TEST_DATABASE_URL;
  return url === '';
}

class ServicesReporter {
  onRunComplete(_contexts, results) {
    const notRun = [];
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if (t.status !== 'pending') continue;
        // A test whose services all answered was skipped for another reason (a -t filter, a .skip).
        const down = [...[...t.ancestorTitles, t.title].join(' ').matchAll(MARKER)].map((m) => m[1]).find(isDown);
        if (down) notRun.push({ service: down, name: [...t.ancestorTitles, t.title].join(' › ') });
      }
    }
    if (notRun.length > 0) {
      process.stderr.write(`\nNot run: ${notRun.length} tests need a service that did not answer:\n`);
      for (const t of notRun) process.stderr.write(`  - (${t.service}) ${t.name}\n`);
      process.stderr.write(
        'Start the services and run `npm test` again:\n' +
          '  docker compose up -d redis mariadb\n' +
          '  or: apt-get install redis-server mariadb-server (Debian), or bash ../shared/dev/services.sh\n' +
          '  (REDIS_URL and DATABASE_URL point the tests at other addresses)\n',
      );
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    // Jest prints its own summary after the reporters; the plain line must be the last one.
    process.once('exit', () => process.stderr.write(line));
  }
}

module.exports = ServicesReporter;
