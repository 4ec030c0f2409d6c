using System.Text.Json.Nodes;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Tests.Support;

/// <summary>The checked-in event files under <c>Fixtures/</c>.</summary>
internal static class EventFixtures
{
    public static byte[] Load(string name)
        => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json"));

    public static JsonObject LoadNode(string name)
        => JsonNode.Parse(Load(name))!.AsObject();

    /// <summary>An invocation carrying <paramref name="event"/>, as the Runtime API would hand it over.</summary>
    public static LambdaInvocation Invocation(byte[] @event, TimeSpan? timeout = null)
        => new(
            Guid.NewGuid().ToString(),
            DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30)),
            "arn:aws:lambda:us-east-1:123456789012:function:mcp-everything",
            null,
            null,
            null,
            @event);
}
