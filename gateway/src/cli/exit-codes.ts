/**
 * The exit codes of the `strangler` CLI: each says what went wrong, so a
 * script can act on it (gateway/src/cli/README.md lists them).
 */
export const EXIT = {
  ok: 0,
  /** A bug or an answer the CLI did not expect. */
  unexpected: 1,
  /** Bad arguments or options. */
  usage: 2,
  /** 401/403: no token, a wrong one, or a viewer token for a change. */
  auth: 3,
  /** 404: unknown route, tenant or endpoint. */
  notFound: 4,
  /** 409: someone else changed the route first, or nothing to roll back. */
  conflict: 5,
  /** 400/412: the admin API refused the change as asked. */
  refused: 6,
  /** The admin API cannot be reached, or its flag store is down (503). */
  unavailable: 7,
  /** A change that needs confirmation was not confirmed. */
  notConfirmed: 8,
  /** `status`: some replica has not applied the store's version yet. */
  stragglers: 9,
  /** `stats`: some route's shadow comparisons found mismatches (`strangler diffs` lists them). */
  mismatches: 10,
} as const;

/** An error the CLI prints as is and exits with. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(exitCode: number, message: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
