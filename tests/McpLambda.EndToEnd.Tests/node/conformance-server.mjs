// The project's own MCP test server for the server scenarios of the official MCP conformance suite
// (@modelcontextprotocol/conformance), written from those scenarios' descriptions and checks: the tools, resources,
// prompts and behaviour they ask of a server, under their names and with their contents.
// Run as a script it serves MCP over stdio (`node conformance-server.mjs`); createConformanceServer() gives a fresh
// server to put behind any other transport, one per session.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema, CompleteRequestSchema, ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema,
  ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, LoggingLevelSchema, McpError,
  ReadResourceRequestSchema, SetLevelRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

// A 1x1 red PNG, and a 1 ms WAV of silence (8 kHz, 8-bit, mono).
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
const WAV = "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==";

const text = (text) => ({ type: "text", text });
const image = () => ({ type: "image", data: PNG, mimeType: "image/png" });
const embedded = (uri, mimeType, text) => ({ type: "resource", resource: { uri, mimeType, text } });
const user = (content) => ({ role: "user", content });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fail = (message, code = ErrorCode.InvalidParams) => { throw new McpError(code, message); };
const own = (table, key) => (Object.hasOwn(table, key) ? table[key] : undefined);
const requireArguments = (names, args) => {
  const missing = names.filter((name) => args[name] === undefined);
  if (missing.length > 0) fail(`Missing required arguments: ${missing.join(", ")}`);
};
const strings = (descriptions) => ({
  type: "object",
  properties: Object.fromEntries(Object.entries(descriptions).map(([name, description]) => [name, { type: "string", description }])),
  required: Object.keys(descriptions),
});
const titled = (prefix, ...titles) => titles.map((title, i) => ({ const: `${prefix}${i + 1}`, title }));

