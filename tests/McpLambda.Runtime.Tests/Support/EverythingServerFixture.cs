using McpLambda.Tests;
using McpLambda.Runtime.Bridge;

namespace McpLambda.Runtime.Tests.Support;

/// <summary>One warm bridge to a real server-everything child, shared by the tests of a class.</summary>
public sealed class EverythingServerFixture : IAsyncLifetime
{
    internal StdioServerBridge Bridge { get; } = new(TestRepository.EverythingServer());

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Bridge.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync() => await Bridge.DisposeAsync();
}
