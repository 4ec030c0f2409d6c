// Drives the reference adapter (@aws/run-mcp-servers-with-aws-lambda) in-process, the way the Lambda
// Node.js runtime would: it imports the API Gateway (REST, v1) handler from the reference README's
// example, wraps the same server the McpLambda sample wraps, and calls the handler with API Gateway
// proxy events. It prints one JSON object per line on stdout for the benchmark driver:
//
//   {"kind":"imported","ms":..}                  after the import (ms since this process's time origin)
//   {"kind":"request","i":n,"ms":..}             one per timed request (handler call to its result)
//   {"kind":"done","pid":..}                     then it waits until stdin closes, so that the driver
//                                                can read its resident memory while it is still alive
//
// Usage: node drive.mjs --event <event.json> [--count N] [--warmup N] [--cold] [--server npx|node]
//   --cold   answers exactly one event, right after the import (no warm-up).
//   --server npx (default): `npx --offline @modelcontextprotocol/server-everything`, as the sample does;
//            node: `node <node_modules>/@modelcontextprotocol/server-everything/dist/index.js stdio`.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const {
  APIGatewayProxyEventHandler,
  StdioServerAdapterRequestHandler,
} = await import("@aws/run-mcp-servers-with-aws-lambda");
emit({ kind: "imported", ms: performance.now() });

const args = parseArgs(process.argv.slice(2));
const here = dirname(fileURLToPath(import.meta.url));
const serverParams =
  args.server === "node"
    ? {
        command: process.execPath,
        args: [join(here, "node_modules/@modelcontextprotocol/server-everything/dist/index.js"), "stdio"],
        cwd: here,
      }
    : {
        command: "npx",
        args: ["--offline", "@modelcontextprotocol/server-everything"],
        cwd: here,
      };

// Exactly the README's shape: new APIGatewayProxyEventHandler(new StdioServerAdapterRequestHandler(serverParams)).
const requestHandler = new APIGatewayProxyEventHandler(new StdioServerAdapterRequestHandler(serverParams));
const handler = (event, context) => requestHandler.handle(event, context);

const template = JSON.parse(readFileSync(args.event, "utf8"));
const count = args.cold ? 1 : args.count;
const warmup = args.cold ? 0 : args.warmup;
for (let i = 0; i < warmup + count; i++) {
  const id = 1_000_000 + i;
  const message = `bench ${i}`;
  const event = makeEvent(template, id, message);
  const started = performance.now();
  const result = await handler(event, makeContext(id));
  const elapsed = performance.now() - started;
  check(result, id, message);
  if (i >= warmup) {
    emit({ kind: "request", i: i - warmup, ms: elapsed });
  }
}

emit({ kind: "done", pid: process.pid });
// Stay alive (without children: the reference stops its server after every request) until the driver
// has read our memory figures and closes stdin.
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));

function makeEvent(template, id, message) {
  const event = structuredClone(template);
  event.body = JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "echo", arguments: { message } },
  });
  event.isBase64Encoded = false;
  event.requestContext = { ...event.requestContext, requestId: `bench-${id}`, requestTimeEpoch: Date.now() };
  return event;
}

function makeContext(id) {
  const deadline = Date.now() + 60_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "bench-reference",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bench-reference",
    memoryLimitInMB: "1024",
    awsRequestId: `bench-${id}`,
    logGroupName: "/aws/lambda/bench-reference",
    logStreamName: "bench",
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done() {},
    fail() {},
    succeed() {},
  };
}

function check(result, id, message) {
  const body = result && typeof result.body === "string" ? result.body : "";
  if (result?.statusCode !== 200 || !body.includes(`"id":${id}`) || !body.includes(message)) {
    process.stderr.write(`unexpected response to request ${id}: ${JSON.stringify(result)}\n`);
    process.exit(3);
  }
}

function parseArgs(argv) {
  const parsed = { event: "", count: 30, warmup: 1, cold: false, server: "npx" };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case "--event": parsed.event = argv[++i]; break;
      case "--count": parsed.count = Number(argv[++i]); break;
      case "--warmup": parsed.warmup = Number(argv[++i]); break;
      case "--cold": parsed.cold = true; break;
      case "--server": parsed.server = argv[++i]; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!parsed.event) throw new Error("--event <file> is required");
  return parsed;
}

function emit(line) {
  process.stdout.write(JSON.stringify(line) + "\n");
}
