/** The server's own version, as `GET /version` reports it. */

/** Version of `@gantry/server`; a test checks it against package.json. */
export const SERVER_VERSION = '0.1.0';
