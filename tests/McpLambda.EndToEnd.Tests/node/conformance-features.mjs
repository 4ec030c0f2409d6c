// What the project's own MCP test servers offer, whatever protocol era serves it: the tools, resources, prompts and
// completions the server scenarios of the official MCP conformance suite (@modelcontextprotocol/conformance) ask for,
// under their names and with their contents, written from those scenarios' descriptions.
//
// conformance-server.mjs serves them to legacy clients (the initialize handshake, 2025-11-25 and older) and
// dual-era-server.mjs to modern ones too (stateless requests with per-request _meta, 2026-07-28). A tool or prompt
// runs against a context its era supplies:
//   ctx.log(level, data)          a log message, sent only when the client asked for that level or a lower one
//   ctx.progress(progress, total) a progress notification, sent only when the request carries a progress token
//   ctx.input(requests)           asks the client { key: { method, params } } and resolves to { key: result }:
//                                 legacy sends each as a request to the client and waits; modern answers the call with
//                                 an InputRequiredResult and resolves on the retry that carries the responses
//   ctx.supports(capability)      whether the client declared it ("sampling", "elicitation", "roots")
//   ctx.resumed                   whether the request continues from a requestState the server verified (modern only)
//   ctx.changeList(kind)          adds or removes the dynamic tool or prompt ("tools", "prompts") and tells listeners
//   ctx.closeStream()             closes the call's SSE stream (legacy Streamable HTTP with an event store only)
// A tool's `era` ("legacy" or "modern") limits it to one era: closing an SSE stream is legacy HTTP's, changing lists
// needs subscriptions/listen; `dynamic` ones are listed only while switched on.

// A 1x1 red PNG, and a 1 ms WAV of silence (8 kHz, 8-bit, mono).
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
const WAV = "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==";

export const text = (text) => ({ type: "text", text });
const image = () => ({ type: "image", data: PNG, mimeType: "image/png" });
const embedded = (uri, mimeType, text) => ({ type: "resource", resource: { uri, mimeType, text } });
const user = (content) => ({ role: "user", content });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const strings = (descriptions) => ({
  type: "object",
  properties: Object.fromEntries(Object.entries(descriptions).map(([name, description]) => [name, { type: "string", description }])),
  required: Object.keys(descriptions),
});
const titled = (prefix, ...titles) => titles.map((title, i) => ({ const: `${prefix}${i + 1}`, title }));

/** Looks a name up in one of the tables below without reaching Object.prototype. */
export const own = (table, key) => (Object.hasOwn(table, key) ? table[key] : undefined);

/** The client capability an input request needs. */
export const capabilityFor = { "elicitation/create": "elicitation", "sampling/createMessage": "sampling", "roots/list": "roots" };

// Input requests (the shapes both eras send; modern ones travel inside an InputRequiredResult).
const form = (message, properties, required = []) => ({
  method: "elicitation/create",
  params: { mode: "form", message, requestedSchema: { type: "object", properties, required } },
});
const sample = (prompt, maxTokens = 100) => ({
  method: "sampling/createMessage",
  params: { messages: [user(text(prompt))], maxTokens },
});
const roots = () => ({ method: "roots/list", params: {} });

// What the client answered, in words.
const elicited = ({ action, content }) => `action=${action}, content=${JSON.stringify(content ?? {})}`;
const sampled = ({ content }) => (content?.type === "text" ? content.text : JSON.stringify(content));
const rootList = ({ roots: list }) => list.map((root) => root.uri).join(", ");

