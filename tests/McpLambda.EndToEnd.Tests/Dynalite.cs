using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using McpLambda.Runtime.Relay;
using McpLambda.Tests;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// dynalite (an implementation of DynamoDB, from npm) on a loopback port, with the relay's table: what the relay talks to
/// in these tests, through the real AWS SDK client.
/// </summary>
public sealed class Dynalite : IAsyncLifetime
{
    public const string Table = RelayTable.Name;

    private Process? _process;

    public Uri Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = LocalPort.Free();
        var cli = Path.Combine(TestRepository.RootDirectory, "tests", "McpLambda.EndToEnd.Tests", "node_modules", "dynalite", "cli.js");
        _process = Process.Start(new ProcessStartInfo("node", [cli, "--port", port.ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        await RelayTable.CreateAsync(Endpoint.ToString(), () => !_process.HasExited);
    }

    /// <summary>An SDK client for the table.</summary>
    public AmazonDynamoDBClient Client(Uri? endpoint = null) => RelayTable.Client((endpoint ?? Endpoint).ToString());

    /// <summary>The relay store of function <paramref name="function"/> on the table.</summary>
    internal DynamoDbServerRequestStore Store(string function = "mcp-function", Uri? endpoint = null) => new(Client(endpoint), Table, function);

    /// <summary>How many items the table holds.</summary>
    public async Task<int> CountAsync()
    {
        using var client = Client();
        return (await client.ScanAsync(new ScanRequest { TableName = Table, ConsistentRead = true })).Count ?? 0;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }
}
