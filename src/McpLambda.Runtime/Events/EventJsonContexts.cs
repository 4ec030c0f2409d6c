using System.Text.Json.Serialization;

namespace McpLambda.Runtime.Events;

// One context per event family, so a function that names one transport keeps only that
// transport's serialization code after trimming.

/// <summary>Serialization of API Gateway REST (payload 1.0) events.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiGatewayProxyRequest))]
[JsonSerializable(typeof(ApiGatewayProxyResponse))]
internal sealed partial class ApiGatewayJsonContext : JsonSerializerContext;

/// <summary>Serialization of payload 2.0 events (HTTP API and function URLs).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
internal sealed partial class HttpApiJsonContext : JsonSerializerContext;
