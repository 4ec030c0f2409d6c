// Drives many tools/call echo requests at a fixed concurrency through the MCP TypeScript SDK's own client, and prints
// one JSON line with how each call ended: a result (checked against what was sent), a JSON-RPC error by code, or
// something else (an HTTP or transport failure, or the SDK's own timeout: a call left without an answer).
// Usage: node chaos-client.mjs <url> <calls> <concurrency>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";

const [url, callsArg, concurrencyArg] = process.argv.slice(2);
const calls = Number(callsArg);
const concurrency = Number(concurrencyArg);
const clientTimeoutMs = 20000;

const connect = async () => {
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ name: "mcplambda-chaos", version: "1.0.0" });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      return client;
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

const client = await connect();
process.stderr.write("connected\n");
const outcomes = {};
const examples = {};
let mismatched = 0;
let unanswered = 0;
let next = 0;
const count = (key) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
const started = Date.now();

const worker = async () => {
  for (let i = next++; i < calls; i = next++) {
    try {
      const result = await client.callTool({ name: "echo", arguments: { message: `chaos ${i}` } }, undefined, { timeout: clientTimeoutMs });
      if (result.content?.[0]?.text === `Echo: chaos ${i}`) {
        count("result");
      } else {
        mismatched++;
        count("mismatched result");
      }
    } catch (error) {
      if (error instanceof McpError && error.code === -32001 && String(error.message).includes("Request timed out")) {
        unanswered++;
        count("no answer (client timeout)");
      } else if (error instanceof McpError) {
        count(`JSON-RPC ${error.code}`);
        examples[`JSON-RPC ${error.code}`] ??= String(error.message).slice(0, 300);
      } else {
        count(`other: ${error?.constructor?.name ?? "error"}: ${String(error?.message ?? error).slice(0, 300)}`);
      }
    }
  }
};

await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ calls, concurrency, outcomes, examples, mismatched, unanswered, durationMs: Date.now() - started }));
await client.close();
