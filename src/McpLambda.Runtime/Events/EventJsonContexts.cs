using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpLambda.Runtime.Events;

// One context per event family, so a function with one way in keeps only that
// event family's serialization code after trimming.

/// <summary>Serialization of API Gateway REST (payload 1.0) events.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiGatewayProxyRequest))]
[JsonSerializable(typeof(ApiGatewayProxyResponse))]
internal sealed partial class ApiGatewayJsonContext : JsonSerializerContext
{
    /// <summary>The context used for events: bodies keep non-ASCII text as it is (see <see cref="EventJson"/>).</summary>
    public static ApiGatewayJsonContext Events { get; } = new(EventJson.Options());
}

/// <summary>Serialization of payload 2.0 events (HTTP API and function URLs).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
internal sealed partial class HttpApiJsonContext : JsonSerializerContext
{
    /// <summary>The context used for events: bodies keep non-ASCII text as it is (see <see cref="EventJson"/>).</summary>
    public static HttpApiJsonContext Events { get; } = new(EventJson.Options());
}

/// <summary>Options shared by the event contexts.</summary>
internal static class EventJson
{
    /// <summary>
    /// A response body travels as a JSON string inside the response event (<see cref="EventBody"/>): escaping only what
    /// JSON requires (quotes, backslashes, control characters) keeps non-ASCII text from growing sixfold, which matters
    /// under Lambda's 6 MB response limit.
    /// </summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonSerializerOptions Options() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = Encoder,
    };
}
