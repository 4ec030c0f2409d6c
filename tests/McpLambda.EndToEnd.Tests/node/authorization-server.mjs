// A real OAuth 2.1 authorization server for the tests: oidc-provider (OpenID Certified) on loopback, with discovery,
// a JWKS, PKCE (S256), resource indicators (RFC 8707) issuing JWT access tokens whose audience is the resource, and
// dynamic client registration (RFC 7591) unless --no-registration. Login and consent are automated: every
// authorization request is granted for the user its login_hint names ("alice" when none) with the scopes it asks for,
// as a user clicking through would.
//
//   node authorization-server.mjs [--port N] [--scope mcp:tools] [--no-registration] [--client id=redirect_uri]
// prints "issuer <url>" once it listens.
import http from "node:http";
import { generateKeyPairSync } from "node:crypto";
import Provider from "oidc-provider";

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const port = Number(option("--port", "0"));
const resourceScope = option("--scope", "mcp:tools");
const registration = !args.includes("--no-registration");
const preRegistered = args.flatMap((arg, i) => (arg === "--client" ? [args[i + 1]] : [])).map((pair) => {
  const [clientId, redirect] = pair.split("=", 2);
  return { client_id: clientId, redirect_uris: [redirect], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"] };
});

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "as-key-1", use: "sig", alg: "RS256" };

const server = http.createServer();
await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: preRegistered,
  jwks: { keys: [signingKey] },
  scopes: ["openid", "offline_access", resourceScope],
  pkce: { required: () => true },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: registration },
    resourceIndicators: {
      enabled: true,
      // A request that names no resource gets none, so its token names no audience (the resource server refuses it).
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => ({
        scope: resourceScope,
        audience: resource,
        accessTokenTTL: 600,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
});
// Loopback over plain HTTP: the provider must not insist on TLS-only cookies.
provider.proxy = true;

const callback = provider.callback();
server.on("request", async (req, res) => {
  const match = /^\/interaction\/([^/?]+)/.exec(req.url);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === "login") {
      return await provider.interactionFinished(req, res, { login: { accountId: details.params.login_hint ?? "alice" } }, { mergeWithLastSubmission: false });
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(" "));
    const grantId = await grant.save();
    return await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});

console.log(`issuer ${issuer}`);
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
