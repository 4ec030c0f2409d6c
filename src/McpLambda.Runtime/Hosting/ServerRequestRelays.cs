using Amazon.DynamoDBv2;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Features;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Relay;

namespace McpLambda.Runtime.Hosting;

/// <summary>The relay a function's settings ask for: in-process only, or through a DynamoDB table.</summary>
internal static class ServerRequestRelays
{
    public static ServerRequestRelay For(McpLambdaSettings settings)
    {
        if (settings.RelayTable is not { } table)
        {
            return new ServerRequestRelay();
        }

        if (!BuildFeatures.DynamoDbRelay)
        {
            Log.Error($"{EnvironmentVariableNames.RelayTable} names the table '{table}', but this function was built without the DynamoDB relay: set <McpLambdaDynamoDbRelay>true</McpLambdaDynamoDbRelay> in its project. Server requests reach only clients whose answers come back to this execution environment.");
            return new ServerRequestRelay();
        }

        return DynamoDb(settings, table);
    }

    private static ServerRequestRelay DynamoDb(McpLambdaSettings settings, string table)
    {
        // The default credential chain (the function's role in Lambda). Answers are taken only for this function's requests.
        var config = new AmazonDynamoDBConfig();
        if (settings.DynamoDbEndpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
        }

        Log.Info($"server requests to clients are relayed between execution environments through the DynamoDB table '{table}', polled every {settings.RelayPollInterval.TotalMilliseconds:0} ms");
        return new ServerRequestRelay(new DynamoDbServerRequestStore(new AmazonDynamoDBClient(config), table, settings.FunctionName ?? "local"), settings.RelayPollInterval);
    }
}
