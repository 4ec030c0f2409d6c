// The project's own dual-era MCP test server over stdio (`node dual-era-server.mjs`): the features of
// conformance-features.mjs for modern clients (MCP 2026-07-28: stateless requests carrying their version, capabilities
// and client info in _meta; server/discover; multi round-trip requests; subscriptions/listen) and, in the same process,
// for legacy clients after an initialize handshake (the SDK server of conformance-server.mjs).
//
// Which era a message belongs to (basic/versioning.mdx, "a dual-era server selects its behavior from how the client
// opens"): a request whose _meta carries io.modelcontextprotocol/* fields, or server/discover or subscriptions/listen,
// is modern; anything else goes to the legacy server once initialize came. Before that, a request with neither is a
// malformed modern request (-32602), so a stdio probe can tell this server is modern.
//
// Modern requests never make the server write a request of its own: a tool, prompt or resource that needs the client's
// answer returns an InputRequiredResult (basic/patterns/mrtr.mdx) whose requestState is sealed with HMAC-SHA256 and
// binds the method, the tool/prompt/resource, a digest of the arguments, an expiry and the answers gathered in earlier
// rounds. The key is CONFORMANCE_STATE_KEY (hex) when set, so that several processes accept each other's state;
// otherwise each process draws its own.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createInterface } from "node:readline";
import { createConformanceServer } from "./conformance-server.mjs";
import {
  capabilityFor, complete, find, listed, missingArguments, own, prompts, readResource, requiredArguments, resources, template, text, tools,
} from "./conformance-features.mjs";

const ERA = "modern";
const VERSION = "2026-07-28";
const KEY = (name) => `io.modelcontextprotocol/${name}`;
const SERVER_INFO = { name: "mcplambda-dual-era-server", version: "1.0.0" };
const LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];
const STATE_LIFETIME_MS = 5 * 60_000;
const STATE_KEY = process.env.CONFORMANCE_STATE_KEY ? Buffer.from(process.env.CONFORMANCE_STATE_KEY, "hex") : randomBytes(32);

// Lists can change (test_trigger_tool_change, test_trigger_prompt_change), so they are fresh for no time; the rest is
// the same for everyone and never changes.
const CHANGING = { ttlMs: 0, cacheScope: "public" };
const STATIC = { ttlMs: 60_000, cacheScope: "public" };

const write = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);

/** A JSON-RPC error to answer a request with. */
class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    Object.assign(this, { code, data });
  }
}
const invalid = (message, data) => new RpcError(-32602, message, data);

/** Thrown by ctx.input when the client has yet to answer some of the requests: the call ends with an InputRequiredResult. */
class InputRequired {
  constructor(requests) {
    this.requests = requests;
  }
}

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

// Request state: base64url(JSON) "." base64url(HMAC-SHA256(JSON)).
const base64url = (bytes) => Buffer.from(bytes).toString("base64url");
const sign = (payload) => createHmac("sha256", STATE_KEY).update(payload).digest();
const canonical = (value) => (Array.isArray(value)
  ? `[${value.map(canonical).join(",")}]`
  : isObject(value)
    ? `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`
    : JSON.stringify(value));
const digest = (value) => createHash("sha256").update(canonical(value ?? {})).digest("base64url");

function sealState(binding, answers) {
  const payload = base64url(JSON.stringify({ ...binding, answers, expires: Date.now() + STATE_LIFETIME_MS }));
  return `${payload}.${base64url(sign(payload))}`;
}

function openState(state, binding) {
  if (typeof state !== "string") throw invalid("requestState must be a string");
  const dot = state.lastIndexOf(".");
  const payload = state.slice(0, dot);
  const signature = Buffer.from(state.slice(dot + 1), "base64url");
  const expected = sign(payload);
  if (dot < 0 || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw invalid("requestState failed its integrity check");
  }
  const { expires, answers, ...bound } = JSON.parse(Buffer.from(payload, "base64url").toString());
  if (Date.now() > expires) throw invalid("requestState has expired: start the request again without it");
  if (canonical(bound) !== canonical(binding)) throw invalid("requestState belongs to another request");
  return answers;
}

// What a client's answer to each kind of input request must look like (the rest is the tool's business).
const answerShapes = {
  "elicitation/create": (answer) => ["accept", "decline", "cancel"].includes(answer.action) && (answer.content === undefined || isObject(answer.content)),
  "sampling/createMessage": (answer) => typeof answer.role === "string" && isObject(answer.content),
  "roots/list": (answer) => Array.isArray(answer.roots),
};

/**
 * Runs a tool, prompt or resource read for a modern request: its ctx.input takes the answers from the request's
 * inputResponses and its verified requestState, and ends the run with an InputRequiredResult while any are missing.
 */
