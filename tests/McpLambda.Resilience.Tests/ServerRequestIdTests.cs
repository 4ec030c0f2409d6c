using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Tests;
using ModelContextProtocol.Protocol;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// The id a server's request to a client goes out under is a bearer secret (whoever knows it can answer for the client),
/// so all 128 bits after its prefix come from the cryptographic random source: none is fixed, as a GUID's version and
/// variant bits are.
/// </summary>
public sealed class ServerRequestIdTests
{
    private const string Prefix = "mcp-lambda-";
    private const int Requests = 64;

    [Fact]
    public async Task Every_id_is_the_prefix_and_32_random_hex_digits()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var client = new LiveClient(request => bridge.HandleAsync(Answer(request.Id), CancellationToken.None).AsTask());
        for (var i = 0; i < Requests; i++)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Contains("sampling answered", (await bridge.HandleAsync(MisbehavingServer.Call("sampling", id: i), client, deadline.Token)).Text());
        }

        var ids = client.Requests.Select(r => Assert.IsType<string>(r.Id.Id)).ToList();
        Assert.Equal(Requests, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^mcp-lambda-[0-9a-f]{32}$", id));

        // A GUID's 13th digit is always its version (4), its 17th one of 8, 9, a, b: 64 random ids show either pattern
        // with a chance of about 2^-124.
        var digits = ids.Select(id => id[Prefix.Length..]).ToList();
        Assert.True(digits.Select(d => d[12]).Distinct().Count() > 1, "the 13th digit never varies: " + string.Join(", ", ids.Take(4)));
        Assert.Contains(digits, d => d[16] is not ('8' or '9' or 'a' or 'b'));
    }

    private static JsonRpcResponse Answer(RequestId id) => new()
    {
        Id = id,
        Result = new JsonObject { ["role"] = "assistant", ["content"] = new JsonObject { ["type"] = "text", ["text"] = "ok" }, ["model"] = "test" },
    };
}
