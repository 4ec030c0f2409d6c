using McpLambda.Runtime;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.Secrets;

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
    private readonly LocalFrontDoor? _frontDoor;
    private readonly RuntimeApiClient _client;
    private readonly Task<int> _loop;

    private InProcessLocalFunction(
        StdioServerOptions server, TimeSpan invocationTimeout, int loops, LambdaEventAdapter adapter, McpLambdaSettings settings, int port, string? restApiTemplate,
        Func<IParameterStore>? parameterStore)
    {
        settings = settings with { LocalInvocationTimeout = invocationTimeout };
        _host = parameterStore is null ? new FunctionHost(server, adapter, settings) : new FunctionHost(server, adapter, settings, parameterStore);
        _lambda = RuntimeApiEmulator.Start(invocationTimeout);
        if (restApiTemplate is null)
        {
            _frontDoor = LocalFrontDoor.Start(port, _host.Adapter, _lambda);
        }
        else
        {
            RestApi = adapter is ApiGatewayRestEventAdapter
                ? RestApiGateway.Start(restApiTemplate, _lambda)
                : throw new ArgumentException("a REST API sends REST events", nameof(adapter));
        }

        _client = new RuntimeApiClient(_lambda.Address);
        _loop = _host.CreateLoop(_client).RunAsync(loops, _stop.Token);
    }

    public Uri Url => _frontDoor?.Url ?? RestApi!.Url;

    /// <summary>The REST API in front of the function, when it was started behind one.</summary>
    public RestApiGateway? RestApi { get; }

    /// <summary>Whether the runtime loop is still running.</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>Starts the function and waits until init (which starts the server) is over.</summary>
    /// <param name="server">The wrapped server.</param>
    /// <param name="invocationTimeout">The emulated function timeout.</param>
    /// <param name="loops">How many invocations run at once.</param>
    /// <param name="adapter">The way in (API Gateway REST unless named).</param>
    /// <param name="settings">The function's settings (the defaults unless given).</param>
    /// <param name="port">The loopback port to serve on (any free one unless given, e.g. when another server must know it first).</param>
    /// <param name="restApiTemplate">
    /// A <c>template.yaml</c> whose REST API stands in front of the function (<see cref="RestApiGateway"/>) instead of
    /// local mode's front door; the way in is then API Gateway REST.
    /// </param>
    /// <param name="parameterStore">Makes the store secret references resolve in (Parameter Store at the settings' endpoint unless given).</param>
    public static async Task<InProcessLocalFunction> StartAsync(
        StdioServerOptions server, TimeSpan invocationTimeout, int loops = 4, LambdaEventAdapter? adapter = null, McpLambdaSettings? settings = null, int port = 0,
        string? restApiTemplate = null, Func<IParameterStore>? parameterStore = null)
    {
        var function = new InProcessLocalFunction(
            server, invocationTimeout, loops, adapter ?? ApiGatewayRestEventAdapter.Instance, settings ?? McpLambdaSettings.Default, port, restApiTemplate, parameterStore);
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
        if (_frontDoor is not null)
        {
            await _frontDoor.DisposeAsync();
        }

        if (RestApi is not null)
        {
            await RestApi.DisposeAsync();
        }

        await _lambda.DisposeAsync();
        await _host.DisposeAsync();
        _stop.Dispose();
    }
}