export const tools = {
  // Content of every kind (tools-call-simple-text, -image, -audio, -embedded-resource, -mixed-content). First on
  // purpose: the header scenarios call the first listed tool without arguments.
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
    run: async (args, ctx) => {
      for (const [i, message] of ["Tool execution started", "Tool processing data", "Tool execution completed"].entries()) {
        if (i > 0) await sleep(50);
        await ctx.log("info", message);
      }
      return [text("Tool with logging executed successfully")];
    },
  },
  test_tool_with_progress: {
    description: "Reports progress 0, 50 and 100 of 100, 50 ms apart, when the call carries a progress token",
    run: async (args, ctx) => {
      for (const [i, progress] of [0, 50, 100].entries()) {
        if (i > 0) await sleep(50);
        await ctx.progress(progress, 100);
      }
      return [text("Tool with progress executed successfully")];
    },
  },
  test_error_handling: {
    description: "Always fails",
    run: () => { throw new Error("This tool intentionally returns an error for testing"); },
  },

  // Questions for the client (tools-call-sampling, tools-call-elicitation, elicitation-sep1034-defaults,
  // elicitation-sep1330-enums); a client without the capability gets an error.
  test_sampling: {
    description: "Asks the client's LLM to answer a prompt",
    inputSchema: strings({ prompt: "The prompt to send to the LLM" }),
    run: async ({ prompt }, ctx) => {
      const { answer } = await ctx.input({ answer: sample(prompt) });
      return [text(`LLM response: ${sampled(answer)}`)];
    },
  },
  test_elicitation: {
    description: "Asks the user for a username and an email address",
    inputSchema: strings({ message: "The message to show the user" }),
    run: async ({ message }, ctx) => {
      const { user_input } = await ctx.input({ user_input: form(message, {
        username: { type: "string", description: "User's response" },
        email: { type: "string", description: "User's email address" },
      }, ["username", "email"]) });
      return [text(`User response: ${elicited(user_input)}`)];
    },
  },
  test_elicitation_sep1034_defaults: {
    description: "Asks the user for a form whose every primitive field has a default (SEP-1034)",
    run: async (args, ctx) => {
      const { profile } = await ctx.input({ profile: form("Please review your profile", {
        name: { type: "string", description: "Name", default: "John Doe" },
        age: { type: "integer", description: "Age", default: 30 },
        score: { type: "number", description: "Score", default: 95.5 },
        status: { type: "string", description: "Status", enum: ["active", "inactive", "pending"], default: "active" },
        verified: { type: "boolean", description: "Verified", default: true },
      }) });
      return [text(`Elicitation completed: ${elicited(profile)}`)];
    },
  },
  test_elicitation_sep1330_enums: {
    description: "Asks the user for a form with each of the five enum shapes (SEP-1330)",
    run: async (args, ctx) => {
      const { choices } = await ctx.input({ choices: form("Please choose", {
        untitledSingle: { type: "string", description: "Untitled single-select", enum: ["option1", "option2", "option3"] },
        titledSingle: { type: "string", description: "Titled single-select", oneOf: titled("value", "First Option", "Second Option", "Third Option") },
        legacyEnum: {
          type: "string", description: "Legacy titled single-select",
          enum: ["opt1", "opt2", "opt3"], enumNames: ["Option One", "Option Two", "Option Three"],
        },
        untitledMulti: { type: "array", description: "Untitled multi-select", items: { type: "string", enum: ["option1", "option2", "option3"] } },
        titledMulti: { type: "array", description: "Titled multi-select", items: { anyOf: titled("value", "First Choice", "Second Choice", "Third Choice") } },
      }) });
      return [text(`Elicitation completed: ${elicited(choices)}`)];
    },
  },

  // An input schema using JSON Schema 2020-12 keywords, listed as written (json-schema-2020-12): $schema, $defs and
  // additionalProperties (SEP-1613), an $anchor, allOf/anyOf and if/then/else (SEP-2106).
  json_schema_2020_12_tool: {
    description: "Tool with JSON Schema 2020-12 features",
    inputSchema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: { address: { $anchor: "addressDef", type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
      properties: {
        name: { type: "string" },
        address: { $ref: "#/$defs/address" },
        contactMethod: { type: "string", enum: ["phone", "email"] },
        phone: { type: "string" },
        email: { type: "string" },
      },
      allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
      if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
      then: { required: ["phone"] },
      else: { required: ["email"] },
      additionalProperties: false,
    },
    run: (args) => [text(`Received: ${JSON.stringify(args)}`)],
  },

  // SSE polling (server-sse-polling): over Streamable HTTP with an event store, closes its own call's SSE stream
  // before answering, so the answer reaches the client when it reconnects with Last-Event-ID; elsewhere it just answers.
  test_reconnection: {
    era: "legacy",
    description: "Closes the SSE stream of its own call, then answers on the resumed stream",
    run: async (args, ctx) => {
      ctx.closeStream();
      await sleep(100);
      return [text("Reconnection test completed successfully")];
    },
  },

  // Multi round-trip requests (the input-required-result-* scenarios): each asks through ctx.input, so a modern
  // client gets an InputRequiredResult and completes the call by retrying it with the answers (a legacy one gets the
  // requests themselves, which a wrapper may turn into InputRequiredResults for its own modern clients).
  test_input_required_result_elicitation: {
    description: "Asks the user's name, then greets them",
    run: async (args, ctx) => {
      const { user_name } = await ctx.input({ user_name: form("What is your name?", { name: { type: "string" } }, ["name"]) });
      return [text(`Hello, ${user_name.content?.name ?? "stranger"}!`)];
    },
  },
  test_input_required_result_sampling: {
    description: "Asks the client's LLM for the capital of France",
    run: async (args, ctx) => {
      const { capital_question } = await ctx.input({ capital_question: sample("What is the capital of France?") });
      return [text(`LLM response: ${sampled(capital_question)}`)];
    },
  },
  test_input_required_result_list_roots: {
    description: "Asks the client for its roots",
    run: async (args, ctx) => {
      const { client_roots } = await ctx.input({ client_roots: roots() });
      return [text(`Client roots: ${rootList(client_roots)}`)];
    },
  },
  test_input_required_result_request_state: {
    description: "Asks for a confirmation and says whether the echoed requestState verified",
    run: async (args, ctx) => {
      const { confirm } = await ctx.input({ confirm: form("Please confirm", { ok: { type: "boolean" } }, ["ok"]) });
      return [text(`${ctx.resumed ? "state-ok" : "no state"}: ${elicited(confirm)}`)];
    },
  },
  test_input_required_result_multiple_inputs: {
    description: "Asks for a name, a greeting from the LLM and the client's roots at once",
    run: async (args, ctx) => {
      const { user_name, greeting, client_roots } = await ctx.input({
        user_name: form("What is your name?", { name: { type: "string" } }, ["name"]),
        greeting: sample("Generate a greeting", 50),
        client_roots: roots(),
      });
      return [text(`${sampled(greeting)} ${user_name.content?.name ?? "stranger"} (roots: ${rootList(client_roots)})`)];
    },
  },
  test_input_required_result_multi_round: {
    description: "Asks a name, then (in a second round) a favourite colour",
    run: async (args, ctx) => {
      const { step1 } = await ctx.input({ step1: form("Step 1: What is your name?", { name: { type: "string" } }, ["name"]) });
      const { step2 } = await ctx.input({ step2: form("Step 2: What is your favorite color?", { color: { type: "string" } }, ["color"]) });
      return [text(`${step1.content?.name} likes ${step2.content?.color}`)];
    },
  },
  test_input_required_result_tampered_state: {
    description: "Asks for a confirmation; a retry whose requestState was altered is refused",
    run: async (args, ctx) => {
      const { confirm } = await ctx.input({ confirm: form("Please confirm", { ok: { type: "boolean" } }, ["ok"]) });
      return [text(`Confirmed: ${elicited(confirm)}`)];
    },
  },
  test_input_required_result_capabilities: {
    description: "Asks the user and the LLM, but only through the capabilities the client declared",
    run: async (args, ctx) => {
      const requests = {
        ...(ctx.supports("elicitation") ? { user_name: form("What is your name?", { name: { type: "string" } }, ["name"]) } : {}),
        ...(ctx.supports("sampling") ? { capital_question: sample("What is the capital of France?") } : {}),
      };
      if (Object.keys(requests).length === 0) return [text("The client declared neither elicitation nor sampling")];
      const answers = await ctx.input(requests);
      return [text(`Answers: ${Object.keys(answers).join(", ")}`)];
    },
  },

  // Probes of the stateless architecture (server-stateless).
  test_missing_capability: {
    description: "Needs the client's LLM: a client that did not declare sampling gets MissingRequiredClientCapabilityError",
    run: async (args, ctx) => {
      const { answer } = await ctx.input({ answer: sample("Say hello") });
      return [text(`LLM response: ${sampled(answer)}`)];
    },
  },
  test_streaming_elicitation: {
    description: "Reports progress, then asks the user a question: the question travels in the result, never as a request",
    run: async (args, ctx) => {
      await ctx.progress(1, 2);
      const { answer } = await ctx.input({ answer: form("Anything to add?", { note: { type: "string" } }) });
      await ctx.progress(2, 2);
      return [text(`User response: ${elicited(answer)}`)];
    },
  },
  test_logging_tool: {
    description: "Logs at debug, info and warning: the client gets the messages at or above the level it asked for, none if it asked none",
    run: async (args, ctx) => {
      for (const level of ["debug", "info", "warning"]) await ctx.log(level, `A ${level} message`);
      return [text("Logged at debug, info and warning")];
    },
  },
  test_trigger_tool_change: {
    era: "modern",
    description: "Adds test_dynamic_tool to the tool list, or removes it, and tells the listeners",
    run: async (args, ctx) => [text(`test_dynamic_tool is now ${ctx.changeList("tools") ? "listed" : "gone"}`)],
  },
  test_trigger_prompt_change: {
    era: "modern",
    description: "Adds test_dynamic_prompt to the prompt list, or removes it, and tells the listeners",
    run: async (args, ctx) => [text(`test_dynamic_prompt is now ${ctx.changeList("prompts") ? "listed" : "gone"}`)],
  },
  test_dynamic_tool: { era: "modern", dynamic: true, description: "Listed while test_trigger_tool_change switched it on", run: () => [text("Dynamic tool called")] },

  // A parameter the HTTP client mirrors into a header (SEP-2243, http-custom-header-server-validation).
  test_header_parameter: {
    description: "Echoes its region argument, which HTTP clients also send as the Mcp-Param-Region header",
    inputSchema: {
      type: "object",
      properties: { region: { type: "string", description: "A region name", "x-mcp-header": "Region" } },
      required: ["region"],
    },
    run: ({ region }) => [text(`Region: ${region}`)],
  },
};

