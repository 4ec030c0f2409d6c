using System.Text.Json.Serialization;

namespace McpLambda.Runtime.Secrets;

/// <summary><c>GetParameters</c>' request.</summary>
internal sealed class GetParametersInput
{
    public required string[] Names { get; init; }

    public bool WithDecryption { get; init; }
}

/// <summary><c>GetParameters</c>' answer: the parameters found (names not found are in <c>InvalidParameters</c>, which the caller infers).</summary>
internal sealed class GetParametersResult
{
    public List<SsmParameter>? Parameters { get; init; }
}

/// <summary>One parameter of <see cref="GetParametersResult"/>.</summary>
internal sealed class SsmParameter
{
    public string? Name { get; init; }

    public string? ARN { get; init; }

    public string? Selector { get; init; }

    public string? Value { get; init; }
}

/// <summary>A JSON 1.1 error body.</summary>
internal sealed class ErrorBody
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    public string? Message { get; init; }
}

/// <summary>Serialization of the <c>GetParameters</c> call (JSON 1.1 names its members as the API does; errors say <c>message</c> or <c>Message</c>).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetParametersInput))]
[JsonSerializable(typeof(GetParametersResult))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class SsmJsonContext : JsonSerializerContext;
