using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace McpLambda.Tests;

/// <summary>The relay's table on a local DynamoDB (dynalite), made as a deployment would make it.</summary>
internal static class RelayTable
{
    public const string Name = "mcp-lambda-relay";

    /// <summary>A client of the DynamoDB at <paramref name="endpoint"/> (any credentials: dynalite checks that requests are signed, not by whom).</summary>
    public static AmazonDynamoDBClient Client(string endpoint) => new(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
    {
        ServiceURL = endpoint,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 1,
        Timeout = TimeSpan.FromSeconds(2),
    });

    /// <summary>Creates the table (key <c>id</c>, a string) once the DynamoDB at <paramref name="endpoint"/> answers, and waits until it is active.</summary>
    public static async Task CreateAsync(string endpoint, Func<bool> stillStarting)
    {
        using var client = Client(endpoint);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.CreateTableAsync(new CreateTableRequest
                {
                    TableName = Name,
                    KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
                    AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                });
                break;
            }
            catch (Exception) when (attempt < 100 && stillStarting())
            {
                await Task.Delay(100);
            }
        }

        // Tables become active asynchronously, as in DynamoDB.
        while ((await client.DescribeTableAsync(Name)).Table.TableStatus != TableStatus.ACTIVE)
        {
            await Task.Delay(50);
        }
    }
}
