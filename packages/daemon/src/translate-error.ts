import {
  ConflictError,
  ContainerNotFoundError,
  DaemonError,
  EngineError,
  EngineUnreachableError,
  ImageNotFoundError,
} from './errors.js';

/** Description of a call, for error messages and logs. */
export interface CallContext {
  /** Operation in words, such as `inspect image` or `commit container`. */
  operation: string;
  /** Caller's signal; when it has fired, its reason is thrown instead. */
  signal?: AbortSignal | undefined;
  /** Image the call is about, if any. */
  image?: string | undefined;
  /** Container the call is about, if any. */
  container?: string | undefined;
}

/** Socket error codes that mean the engine cannot be reached, with their reason in words. */
const CONNECTION_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'the socket does not exist',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  EACCES: 'permission denied; run as root or add your user to the docker group',
  EPERM: 'permission denied; run as root or add your user to the docker group',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
};

/**
 * Converts an error from dockerode, docker-modem or a socket into one of this
 * package's errors. When the caller's signal has fired, returns its reason so
 * that an abort stays an abort.
 */
export function translateError(
  error: unknown,
  context: CallContext,
  address: string,
  dockerContext?: string,
): unknown {
  if (context.signal?.aborted) {
    return context.signal.reason;
  }
  if (error instanceof DaemonError) {
    return error;
  }
  if (isSshAuthenticationFailure(error)) {
    const reason = 'SSH authentication failed: the host accepted none of the offered keys';
    return new EngineUnreachableError(address, reason, { cause: error, dockerContext });
  }
  const socketCode = errorCode(error);
  if (socketCode !== undefined && isTlsFailure(socketCode)) {
    const reason = `TLS handshake failed with ${socketCode}`;
    const fix = tlsFix(dockerContext);
    return new EngineUnreachableError(address, reason, { cause: error, dockerContext, fix });
  }
  if (socketCode !== undefined && socketCode in CONNECTION_FAILURES) {
    return new EngineUnreachableError(address, CONNECTION_FAILURES[socketCode] ?? socketCode, {
      cause: error,
      dockerContext,
    });
  }
  const statusCode = httpStatus(error);
  const message = engineMessage(error);
  if (statusCode === 404) {
    return notFoundError(context, statusCode, message, error);
  }
  if (statusCode === 409) {
    return new ConflictError(describe(context), message, { cause: error });
  }
  return new EngineError(describe(context), statusCode, message, { cause: error });
}

/**
 * Returns the fix of a failed TLS handshake, naming where the certificates
 * came from: the docker context's TLS files, or DOCKER_CERT_PATH.
 */
function tlsFix(dockerContext: string | undefined): string {
  const files = 'ca.pem (the authority that signed the engine), cert.pem and key.pem';
  if (dockerContext === undefined) {
    return `Check ${files} in DOCKER_CERT_PATH (default ~/.docker), or set DOCKER_HOST to another engine.`;
  }
  return (
    `Check ${files} of docker context "${dockerContext}" ` +
    `(\`docker context inspect ${dockerContext}\` shows its TLS material), or switch to another context.`
  );
}

/** Returns the socket error code (`ECONNRESET` and the like) of an error, if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Certificate verification codes of Node's TLS client, besides the `ERR_TLS_` and `ERR_SSL_` ones. */
const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'EPROTO',
]);

// ssh2 marks the failure of every offered key with this level.
function isSshAuthenticationFailure(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { level?: unknown }).level === 'client-authentication'
  );
}

function isTlsFailure(code: string): boolean {
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || TLS_VERIFY_CODES.has(code);
}

function notFoundError(context: CallContext, status: number, message: string, cause: unknown) {
  if (/no such container/i.test(message) && context.container !== undefined) {
    return new ContainerNotFoundError(context.container, message, { cause });
  }
  if (context.image !== undefined && isMissingImage(message)) {
    return new ImageNotFoundError(context.image, message, { cause });
  }
  if (context.container !== undefined && context.image === undefined && !/file/i.test(message)) {
    return new ContainerNotFoundError(context.container, message, { cause });
  }
  return new EngineError(describe(context), status, message, { cause });
}

function isMissingImage(message: string): boolean {
  return /no such image|not found|manifest unknown|does not exist|pull access denied/i.test(
    message,
  );
}

function describe(context: CallContext): string {
  const subject = context.container ?? context.image;
  return subject === undefined ? context.operation : `${context.operation} "${subject}"`;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

// docker-modem puts the parsed body in `json`; the engine's text is its `message`.
function engineMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'json' in error) {
    const body = (error as { json: unknown }).json;
    if (typeof body === 'object' && body !== null && 'message' in body) {
      return String((body as { message: unknown }).message).trim();
    }
    if (typeof body === 'string' && body.trim() !== '') {
      return body.trim();
    }
    if (Buffer.isBuffer(body) && body.length > 0) {
      return body.toString('utf8').trim();
    }
  }
  const text = error instanceof Error ? error.message : String(error);
  // docker-modem's own text is "(HTTP code 404) no such container - <engine message> ".
  return /^\(HTTP code \d+\) [^-]* - ([\s\S]*)$/.exec(text)?.[1]?.trim() ?? text;
}
