// Connects the MCP TypeScript SDK's own client to a Streamable HTTP endpoint and prints what it saw as one JSON line.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const client = new Client({ name: "mcplambda-e2e", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL(process.argv[2])));
const tools = await client.listTools();
const echo = await client.callTool({ name: "echo", arguments: { message: "from the TypeScript SDK" } });
const sum = await client.callTool({ name: "get-sum", arguments: { a: 40, b: 2 } });
const progress = [];
await client.callTool(
  { name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } },
  undefined,
  { onprogress: (p) => progress.push(p.progress) });
console.log(JSON.stringify({
  server: client.getServerVersion(),
  protocolVersion: client.transport?.protocolVersion ?? null,
  tools: tools.tools.map((t) => t.name),
  echo: echo.content[0].text,
  sum: sum.content[0].text,
  progress,
}));
await client.close();
