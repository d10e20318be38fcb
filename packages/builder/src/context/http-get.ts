/**
 * A GET request for ADD's downloads, made with Node.js's own http and https
 * clients rather than `fetch`, so that an https request can trust
 * certificates that the process did not load when it started (see
 * `extraCaCertsFile` in BuildOptions). Redirects are followed as the
 * classic builder follows them.
 */
import { readFileSync } from 'node:fs';
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import {
  createSecureContext,
  rootCertificates,
  type SecureContext,
  connect as tlsConnect,
} from 'node:tls';
import {
  openTunnel,
  proxyAuthorization,
  proxyFor,
  unbracketed,
  unreachableProxy,
} from './http-proxy.js';

/**
 * The redirect that fails the download, counted from the first. Go's HTTP
 * client, which the classic builder and BuildKit use, stops at the 10th.
 */
const MAX_REDIRECTS = 10;

/** `User-Agent` of every download request. */
const USER_AGENT = 'gantry';

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/;

/** Options of {@link httpGet}. */
export interface HttpGetOptions {
  readonly signal?: AbortSignal | undefined;
  /**
   * PEM file of certificates that an https request trusts besides Node.js's
   * bundled ones. Read, and parsed, on the first https request.
   */
  readonly extraCaCertsFile?: string | undefined;
}

/**
 * Error of a download that redirects too often or to a scheme other than
 * http or https, or whose extra CA certificates file cannot be used. The
 * message ends with the fix.
 */
export class HttpGetError extends Error {
  override readonly name = 'HttpGetError';
}

/**
 * The secure context of each certificate file, parsed once, and its agent,
 * which keeps its connections apart from those of Node.js's global agent.
 */
const extraCaTrust = new Map<string, { secureContext: SecureContext; agent: HttpsAgent }>();

/**
 * Requests a URL and follows redirects. Resolves with the final response,
 * whatever its status. The caller reads or discards its body. The request
 * accepts gzip, so the caller decodes a body whose `Content-Encoding` is gzip.
 *
 * @throws HttpGetError on a redirect loop, on a redirect to a scheme other
 * than http or https, and when the extra certificate file cannot be read.
 * A request that fails to connect throws its own error.
 */
export async function httpGet(url: string, options: HttpGetOptions = {}): Promise<IncomingMessage> {
  let current = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(current, options);
    const location = response.headers.location;
    if (!REDIRECT_STATUS.has(response.statusCode ?? 0) || location === undefined) return response;
    response.resume();
    if (redirects + 1 === MAX_REDIRECTS) {
      throw new HttpGetError(`stopped after ${MAX_REDIRECTS} redirects; check the URL`);
    }
    current = new URL(location, current);
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new HttpGetError(
        `it redirects to ${current.href}, which is not http or https; check the URL`,
      );
    }
  }
}

/** Sends one GET, directly or through the proxy that {@link proxyFor} names. */
async function requestOnce(url: URL, options: HttpGetOptions): Promise<IncomingMessage> {
  // Go's client, which the classic builder and BuildKit use, requests gzip and
  // decodes it, so the caller decodes a response whose Content-Encoding is gzip.
  // Like Go's client, the request names its sender, because some servers
  // reject a request without a User-Agent.
  const headers = { 'Accept-Encoding': 'gzip', 'User-Agent': USER_AGENT };
  const { signal } = options;
  const proxy = proxyFor(url);
  if (url.protocol === 'http:') {
    if (proxy === undefined) return send(httpRequest(url, { headers, signal }));
    // Through a proxy, an http request names the whole URL.
    const viaProxy = { host: unbracketed(proxy.hostname), port: proxy.port || 80, path: url.href };
    const proxyHeaders = { ...headers, Host: url.host, ...proxyAuthorization(proxy) };
    return send(httpRequest({ ...viaProxy, headers: proxyHeaders, signal }), proxy);
  }
  const trust = extraCaTrustOf(options.extraCaCertsFile);
  if (proxy === undefined) {
    return send(httpsRequest(url, { headers, signal, ...(trust && { agent: trust.agent }) }));
  }
  const tunnel = await openTunnel(proxy, url, signal);
  const secureContext = trust?.secureContext;
  const servername = isIP(unbracketed(url.hostname)) === 0 ? url.hostname : '';
  const createConnection = () => tlsConnect({ socket: tunnel, servername, secureContext });
  // Without an agent, the request uses createConnection; `agent: false` would not.
  return send(httpsRequest(url, { headers, signal, createConnection }));
}

function send(request: ClientRequest, proxy?: URL): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', (error) => reject(proxy ? unreachableProxy(proxy, error) : error));
    request.end();
  });
}

function extraCaTrustOf(file: string | undefined) {
  if (file === undefined || file === '') return undefined;
  let trust = extraCaTrust.get(file);
  if (trust === undefined) {
    const secureContext = createSecureContext({ ca: [...rootCertificates, readPem(file)] });
    trust = { secureContext, agent: new HttpsAgent({ secureContext }) };
    extraCaTrust.set(file, trust);
  }
  return trust;
}

function readPem(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new HttpGetError(
      `failed to read the extra CA certificates in ${file} (${reason}); correct the path or leave it out`,
    );
  }
  // Node.js skips what is not a PEM certificate without a word, which would
  // leave the user with an untrusted-certificate error and no reason.
  if (!PEM_CERTIFICATE.test(pem)) {
    throw new HttpGetError(
      `the extra CA certificates file ${file} contains no PEM certificate (-----BEGIN CERTIFICATE-----); convert a DER file with \`openssl x509 -inform der -in ${file} -out ca.pem\` and name that file`,
    );
  }
  return pem;
}
