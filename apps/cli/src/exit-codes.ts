/** Exit codes of the gantry command. */

/** How the gantry command exits; documented in the README. */
export const EXIT_CODES = {
  /** The command did what was requested. */
  success: 0,
  /** The build failed: a step, the Dockerfile, the context or the engine. */
  buildFailed: 1,
  /** The command line was invalid: an unknown flag, a missing value or argument. */
  usage: 2,
  /** SIGINT (Ctrl-C) stopped the build; what it made was removed. 128 + 2, as shells report it. */
  interrupted: 130,
  /** SIGTERM stopped the build; what it made was removed. 128 + 15, as shells report it. */
  terminated: 143,
  /** SIGHUP (the terminal closed) stopped the build; what it made was removed. 128 + 1. */
  hangup: 129,
} as const;

/** Exit codes of the signals that stop a build, 128 + the signal's number as shells report it. */
export const SIGNAL_EXIT_CODES = {
  SIGINT: EXIT_CODES.interrupted,
  SIGTERM: EXIT_CODES.terminated,
  SIGHUP: EXIT_CODES.hangup,
} as const;
