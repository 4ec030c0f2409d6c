using McpLambda.Runtime;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// Local mode assembled in the test process from the same parts <c>McpLambdaFunction.RunAsync</c> uses (front door,
/// Runtime API emulation, runtime loop, bridge), for any server and with settings of the test's choosing.
/// </summary>
internal sealed class InProcessLocalFunction : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly FunctionHost _host;
    private readonly RuntimeApiEmulator _lambda;
    private readonly LocalFrontDoor _frontDoor;
    private readonly RuntimeApiClient _client;
    private readonly Task<int> _loop;

    private InProcessLocalFunction(StdioServerOptions server, TimeSpan invocationTimeout, int loops)
    {
        var settings = McpLambdaSettings.Default with { LocalInvocationTimeout = invocationTimeout };
        _host = new FunctionHost(server, ApiGatewayRestEventAdapter.Instance, settings);
        _lambda = RuntimeApiEmulator.Start(invocationTimeout);
        _frontDoor = LocalFrontDoor.Start(0, _host.Adapter, _lambda);
        _client = new RuntimeApiClient(_lambda.Address);
        _loop = _host.CreateLoop(_client).RunAsync(loops, _stop.Token);
    }

    public Uri Url => _frontDoor.Url;

    /// <summary>Whether the runtime loop is still running.</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>Starts the function and waits until init (which starts the server) is over.</summary>
    public static async Task<InProcessLocalFunction> StartAsync(StdioServerOptions server, TimeSpan invocationTimeout, int loops = 4)
    {
        var function = new InProcessLocalFunction(server, invocationTimeout, loops);
        await Task.WhenAny(function._loop, function._lambda.FirstNext).WaitAsync(TimeSpan.FromSeconds(60));
        return function._loop.IsCompleted ? throw new InvalidOperationException("The function did not initialize.") : function;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }

        _client.Dispose();
        await _frontDoor.DisposeAsync();
        await _lambda.DisposeAsync();
        await _host.DisposeAsync();
        _stop.Dispose();
    }
}
