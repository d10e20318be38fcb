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
import { createSecureContext, rootCertificates } from 'node:tls';

/**
 * The redirect that fails the download, counted from the first. Go's HTTP
 * client, which the classic builder and BuildKit use, stops at the 10th.
 */
const MAX_REDIRECTS = 10;

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
 * Agents by certificate file: each parses its file once, and keeps its
 * connections apart from those of Node.js's global agent, which trust less.
 */
const extraCaAgents = new Map<string, HttpsAgent>();

/**
 * Requests a URL and follows redirects. Resolves with the final response,
 * whatever its status; the caller reads or discards its body, and decodes it
 * when its `Content-Encoding` is gzip, which the request accepts.
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

// NOTE: HTTP_PROXY, HTTPS_PROXY and NO_PROXY are not read, so a download
// behind a proxy that is the only way out fails to connect.
function requestOnce(url: URL, options: HttpGetOptions): Promise<IncomingMessage> {
  // Go's client, which the classic builder and BuildKit use, asks for gzip and
  // decodes it; the caller decodes a response whose Content-Encoding is gzip.
  const headers = { 'Accept-Encoding': 'gzip' };
  return new Promise((resolve, reject) => {
    let request: ClientRequest;
    if (url.protocol === 'https:') {
      const agent = extraCaAgent(options.extraCaCertsFile);
      request = httpsRequest(url, { headers, signal: options.signal, ...(agent && { agent }) });
    } else {
      request = httpRequest(url, { headers, signal: options.signal });
    }
    request.on('response', resolve);
    request.on('error', reject);
    request.end();
  });
}

function extraCaAgent(file: string | undefined): HttpsAgent | undefined {
  if (file === undefined || file === '') return undefined;
  let agent = extraCaAgents.get(file);
  if (agent === undefined) {
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
    const secureContext = createSecureContext({ ca: [...rootCertificates, pem] });
    agent = new HttpsAgent({ secureContext });
    extraCaAgents.set(file, agent);
  }
  return agent;
}
