#!/usr/bin/env node
// A stdio MCP server that misbehaves on request, to test how the bridge copes.
// Start modes (argv[2]): "normal" (default), "exit-at-start", "garbage-at-start".
// Each tool is one fault: crash, hang, freeze, garbage, stderr-flood, huge, slow, sampling, env, notify, pid, echo,
// progress (steps progress notifications, ms apart; with args.gate, the rest waits until that file exists),
// flood-progress (args.steps progress notifications of args.bytes of padding each, all at once), notify-then-crash; stderr-line writes one stderr line, then
// answers after args.ms; "cancelled" lists the request ids the client cancelled; "unanswered" lists the ids of its own
// requests to the client that still wait for an answer.
import fs from "node:fs";
import readline from "node:readline";

const mode = process.argv[2] ?? "normal";
// A start fault switched on and off from outside: while the file named here exists, each start fails as it says
// ("kill": the process is killed by SIGKILL, as from outside; anything else: it exits with code 3).
const startFault = process.env.MISBEHAVING_START_FAULT_FILE;
if (startFault && fs.existsSync(startFault)) {
  const how = fs.readFileSync(startFault, "utf8").trim();
  if (how === "kill") {
    process.kill(process.pid, "SIGKILL");
  }
  process.stderr.write(`misbehaving-server: start fault (${how})\n`);
  process.exit(3);
}
if (mode === "exit-at-start") {
  process.stderr.write("misbehaving-server: refusing to start (exit-at-start)\n");
  process.exit(3);
}

const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const text = (id, value) => send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: value }] } });
const waiting = new Map();
let nextServerRequest = 1;
const cancelled = [];

const tools = ["echo", "crash", "hang", "freeze", "cancelled", "garbage", "stderr-flood", "huge", "slow", "sampling", "env", "notify", "pid", "progress", "flood-progress", "notify-then-crash", "stderr-line", "unanswered"].map((name) => ({
  name,
  description: `misbehaviour: ${name}`,
  inputSchema: { type: "object", properties: { message: { type: "string" }, ms: { type: "number" }, bytes: { type: "number" }, name: { type: "string" }, steps: { type: "number" }, gate: { type: "string" } } },
}));

if (mode === "garbage-at-start") {
  process.stdout.write("this is not JSON, it is a banner\n");
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const call = async (id, name, args, meta) => {
  switch (name) {
    case "progress": {
      const steps = args.steps ?? 3;
      for (let i = 1; i <= steps; i++) {
        await sleep(args.ms ?? 300);
        send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: meta?.progressToken, progress: i, total: steps } });
        // With a gate, nothing more is sent until the client has seen this first event and created the file.
        for (let waited = 0; i === 1 && args.gate && !fs.existsSync(args.gate); waited += 20) {
          if (waited > 20000) return text(id, "the gate never opened");
          await sleep(20);
        }
      }
      await sleep(args.ms ?? 300);
      return text(id, `${steps} steps done`);
    }
    case "flood-progress": {
      const steps = args.steps ?? 100;
      const padding = "p".repeat(args.bytes ?? 64 * 1024);
      for (let i = 1; i <= steps; i++) {
        send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: meta?.progressToken, progress: i, total: steps, message: padding } });
      }
      return text(id, `${steps} notifications sent`);
    }
    case "notify-then-crash":
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "about to crash" } });
      await sleep(args.ms ?? 300);
      process.exit(7);
    case "echo":
      return text(id, `Echo: ${args.message}`);
    case "crash":
      process.stderr.write("misbehaving-server: about to crash\n");
      process.stderr.write("misbehaving-server: fatal: simulated failure\n");
      process.exit(7);
    case "hang":
      return; // never answers, but keeps serving others
    case "freeze": {
      // Blocks the event loop: the server is stuck and answers nothing, not even ping, until it ends.
      const end = Date.now() + (args.ms ?? 60000);
      while (Date.now() < end) {}
      return text(id, "thawed");
    }
    case "cancelled":
      return text(id, JSON.stringify(cancelled));
    case "unanswered":
      return text(id, JSON.stringify([...waiting.keys()]));
    case "garbage":
      process.stdout.write("garbage line that is not JSON\n");
      process.stdout.write("{\"half\": \n");
      return text(id, "after garbage");
    case "stderr-flood":
      for (let i = 0; i < 5000; i++) process.stderr.write(`flood line ${i}\n`);
      return text(id, "after flood");
    case "huge":
      return text(id, "x".repeat(args.bytes ?? 8 * 1024 * 1024));
    case "slow":
      await new Promise((r) => setTimeout(r, args.ms ?? 1000));
      return text(id, `slept ${args.ms ?? 1000} ms`);
    case "sampling": {
      const requestId = `srv-${nextServerRequest++}`;
      const answer = new Promise((resolve) => waiting.set(requestId, resolve));
      send({ jsonrpc: "2.0", id: requestId, method: "sampling/createMessage", params: { messages: [], maxTokens: 10 } });
      const reply = await answer;
      return text(id, `sampling answered: ${JSON.stringify(reply.error ?? reply.result)}`);
    }
    case "env":
      return text(id, process.env[args.name] ?? "(unset)");
    case "stderr-line":
      process.stderr.write(`${args.message}\n`);
      await new Promise((r) => setTimeout(r, args.ms ?? 300));
      return text(id, "wrote to stderr");
    case "pid":
      return text(id, String(process.pid));
    case "notify":
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "progress from the server" } });
      return text(id, "notified");
    default:
      return send({ jsonrpc: "2.0", id, error: { code: -32602, message: `Unknown tool: ${name}` } });
  }
};

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const message = JSON.parse(line);
  if (message.method === undefined && message.id !== undefined) {
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
    return;
  }
  switch (message.method) {
    case "initialize":
      return send({ jsonrpc: "2.0", id: message.id, result: { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "misbehaving-server", version: "1.0.0" } } });
    case "tools/list":
      return send({ jsonrpc: "2.0", id: message.id, result: { tools } });
    case "tools/call":
      return call(message.id, message.params.name, message.params.arguments ?? {}, message.params._meta);
    case "ping":
      return send({ jsonrpc: "2.0", id: message.id, result: {} });
    case "notifications/cancelled":
      return cancelled.push(message.params?.requestId);
    default:
      if (message.id !== undefined) send({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } });
  }
});
