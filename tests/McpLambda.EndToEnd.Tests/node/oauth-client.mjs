// The MCP TypeScript SDK's own client with its own OAuth support against a protected endpoint: it meets the 401
// challenge, reads the protected resource metadata and the authorization server's, registers itself (RFC 7591),
// authorizes with PKCE and the resource (RFC 8707), gets a token, and calls tools. The browser is played by following
// the authorization server's redirects (login and consent are automated there) until they reach the client's callback
// on a random loopback port, as Claude Code's and VS Code's are. Prints what it saw as one JSON line.
//
//   node oauth-client.mjs <endpoint URL> [client id: use that pre-registered client instead of registering]
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";

const endpoint = new URL(process.argv[2]);
const preRegistered = process.argv[3];
const callback = `http://127.0.0.1:${20000 + Math.floor(Math.random() * 20000)}/callback`;
const seen = { challenges: [], authorizationUrl: null, registered: null, scopes: null };

const provider = {
  state: undefined,
  saved: { client: preRegistered ? { client_id: preRegistered } : undefined, tokens: undefined, verifier: undefined },
  pendingCode: undefined,
  get redirectUrl() { return callback; },
  get clientMetadata() {
    return { client_name: "mcplambda oauth test", redirect_uris: [callback], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };
  },
  clientInformation() { return this.saved.client; },
  saveClientInformation(info) { this.saved.client = info; seen.registered = info.client_id; },
  tokens() { return this.saved.tokens; },
  saveTokens(tokens) { this.saved.tokens = tokens; seen.scopes = tokens.scope ?? null; },
  saveCodeVerifier(verifier) { this.saved.verifier = verifier; },
  codeVerifier() { return this.saved.verifier; },
  // The "browser": follow redirects until the callback, and keep the code it carries.
  async redirectToAuthorization(url) {
    seen.authorizationUrl = url.toString();
    let next = url.toString();
    const cookies = new Map();
    for (let hop = 0; hop < 20; hop++) {
      if (next.startsWith(callback)) {
        const params = new URL(next).searchParams;
        if (params.get("error")) throw new Error(`authorization refused: ${params.get("error")} ${params.get("error_description") ?? ""}`);
        this.pendingCode = params.get("code");
        return;
      }
      const response = await fetch(next, { redirect: "manual", headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(";");
        const [name, ...value] = pair.split("=");
        cookies.set(name.trim(), value.join("="));
      }
      const location = response.headers.get("location");
      if (!location) throw new Error(`the authorization flow stopped at ${next}: ${response.status} ${(await response.text()).slice(0, 300)}`);
      next = new URL(location, next).toString();
    }
    throw new Error("too many redirects");
  },
};

// Record the challenges the client met.
const recordingFetch = async (url, init) => {
  const response = await fetch(url, init);
  if (response.status === 401 || response.status === 403) seen.challenges.push({ status: response.status, challenge: response.headers.get("www-authenticate") });
  return response;
};

const connect = async (transport) => {
  const client = new Client({ name: "mcplambda-oauth-e2e", version: "1.0.0" });
  await client.connect(transport);
  return client;
};
const newTransport = () => new StreamableHTTPClientTransport(endpoint, { authProvider: provider, fetch: recordingFetch });

// As the SDK's own example client does: the transport that met the challenge finishes the authorization (it knows the
// metadata URL the challenge named: behind a REST API nothing answers the well-known URLs at the host's root), then a
// new connection uses the token.
let client;
const first = newTransport();
try {
  client = await connect(first);
} catch (error) {
  if (!(error instanceof UnauthorizedError)) throw error;
  await first.finishAuth(provider.pendingCode);
  client = await connect(newTransport());
}

const tools = await client.listTools();
const echo = await client.callTool({ name: "echo", arguments: { message: "with a token" } });
console.log(JSON.stringify({
  ...seen,
  token: provider.saved.tokens?.access_token ?? null,
  tools: tools.tools.map((t) => t.name),
  echo: echo.content[0].text,
}));
await client.close();
