using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>The result of <see cref="AgentCoreToolSchemaConverter.Convert(IEnumerable{JsonNode?})"/>.</summary>
/// <param name="Tools">The tool definitions, ready to be a Lambda target's <c>toolSchema.inlinePayload</c> (or the JSON document its <c>s3</c> location names).</param>
/// <param name="Changes">Every rewrite made, in tool order.</param>
internal sealed record AgentCoreToolSchemaConversion(JsonArray Tools, IReadOnlyList<AgentCoreSchemaChange> Changes);
