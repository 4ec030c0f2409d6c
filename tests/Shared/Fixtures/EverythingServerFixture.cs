using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.EventAdapters;

namespace McpLambda.Tests;

/// <summary>One warm bridge to a real server-everything child, shared by the tests of a class.</summary>
public sealed class EverythingServerFixture : IAsyncLifetime
{
    public EverythingServerFixture()
    {
        Bridge = new StdioServerBridge(TestRepository.EverythingServer());
        Pipeline = new McpHandlers(Bridge);
    }

    internal StdioServerBridge Bridge { get; }

    /// <summary>The message handling every way in shares, over <see cref="Bridge"/>.</summary>
    internal McpHandlers Pipeline { get; }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Bridge.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync() => await Bridge.DisposeAsync();
}