async function runRound(request, target, body) {
  const { method, params, meta } = request;
  const binding = { method, target, arguments: digest(params.arguments) };
  const carried = params.requestState === undefined ? undefined : openState(params.requestState, binding);
  const responses = params.inputResponses;
  if (responses !== undefined && !isObject(responses)) throw invalid("inputResponses must be an object of input responses");
  const gathered = {};
  const capabilities = meta[KEY("clientCapabilities")];

  const ctx = {
    ...request.ctx,
    resumed: carried !== undefined,
    input: async (requests) => {
      const answers = {};
      const missing = {};
      for (const [key, inputRequest] of Object.entries(requests)) {
        const answer = own(responses ?? {}, key) ?? own(carried ?? {}, key);
        if (answer === undefined) {
          missing[key] = inputRequest;
        } else if (!isObject(answer) || !answerShapes[inputRequest.method](answer)) {
          throw invalid(`inputResponses.${key} is not a valid answer to ${inputRequest.method}`, { key });
        } else {
          answers[key] = gathered[key] = answer;
        }
      }
      if (Object.keys(missing).length === 0) return answers;
      const lacking = [...new Set(Object.values(missing).map((r) => capabilityFor[r.method]))].filter((c) => capabilities[c] === undefined);
      if (lacking.length > 0) {
        throw new RpcError(-32021, `This request needs the client capabilities: ${lacking.join(", ")}`,
          { requiredCapabilities: Object.fromEntries(lacking.map((c) => [c, {}])) });
      }
      throw new InputRequired(missing);
    },
  };
  try {
    return { resultType: "complete", ...(await body(ctx)) };
  } catch (error) {
    if (!(error instanceof InputRequired)) throw error;
    return { resultType: "input_required", inputRequests: error.requests, requestState: sealState(binding, { ...carried, ...gathered }) };
  }
}

// The dynamic tool and prompt switched on by the trigger tools, and the open subscriptions/listen streams.
const shown = new Set();
const subscriptions = new Map(); // listen request id → the notification types it asked for and was granted
const listChanged = { tools: ["toolsListChanged", "test_dynamic_tool"], prompts: ["promptsListChanged", "test_dynamic_prompt"] };

function changeList(kind) {
  const [filter, name] = listChanged[kind];
  const nowListed = !shown.has(name);
  if (nowListed) shown.add(name); else shown.delete(name);
  for (const [id, granted] of subscriptions) {
    if (granted[filter]) write({ method: `notifications/${kind}/list_changed`, params: { _meta: { [KEY("subscriptionId")]: id } } });
  }
  return nowListed;
}

const handlers = {
  "server/discover": () => ({
    supportedVersions: [VERSION],
    capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: {}, completions: {}, logging: {} },
    ...STATIC,
  }),

  "tools/list": () => ({
    tools: listed(tools, ERA, shown).map(([name, { description, inputSchema = { type: "object", properties: {} } }]) => ({ name, description, inputSchema })),
    ...CHANGING,
  }),
  "tools/call": (request) => {
    const { name, arguments: args = {} } = request.params;
    const tool = find(tools, name, ERA, shown) ?? refuse(`Unknown tool: ${name}`);
    const missing = missingArguments(tool.inputSchema?.required ?? [], args);
    if (missing.length > 0) throw invalid(`Missing required arguments: ${missing.join(", ")}`);
    return runRound(request, name, async (ctx) => {
      try {
        return { content: await tool.run(args, ctx) };
      } catch (error) {
        // What the tool itself throws is its result; protocol errors and the need for input end the request instead.
        if (error instanceof InputRequired || error instanceof RpcError) throw error;
        return { isError: true, content: [text(error instanceof Error ? error.message : String(error))] };
      }
    });
  },

  "resources/list": () => ({
    resources: Object.entries(resources).map(([uri, { name, description, mimeType }]) => ({ uri, name, description, mimeType })),
    ...STATIC,
  }),
  "resources/templates/list": () => ({ resourceTemplates: [template], ...STATIC }),
  "resources/read": async (request) => {
    const { uri } = request.params;
    const contents = readResource(uri) ?? refuse(`Resource not found: ${uri}`, { uri });
    const result = await runRound(request, uri, async () => ({ contents }));
    return result.resultType === "complete" ? { ...result, ...STATIC } : result;
  },

  "prompts/list": () => ({
    prompts: listed(prompts, ERA, shown).map(([name, { description, arguments: args }]) => ({ name, description, arguments: args })),
    ...CHANGING,
  }),
  "prompts/get": (request) => {
    const { name, arguments: args = {} } = request.params;
    const prompt = find(prompts, name, ERA, shown) ?? refuse(`Unknown prompt: ${name}`);
    const missing = missingArguments(requiredArguments(prompt), args);
    if (missing.length > 0) throw invalid(`Missing required arguments: ${missing.join(", ")}`);
    return runRound(request, name, async (ctx) => ({ description: prompt.description, messages: await prompt.get(args, ctx) }));
  },

  "completion/complete": ({ params }) => complete(params),

  // Answered only when the stream ends: on notifications/cancelled from the client (no answer then) or at shutdown.
  "subscriptions/listen": ({ id, params }) => {
    if (!isObject(params.notifications)) throw invalid("subscriptions/listen needs a notifications filter object");
    const granted = Object.fromEntries(Object.values(listChanged).map(([filter]) => [filter, true]).filter(([filter]) => params.notifications[filter] === true));
    subscriptions.set(id, granted);
    write({ method: "notifications/subscriptions/acknowledged", params: { notifications: granted, _meta: { [KEY("subscriptionId")]: id } } });
    return new Promise(() => {});
  },
};

