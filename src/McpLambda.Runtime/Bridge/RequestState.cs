using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Authorization;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The <c>requestState</c> of a multi round-trip request: which caller and which request it belongs to (the method and a
/// digest of its params), the paused call holding it in the environment that made it, and the inputs asked and answered
/// so far, sealed (AES-256-GCM, with an expiry) so that a client can neither read nor alter it, and no other caller or
/// request can use it.
/// </summary>
/// <param name="Caller">The authenticated principal, or empty without one.</param>
/// <param name="Method">The request's method.</param>
/// <param name="Digest">The digest of the request's params (see <see cref="DigestOf"/>).</param>
/// <param name="PausedCall">The id of the paused call in the environment that sealed the state.</param>
/// <param name="Answered">The inputs answered in earlier rounds, in the order the server asked.</param>
/// <param name="Pending">The inputs asked in the last round.</param>
internal sealed record RequestState(string Caller, string Method, string Digest, string PausedCall, IReadOnlyList<InputExchange> Answered, IReadOnlyList<InputExchange> Pending)
{
    private const string Purpose = "mcp-request-state";

    /// <summary>Seals the state for <paramref name="lifetime"/>.</summary>
    public string Seal(FlowSeal seal, TimeSpan lifetime)
        => seal.Seal(Purpose, lifetime, Caller, Method, Digest, PausedCall, Write(Answered).ToJsonString(), Write(Pending).ToJsonString());

    /// <summary>The state <paramref name="text"/> holds; null when it is not one this function sealed, was altered, or has expired.</summary>
    public static RequestState? Open(FlowSeal seal, string? text)
    {
        if (seal.Open(Purpose, text) is not [{ } caller, { } method, { } digest, { } paused, { } answered, { } pending])
        {
            return null;
        }

        return new RequestState(caller, method, digest, paused, Read(answered), Read(pending));
    }

    /// <summary>
    /// The digest of a request's own params: without its <c>_meta</c> (which the client may word differently on a retry)
    /// and without the retry's <c>inputResponses</c> and <c>requestState</c>.
    /// </summary>
    public static string DigestOf(JsonObject ownParams)
        => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ownParams.ToJsonString())));

    private static JsonArray Write(IReadOnlyList<InputExchange> inputs)
        => [.. inputs.Select(i => (JsonNode)new JsonObject { ["k"] = i.Key, ["m"] = i.Method, ["p"] = i.Params?.DeepClone(), ["r"] = i.Response?.DeepClone() })];

    private static InputExchange[] Read(string json)
        => [.. JsonNode.Parse(json)!.AsArray().Select(i => new InputExchange(i!["k"]!.GetValue<string>(), i["m"]!.GetValue<string>(), i["p"]?.DeepClone(), i["r"]?.DeepClone()))];
}