// Resources (resources-list, -read-text, -read-binary, -templates-read, -subscribe, -unsubscribe).
export const resources = {
  "test://static-text": {
    name: "static-text", description: "A static text resource",
    mimeType: "text/plain", text: "This is the content of the static text resource.",
  },
  "test://static-binary": { name: "static-binary", description: "A static binary resource (a 1x1 red PNG)", mimeType: "image/png", blob: PNG },
  "test://watched-resource": {
    name: "watched-resource", description: "A resource to subscribe to", mimeType: "text/plain", text: "This resource can be watched.",
  },
};
export const template = { uriTemplate: "test://template/{id}/data", name: "template-data", description: "Data for the given id", mimeType: "application/json" };

/** The contents of a resource or template instance, or undefined when there is no such resource. */
export function readResource(uri) {
  const id = /^test:\/\/template\/([^/]+)\/data$/.exec(uri)?.[1];
  if (id !== undefined) {
    return [{ uri, mimeType: template.mimeType, text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }];
  }
  const resource = own(resources, uri);
  if (resource === undefined) return undefined;
  const { name, description, ...content } = resource;
  return [{ uri, ...content }];
}

// Prompts (prompts-list, prompts-get-simple, -with-args, -embedded-resource, -with-image, and the modern
// input-required-result-non-tool-request).
const required = (name, description) => ({ name, description, required: true });
export const prompts = {
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
  test_input_required_result_prompt: {
    description: "A prompt that first asks the user what context to use",
    get: async (args, ctx) => {
      const { user_context } = await ctx.input({
        user_context: form("What context should the prompt use?", { context: { type: "string" } }, ["context"]),
      });
      return [user(text(`Use this context: ${user_context.content?.context ?? "(none given)"}`))];
    },
  },
  test_dynamic_prompt: { era: "modern", dynamic: true, description: "Listed while test_trigger_prompt_change switched it on", get: () => [user(text("Dynamic prompt"))] },
};

