using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpLambda.Bench;

/// <summary>
/// API Gateway REST (v1) proxy events carrying one <c>tools/call</c> of the <c>echo</c> tool, made from the
/// AWS-documented template with a unique JSON-RPC id each. The body is plain JSON
/// (<c>isBase64Encoded: false</c>) because the reference adapter does not decode base64 bodies; ours
/// handles both, so the same event goes to both.
/// </summary>
internal sealed class EchoEvents(string templateFile, string? authorization = null)
{
    private readonly JsonObject _template = JsonNode.Parse(File.ReadAllText(templateFile))!.AsObject();
    private int _next = 1;

    /// <summary>The URL the event addresses, as a client sent it (https, Host, the stage's path): an OAuth token's audience.</summary>
    public string Resource => $"https://{_template["headers"]!["Host"]}{_template["requestContext"]!["path"]}";

    /// <summary>The same events carrying <c>Authorization: <paramref name="value"/></c>.</summary>
    public EchoEvents WithAuthorization(string value) => new(templateFile, value);

    public (byte[] Payload, int Id, string Message) Next()
    {
        var id = Interlocked.Increment(ref _next);
        var message = $"bench {id}";
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = "tools/call",
            ["params"] = new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["message"] = message } },
        };
        var evt = _template.DeepClone().AsObject();
        evt["body"] = body.ToJsonString();
        evt["isBase64Encoded"] = false;
        evt["requestContext"]!["requestId"] = $"bench-{id}";
        if (authorization is not null)
        {
            evt["headers"]!["Authorization"] = authorization;
            evt["multiValueHeaders"]!["Authorization"] = new JsonArray(authorization);
        }

        return (Encoding.UTF8.GetBytes(evt.ToJsonString()), id, message);
    }

    /// <summary>Checks an API Gateway proxy response: 200 and a JSON-RPC result for <paramref name="id"/> that echoes <paramref name="message"/>.</summary>
    public static void Check(byte[] payload, int id, string message)
    {
        using var response = JsonDocument.Parse(payload);
        var root = response.RootElement;
        var status = root.TryGetProperty("statusCode", out var s) ? s.GetInt32() : 0;
        var body = root.TryGetProperty("body", out var b) ? b.GetString() ?? "" : "";
        if (root.TryGetProperty("isBase64Encoded", out var encoded) && encoded.ValueKind == JsonValueKind.True)
        {
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        }

        if (status != 200 || !body.Contains($"\"id\":{id}", StringComparison.Ordinal) || !body.Contains(message, StringComparison.Ordinal) || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"unexpected response to request {id}: {Encoding.UTF8.GetString(payload)}");
        }
    }
}