/** For `?? refuse(...)`: refuses the request with invalid params. */
function refuse(message, data) {
  throw invalid(message, data);
}

/** The request's _meta, once it is a well-formed modern one this server speaks. */
function requestMeta(params) {
  const meta = params?._meta;
  if (!isObject(meta)) throw invalid(`Missing _meta: a ${VERSION} request carries ${KEY("protocolVersion")} and ${KEY("clientCapabilities")} in it`);
  const version = meta[KEY("protocolVersion")];
  if (typeof version !== "string") throw invalid(`Missing _meta.${KEY("protocolVersion")}`);
  if (!isObject(meta[KEY("clientCapabilities")])) throw invalid(`Missing _meta.${KEY("clientCapabilities")}`);
  if (version !== VERSION) throw new RpcError(-32022, "Unsupported protocol version", { supported: [VERSION], requested: version });
  const level = meta[KEY("logLevel")];
  if (level !== undefined && !LEVELS.includes(level)) throw invalid(`Unknown log level: ${level}`);
  return meta;
}

// Modern requests in flight, by id: cancelling one silences it (stdio cancellation: no further messages for it).
const inFlight = new Map();

async function serveModern({ id, method, params }) {
  const state = { cancelled: false };
  inFlight.set(id, state);
  const send = (message) => state.cancelled || write(message);
  try {
    const meta = requestMeta(params);
    const handler = own(handlers, method);
    if (handler === undefined) throw new RpcError(-32601, `Method not found: ${method}`);
    const level = meta[KEY("logLevel")];
    const ctx = {
      log: async (messageLevel, data) => {
        if (level !== undefined && LEVELS.indexOf(messageLevel) >= LEVELS.indexOf(level)) {
          send({ method: "notifications/message", params: { level: messageLevel, logger: "dual-era-server", data } });
        }
      },
      progress: async (progress, total) => {
        if (meta.progressToken !== undefined) send({ method: "notifications/progress", params: { progressToken: meta.progressToken, progress, total } });
      },
      supports: (capability) => meta[KEY("clientCapabilities")][capability] !== undefined,
      changeList,
      closeStream: () => {},
    };
    const result = await handler({ id, method, params, meta, ctx });
    send({ id, result: { resultType: "complete", ...result, _meta: { ...result._meta, [KEY("serverInfo")]: SERVER_INFO } } });
  } catch (error) {
    const { code = -32603, message, data } = error instanceof RpcError ? error : { message: `Internal error: ${error?.message ?? error}` };
    send({ id, error: { code, message, ...(data === undefined ? {} : { data }) } });
  } finally {
    inFlight.delete(id);
  }
}

// The legacy side: the SDK server of conformance-server.mjs behind a transport that shares this process's stdio.
const legacy = {
  initialized: false,
  async start() {},
  async send(message) { write(message); },
  async close() { this.onclose?.(); },
};
await createConformanceServer().connect(legacy);

const isModern = ({ method, params }) => method === "server/discover" || method === "subscriptions/listen"
  || (isObject(params?._meta) && Object.keys(params._meta).some((key) => key.startsWith(KEY(""))));

function receive(line) {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    write({ id: null, error: { code: -32700, message: "Parse error: each line must be one JSON-RPC message" } });
    return;
  }
  if (!isObject(message) || message.jsonrpc !== "2.0") {
    write({ id: message?.id ?? null, error: { code: -32600, message: "Invalid request: not a JSON-RPC 2.0 message" } });
  } else if (typeof message.method !== "string") {
    legacy.onmessage?.(message); // an answer to one of the legacy server's requests
  } else if (message.method === "notifications/cancelled" && inFlight.has(message.params?.requestId)) {
    inFlight.get(message.params.requestId).cancelled = true;
    subscriptions.delete(message.params.requestId);
  } else if (isModern(message)) {
    if (message.id !== undefined) serveModern(message);
  } else if (legacy.initialized || message.method === "initialize" || message.method === "ping" || message.id === undefined) {
    legacy.initialized ||= message.method === "initialize";
    legacy.onmessage?.(message);
  } else {
    write({ id: message.id, error: { code: -32602, message: `Invalid params: no _meta.${KEY("protocolVersion")} (a ${VERSION} request) and no initialize before it (a legacy one)` } });
  }
}

// On end of input, open subscriptions end gracefully (their result); the process exits once the calls in flight are done.
createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on("line", (line) => line.trim() && receive(line))
  .on("close", () => {
    for (const id of subscriptions.keys()) {
      write({ id, result: { resultType: "complete", _meta: { [KEY("serverInfo")]: SERVER_INFO, [KEY("subscriptionId")]: id } } });
    }
    subscriptions.clear();
    legacy.close();
  });