/** The names of a prompt's required arguments that the given arguments lack. */
export const missingArguments = (names, args) => names.filter((name) => args[name] === undefined);
export const requiredArguments = (prompt) => (prompt.arguments ?? []).filter((argument) => argument.required).map((argument) => argument.name);

// Completion (completion-complete): the known values of an argument that start with what was typed so far.
const completions = {
  "ref/prompt test_prompt_with_arguments": { arg1: ["paris", "park", "party"], arg2: ["hello", "help", "world"] },
  [`ref/resource ${template.uriTemplate}`]: { id: ["123", "456", "789"] },
};
export function complete({ ref, argument }) {
  const known = own(own(completions, `${ref.type} ${ref.name ?? ref.uri}`) ?? {}, argument.name) ?? [];
  const values = known.filter((value) => value.startsWith(argument.value));
  return { completion: { values, total: values.length, hasMore: false } };
}

/** Whether an era offers a tool or prompt: its own and both eras' ones, dynamic ones only while switched on. */
const offered = (name, entry, era, shown) => (entry.era ?? era) === era && (!entry.dynamic || shown.has(name));

/** The entries of a table an era lists. */
export const listed = (table, era, shown = new Set()) => Object.entries(table).filter(([name, entry]) => offered(name, entry, era, shown));

/** The entry of that name if the era offers it. */
export const find = (table, name, era, shown = new Set()) => {
  const entry = own(table, name);
  return entry !== undefined && offered(name, entry, era, shown) ? entry : undefined;
};
