"""A small stdio MCP server for the python3.13 host: two tools, echo and env (a variable of its environment). Newline-delimited JSON-RPC on stdin/stdout."""
import json
import os
import sys

TOOLS = [{
    "name": "echo",
    "description": "Echoes the message back",
    "inputSchema": {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]},
}, {
    "name": "env",
    "description": "A variable of the server's environment, or (unset)",
    "inputSchema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
}]


def answer(message):
    method = message.get("method")
    if method == "initialize":
        return {
            "protocolVersion": message["params"].get("protocolVersion", "2025-06-18"),
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "python-echo", "version": "1.0.0"},
        }
    if method == "ping":
        return {}
    if method == "tools/list":
        return {"tools": TOOLS}
    if method == "tools/call" and message["params"]["name"] == "echo":
        text = "Echo from Python: " + message["params"]["arguments"]["message"]
        return {"content": [{"type": "text", "text": text}]}
    if method == "tools/call" and message["params"]["name"] == "env":
        value = os.environ.get(message["params"]["arguments"]["name"], "(unset)")
        return {"content": [{"type": "text", "text": value}]}
    return None


for line in sys.stdin:
    if not line.strip():
        continue
    request = json.loads(line)
    if "id" not in request or "method" not in request:
        continue  # notifications and responses need no answer
    result = answer(request)
    if result is None:
        reply = {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": "Method not found"}}
    else:
        reply = {"jsonrpc": "2.0", "id": request["id"], "result": result}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
