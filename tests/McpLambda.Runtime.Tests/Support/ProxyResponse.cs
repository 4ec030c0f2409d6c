using System.Text;
using System.Text.Json;

namespace McpLambda.Runtime.Tests.Support;

/// <summary>An API Gateway REST proxy response (payload 1.0) read back from the bytes a transport returned.</summary>
internal sealed class ProxyResponse
{
    private ProxyResponse(int statusCode, Dictionary<string, string> headers, Dictionary<string, List<string>> multiValueHeaders, string? body, bool isBase64Encoded)
    {
        StatusCode = statusCode;
        Headers = headers;
        MultiValueHeaders = multiValueHeaders;
        Body = body;
        IsBase64Encoded = isBase64Encoded;
    }

    public int StatusCode { get; }

    public Dictionary<string, string> Headers { get; }

    public Dictionary<string, List<string>> MultiValueHeaders { get; }

    public string? Body { get; }

    public bool IsBase64Encoded { get; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body parsed as JSON; fails the test when there is none.</summary>
    public JsonElement Json()
    {
        Assert.False(IsBase64Encoded);
        Assert.NotNull(Body);
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public static ProxyResponse Parse(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in h.EnumerateObject())
            {
                headers[property.Name] = property.Value.GetString()!;
            }
        }

        var multi = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("multiValueHeaders", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in m.EnumerateObject())
            {
                multi[property.Name] = [.. property.Value.EnumerateArray().Select(v => v.GetString()!)];
            }
        }

        var body = root.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        var isBase64 = root.TryGetProperty("isBase64Encoded", out var e) && e.GetBoolean();
        return new ProxyResponse(root.GetProperty("statusCode").GetInt32(), headers, multi, body, isBase64);
    }

    public override string ToString() => $"{StatusCode} {string.Join("; ", Headers.Select(kv => kv.Key + ": " + kv.Value))}\n{Body}";

    public static string Text(byte[] payload) => Encoding.UTF8.GetString(payload);
}
