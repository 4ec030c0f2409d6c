// A legacy MCP server over stdio (`node legacy-silent-server.mjs`) that answers only the methods it knows and drops any
// other request without an answer, as some servers do: the server/discover probe of MCP 2026-07-28 never gets one, so a
// client's probe has to give up on its own.
import { createInterface } from "node:readline";

const write = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);

const handlers = {
  initialize: () => ({
    protocolVersion: "2025-11-25",
    capabilities: { tools: {} },
    serverInfo: { name: "mcplambda-legacy-silent-server", version: "1.0.0" },
  }),
  "tools/list": () => ({
    tools: [{ name: "echo", inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] } }],
  }),
  "tools/call": ({ params }) => ({ content: [{ type: "text", text: `Echo: ${params.arguments?.message}` }] }),
};

for await (const line of createInterface({ input: process.stdin })) {
  const message = JSON.parse(line);
  const handler = handlers[message.method];
  if (message.id !== undefined && handler) {
    write({ id: message.id, result: handler(message) });
  }
}
