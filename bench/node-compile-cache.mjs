// Does node's V8 compile cache (NODE_COMPILE_CACHE, node >= 22.1) shorten the wrapped server's start?
// Times spawn -> answered `initialize` of server-everything, alternating runs without and with a cache that one
// clean run filled beforehand (node writes the cache at a normal exit, not when killed).
//
//   node bench/node-compile-cache.mjs <node binary> <server-everything dist/index.js> [runs]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [node, script, runs] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 15)];
const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } };

/** Milliseconds from spawn to the initialize answer; a clean run closes stdin and waits for the server to exit. */
const once = (env, clean = false) => new Promise((resolve, reject) => {
  const started = performance.now();
  const child = spawn(node, [script, "stdio"], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "ignore"] });
  let output = "";
  child.on("error", reject);
  child.stdout.on("data", (chunk) => {
    output += chunk;
    if (!output.includes('"id":1')) return;
    const ms = performance.now() - started;
    if (!clean) {
      child.kill();
      resolve(ms);
      return;
    }
    const timer = setTimeout(() => child.kill(), 5000);
    child.on("exit", () => { clearTimeout(timer); resolve(ms); });
    child.stdin.end();
  });
  child.stdin.write(JSON.stringify(initialize) + "\n");
});

const summary = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms [${sorted[0].toFixed(0)}-${sorted.at(-1).toFixed(0)}]`;
};

const cache = mkdtempSync(join(tmpdir(), "node-compile-cache-"));
try {
  await once({ NODE_COMPILE_CACHE: cache }, true);
  const without = [], withCache = [];
  for (let i = 0; i < runs; i++) {
    without.push(await once({}));
    withCache.push(await once({ NODE_COMPILE_CACHE: cache }));
  }
  const version = await new Promise((resolve) => { const v = spawn(node, ["--version"]); let out = ""; v.stdout.on("data", (c) => (out += c)); v.on("exit", () => resolve(out.trim())); });
  console.log(`node ${version}, spawn -> initialize answered, median of ${runs} [min-max]: no cache ${summary(without)}; filled NODE_COMPILE_CACHE ${summary(withCache)}`);
} finally {
  rmSync(cache, { recursive: true, force: true });
}