export function createConformanceServer() {
  const server = new Server(
    { name: "mcplambda-conformance-server", version: "1.0.0" },
    { capabilities: { tools: {}, resources: { subscribe: true }, prompts: {}, logging: {}, completions: {} } });
  // Requests and notifications a tool sends the client travel with the call that caused them (its own SSE stream on HTTP).
  const withCall = (extra) => ({ relatedRequestId: extra.requestId });

  // Logging (logging-set-level, tools-call-with-logging): messages below the level the client set are not sent.
  const levels = LoggingLevelSchema.options;
  let minimumLevel = levels[0];
  server.setRequestHandler(SetLevelRequestSchema, ({ params }) => { minimumLevel = params.level; return {}; });
  const log = (extra, level, data) => levels.indexOf(level) < levels.indexOf(minimumLevel)
    ? Promise.resolve()
    : extra.sendNotification({ method: "notifications/message", params: { level, logger: "conformance-server", data } });

  // Elicitation (tools-call-elicitation, elicitation-sep1034-defaults, elicitation-sep1330-enums): a form request
  // to the client, reported back as the action taken and the content given.
  const elicit = async (extra, message, properties, required = []) => {
    const { action, content } = await server.elicitInput({ message, requestedSchema: { type: "object", properties, required } }, withCall(extra));
    return `action=${action}, content=${JSON.stringify(content ?? {})}`;
  };

  // Tools: each returns its content; whatever it throws comes back as a result with isError (tools-call-error).
  const tools = {
    // Content of every kind (tools-call-simple-text, -image, -audio, -embedded-resource, -mixed-content).
    test_simple_text: { description: "Returns a simple text response", run: () => [text("This is a simple text response for testing.")] },
    test_image_content: { description: "Returns a 1x1 red PNG image", run: () => [image()] },
    test_audio_content: { description: "Returns a short WAV audio clip", run: () => [{ type: "audio", data: WAV, mimeType: "audio/wav" }] },
    test_embedded_resource: {
      description: "Returns an embedded text resource",
      run: () => [embedded("test://embedded-resource", "text/plain", "This is an embedded resource content.")],
    },
    test_multiple_content_types: {
      description: "Returns text, an image and an embedded resource",
      run: () => [text("Multiple content types test:"), image(),
        embedded("test://mixed-content-resource", "application/json", JSON.stringify({ test: "data", value: 123 }))],
    },

    // Behaviour during a call (tools-call-with-logging, -with-progress, -error).
    test_tool_with_logging: {
      description: "Sends three info log messages 50 ms apart while it runs",
      run: async (args, extra) => {
        for (const [i, message] of ["Tool execution started", "Tool processing data", "Tool execution completed"].entries()) {
          if (i > 0) await sleep(50);
          await log(extra, "info", message);
        }
        return [text("Tool with logging executed successfully")];
      },
    },
    test_tool_with_progress: {
      description: "Reports progress 0, 50 and 100 of 100, 50 ms apart, when the call carries a progress token",
      run: async (args, extra) => {
        const progressToken = extra._meta?.progressToken;
        for (const [i, progress] of [0, 50, 100].entries()) {
          if (i > 0) await sleep(50);
          if (progressToken !== undefined) {
            await extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress, total: 100 } });
          }
        }
        return [text("Tool with progress executed successfully")];
      },
    },
    test_error_handling: {
      description: "Always fails",
      run: () => { throw new Error("This tool intentionally returns an error for testing"); },
    },

    // Requests back to the client (tools-call-sampling, tools-call-elicitation, elicitation-sep1034-defaults,
    // elicitation-sep1330-enums); a client without the capability gets an error result.
    test_sampling: {
      description: "Asks the client's LLM to answer a prompt",
      inputSchema: strings({ prompt: "The prompt to send to the LLM" }),
      run: async ({ prompt }, extra) => {
        if (!server.getClientCapabilities()?.sampling) throw new Error("The client does not support sampling");
        const { content } = await server.createMessage({ messages: [user(text(prompt))], maxTokens: 100 }, withCall(extra));
        return [text(`LLM response: ${content.type === "text" ? content.text : JSON.stringify(content)}`)];
      },
    },
    test_elicitation: {
      description: "Asks the user for a username and an email address",
      inputSchema: strings({ message: "The message to show the user" }),
      run: async ({ message }, extra) => [text(`User response: ${await elicit(extra, message, {
        username: { type: "string", description: "User's response" },
        email: { type: "string", description: "User's email address" },
      }, ["username", "email"])}`)],
    },
    test_elicitation_sep1034_defaults: {
      description: "Asks the user for a form whose every primitive field has a default (SEP-1034)",
      run: async (args, extra) => [text(`Elicitation completed: ${await elicit(extra, "Please review your profile", {
        name: { type: "string", description: "Name", default: "John Doe" },
        age: { type: "integer", description: "Age", default: 30 },
        score: { type: "number", description: "Score", default: 95.5 },
        status: { type: "string", description: "Status", enum: ["active", "inactive", "pending"], default: "active" },
        verified: { type: "boolean", description: "Verified", default: true },
      })}`)],
    },
    test_elicitation_sep1330_enums: {
      description: "Asks the user for a form with each of the five enum shapes (SEP-1330)",
      run: async (args, extra) => [text(`Elicitation completed: ${await elicit(extra, "Please choose", {
        untitledSingle: { type: "string", description: "Untitled single-select", enum: ["option1", "option2", "option3"] },
        titledSingle: { type: "string", description: "Titled single-select", oneOf: titled("value", "First Option", "Second Option", "Third Option") },
        legacyEnum: {
          type: "string", description: "Legacy titled single-select",
          enum: ["opt1", "opt2", "opt3"], enumNames: ["Option One", "Option Two", "Option Three"],
        },
        untitledMulti: { type: "array", description: "Untitled multi-select", items: { type: "string", enum: ["option1", "option2", "option3"] } },
        titledMulti: { type: "array", description: "Titled multi-select", items: { anyOf: titled("value", "First Choice", "Second Choice", "Third Choice") } },
      })}`)],
    },

    // An input schema using JSON Schema 2020-12 keywords, listed as written (json-schema-2020-12).
    json_schema_2020_12_tool: {
      description: "Tool with JSON Schema 2020-12 features",
      inputSchema: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        $defs: { address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
        properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
        additionalProperties: false,
      },
      run: (args) => [text(`Received: ${JSON.stringify(args)}`)],
    },

    // SSE polling (server-sse-polling): over Streamable HTTP with an event store, closes its own call's SSE stream
    // before answering, so the answer reaches the client when it reconnects with Last-Event-ID; elsewhere it just answers.
    test_reconnection: {
      description: "Closes the SSE stream of its own call, then answers on the resumed stream",
      run: async (args, extra) => {
        extra.closeSSEStream?.();
        await sleep(100);
        return [text("Reconnection test completed successfully")];
      },
    },
  };
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: Object.entries(tools).map(([name, { description, inputSchema = { type: "object", properties: {} } }]) => ({ name, description, inputSchema })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async ({ params: { name, arguments: args = {} } }, extra) => {
    const tool = own(tools, name) ?? fail(`Unknown tool: ${name}`);
    requireArguments(tool.inputSchema?.required ?? [], args);
    try {
      return { content: await tool.run(args, extra) };
    } catch (error) {
      return { isError: true, content: [text(error instanceof Error ? error.message : String(error))] };
    }
  });

  // Resources (resources-list, -read-text, -read-binary, -templates-read, -subscribe, -unsubscribe).
  const resources = {
    "test://static-text": {
      name: "static-text", description: "A static text resource",
      mimeType: "text/plain", text: "This is the content of the static text resource.",
    },
    "test://static-binary": { name: "static-binary", description: "A static binary resource (a 1x1 red PNG)", mimeType: "image/png", blob: PNG },
    "test://watched-resource": {
      name: "watched-resource", description: "A resource to subscribe to", mimeType: "text/plain", text: "This resource can be watched.",
    },
  };
  const template = { uriTemplate: "test://template/{id}/data", name: "template-data", description: "Data for the given id", mimeType: "application/json" };
  const subscriptions = new Set(); // nothing here ever changes a resource, so no update is ever sent
  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: Object.entries(resources).map(([uri, { name, description, mimeType }]) => ({ uri, name, description, mimeType })),
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [template] }));
  server.setRequestHandler(ReadResourceRequestSchema, ({ params: { uri } }) => {
    const id = /^test:\/\/template\/([^/]+)\/data$/.exec(uri)?.[1];
    if (id !== undefined) {
      return { contents: [{ uri, mimeType: template.mimeType, text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }] };
    }
    const { name, description, ...content } = own(resources, uri) ?? fail(`Resource not found: ${uri}`, -32002);
    return { contents: [{ uri, ...content }] };
  });
  server.setRequestHandler(SubscribeRequestSchema, ({ params: { uri } }) => { subscriptions.add(uri); return {}; });
  server.setRequestHandler(UnsubscribeRequestSchema, ({ params: { uri } }) => { subscriptions.delete(uri); return {}; });

  // Prompts (prompts-list, prompts-get-simple, -with-args, -embedded-resource, -with-image).
  const required = (name, description) => ({ name, description, required: true });
  const prompts = {
    test_simple_prompt: { description: "A prompt without arguments", get: () => [user(text("This is a simple prompt for testing."))] },
    test_prompt_with_arguments: {
      description: "A prompt with two arguments",
      arguments: [required("arg1", "First test argument"), required("arg2", "Second test argument")],
      get: ({ arg1, arg2 }) => [user(text(`Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`))],
    },
    test_prompt_with_embedded_resource: {
      description: "A prompt embedding a resource",
      arguments: [required("resourceUri", "URI of the resource to embed")],
      get: ({ resourceUri }) => [user(embedded(resourceUri, "text/plain", "Embedded resource content for testing.")),
        user(text("Please process the embedded resource above."))],
    },
    test_prompt_with_image: {
      description: "A prompt with an image",
      get: () => [user(image()), user(text("Please analyze the image above."))],
    },
  };
  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: Object.entries(prompts).map(([name, { description, arguments: args }]) => ({ name, description, arguments: args })),
  }));
  server.setRequestHandler(GetPromptRequestSchema, ({ params: { name, arguments: args = {} } }) => {
    const prompt = own(prompts, name) ?? fail(`Unknown prompt: ${name}`);
    requireArguments((prompt.arguments ?? []).filter((argument) => argument.required).map((argument) => argument.name), args);
    return { description: prompt.description, messages: prompt.get(args) };
  });

  // Completion (completion-complete): the known values of an argument that start with what was typed so far.
  const completions = {
    "ref/prompt test_prompt_with_arguments": { arg1: ["paris", "park", "party"], arg2: ["hello", "help", "world"] },
    [`ref/resource ${template.uriTemplate}`]: { id: ["123", "456", "789"] },
  };
  server.setRequestHandler(CompleteRequestSchema, ({ params: { ref, argument } }) => {
    const known = own(own(completions, `${ref.type} ${ref.name ?? ref.uri}`) ?? {}, argument.name) ?? [];
    const values = known.filter((value) => value.startsWith(argument.value));
    return { completion: { values, total: values.length, hasMore: false } };
  });

  return server;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await createConformanceServer().connect(new StdioServerTransport());
}
