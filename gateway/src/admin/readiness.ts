/**
 * Readiness of the process (`GET /readyz`): ready once the configuration is
 * loaded and a flag snapshot applied, and not while draining.
 */

/** The current readiness and, when not ready, why. */
export interface ReadinessState {
  readonly ready: boolean;
  /** e.g. `flags not applied`, `draining`. */
  readonly reasons: readonly string[];
}

/** What readiness is made of. */
export interface Readiness {
  state(): ReadinessState;
  /** Called once, when SIGTERM/SIGINT starts the drain. */
  startDraining(): void;
}

/**
 * Creates the readiness of one gateway.
 *
 * @param checks - named conditions, all of which must hold; evaluated on each call.
 * @example createReadiness({ 'config loaded': () => true, 'flags applied': () => flags.applied })
 */
export function createReadiness(checks: Readonly<Record<string, () => boolean>>): Readiness {
  let draining = false;
  return {
    state() {
      const reasons = Object.entries(checks).filter(([, ok]) => !ok()).map(([name]) => `not ${name}`);
      if (draining) reasons.push('draining');
      return { ready: reasons.length === 0, reasons };
    },
    startDraining: () => void (draining = true),
  };
}
