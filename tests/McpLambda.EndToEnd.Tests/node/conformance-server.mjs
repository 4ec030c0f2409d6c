// The project's own MCP test server for the server scenarios of the official MCP conformance suite
// (@modelcontextprotocol/conformance), legacy era (the initialize handshake): the features of conformance-features.mjs
// served through the TypeScript SDK's Server.
// Run as a script it serves MCP over stdio (`node conformance-server.mjs`); createConformanceServer() gives a fresh
// server to put behind any other transport, one per session (dual-era-server.mjs puts one behind its legacy side).
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema, CompleteRequestSchema, ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema,
  ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, LoggingLevelSchema, McpError,
  ReadResourceRequestSchema, SetLevelRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import {
  capabilityFor, complete, find, listed, missingArguments, prompts, readResource, requiredArguments, resources, template, text, tools,
} from "./conformance-features.mjs";

const ERA = "legacy";
const fail = (message, code = ErrorCode.InvalidParams) => { throw new McpError(code, message); };

export function createConformanceServer() {
  const server = new Server(
    { name: "mcplambda-conformance-server", version: "1.0.0" },
    { capabilities: { tools: {}, resources: { subscribe: true }, prompts: {}, logging: {}, completions: {} } });

  // Logging (logging-set-level, tools-call-with-logging): messages below the level the client set are not sent.
  const levels = LoggingLevelSchema.options;
  let minimumLevel = levels[0];
  server.setRequestHandler(SetLevelRequestSchema, ({ params }) => { minimumLevel = params.level; return {}; });

  // A tool's context: requests and notifications it sends the client travel with the call that caused them (its own
  // SSE stream on HTTP); the questions of one ctx.input are requests to the client sent at once, as a modern server
  // would put them in one InputRequiredResult.
  const ask = {
    "elicitation/create": (params, options) => server.elicitInput(params, options),
    "sampling/createMessage": (params, options) => server.createMessage(params, options),
    "roots/list": (params, options) => server.listRoots(params, options),
  };
  const context = (extra) => ({
    log: (level, data) => levels.indexOf(level) < levels.indexOf(minimumLevel)
      ? Promise.resolve()
      : extra.sendNotification({ method: "notifications/message", params: { level, logger: "conformance-server", data } }),
    progress: (progress, total) => extra._meta?.progressToken === undefined
      ? Promise.resolve()
      : extra.sendNotification({ method: "notifications/progress", params: { progressToken: extra._meta.progressToken, progress, total } }),
    input: async (requests) => {
      const entries = Object.entries(requests);
      const lacking = entries.map(([, { method }]) => capabilityFor[method]).find((capability) => !server.getClientCapabilities()?.[capability]);
      if (lacking !== undefined) throw new Error(`The client does not support ${lacking}`);
      const answers = await Promise.all(entries.map(([, { method, params }]) => ask[method](params, { relatedRequestId: extra.requestId })));
      return Object.fromEntries(entries.map(([key], i) => [key, answers[i]]));
    },
    supports: (capability) => server.getClientCapabilities()?.[capability] !== undefined,
    resumed: false,
    changeList: () => fail("The legacy server's lists do not change", ErrorCode.MethodNotFound),
    closeStream: () => extra.closeSSEStream?.(),
  });

  // Tools: each returns its content; whatever it throws comes back as a result with isError (tools-call-error).
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: listed(tools, ERA).map(([name, { description, inputSchema = { type: "object", properties: {} } }]) => ({ name, description, inputSchema })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async ({ params: { name, arguments: args = {} } }, extra) => {
    const tool = find(tools, name, ERA) ?? fail(`Unknown tool: ${name}`);
    const missing = missingArguments(tool.inputSchema?.required ?? [], args);
    if (missing.length > 0) fail(`Missing required arguments: ${missing.join(", ")}`);
    try {
      return { content: await tool.run(args, context(extra)) };
    } catch (error) {
      return { isError: true, content: [text(error instanceof Error ? error.message : String(error))] };
    }
  });

  // Resources: nothing here ever changes one, so a subscription never brings an update.
  const subscriptions = new Set();
  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: Object.entries(resources).map(([uri, { name, description, mimeType }]) => ({ uri, name, description, mimeType })),
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [template] }));
  server.setRequestHandler(ReadResourceRequestSchema, ({ params: { uri } }) => ({
    contents: readResource(uri) ?? fail(`Resource not found: ${uri}`, -32002),
  }));
  server.setRequestHandler(SubscribeRequestSchema, ({ params: { uri } }) => { subscriptions.add(uri); return {}; });
  server.setRequestHandler(UnsubscribeRequestSchema, ({ params: { uri } }) => { subscriptions.delete(uri); return {}; });

  // Prompts and completion.
  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: listed(prompts, ERA).map(([name, { description, arguments: args }]) => ({ name, description, arguments: args })),
  }));
  server.setRequestHandler(GetPromptRequestSchema, async ({ params: { name, arguments: args = {} } }, extra) => {
    const prompt = find(prompts, name, ERA) ?? fail(`Unknown prompt: ${name}`);
    const missing = missingArguments(requiredArguments(prompt), args);
    if (missing.length > 0) fail(`Missing required arguments: ${missing.join(", ")}`);
    return { description: prompt.description, messages: await prompt.get(args, context(extra)) };
  });
  server.setRequestHandler(CompleteRequestSchema, ({ params }) => complete(params));

  return server;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await createConformanceServer().connect(new StdioServerTransport());
}
