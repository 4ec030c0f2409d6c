using System.Runtime.InteropServices;
using McpLambda.Runtime.AgentCore;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Runtime;

/// <summary>The entry point that generated code calls: runs the function under Lambda or locally.</summary>
public static class McpLambdaFunction
{
    /// <summary>The local port used when neither <c>--port</c> nor <c>PORT</c> names one.</summary>
    public const int DefaultLocalPort = 8080;

    /// <summary>
    /// Runs the function: under the Lambda Runtime API when <c>AWS_LAMBDA_RUNTIME_API</c> is set,
    /// otherwise as a local MCP endpoint on <c>http://127.0.0.1:&lt;port&gt;/mcp</c> that runs the very same
    /// runtime loop against an in-process emulation of the Runtime API.
    /// </summary>
    /// <param name="args">
    /// The process arguments (<c>--port N</c> is read in local mode). Under Lambda with <c>AWS_LAMBDA_EXEC_WRAPPER</c>
    /// set, they are the managed runtime's own start command and are ignored.
    /// </param>
    /// <param name="server">The wrapped stdio server.</param>
    /// <param name="adapter">The event translation for the function's way in.</param>
    /// <param name="cancellationToken">Stops the function.</param>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(string[] args, StdioServerOptions server, LambdaEventAdapter adapter, CancellationToken cancellationToken = default)
        => RunAsync(args, server, adapter, Environment.GetEnvironmentVariable, Environment.GetEnvironmentVariables().Keys.OfType<string>(), cancellationToken);

    /// <summary>
    /// Runs the function under the settings <paramref name="variable"/> gives; settings that cannot be read (a value out of
    /// range) fail the init as Lambda wants it reported, naming the variable, rather than as a crash with a stack trace.
    /// </summary>
    /// <param name="args">The process arguments.</param>
    /// <param name="server">The wrapped stdio server.</param>
    /// <param name="adapter">The event translation for the function's way in.</param>
    /// <param name="variable">The value of an environment variable, or null.</param>
    /// <param name="names">Every variable's name: the server's own variables (<c>MCPLAMBDA_SERVER_ENV_*</c>) are found among them.</param>
    /// <param name="cancellationToken">Stops the function.</param>
    internal static Task<int> RunAsync(string[] args, StdioServerOptions server, LambdaEventAdapter adapter, Func<string, string?> variable, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        McpLambdaSettings settings;
        try
        {
            settings = McpLambdaSettings.Read(variable, names);
        }
        catch (ArgumentException ex)
        {
            var runtimeApi = variable(EnvironmentVariableNames.RuntimeApi) is { Length: > 0 } address ? address : null;
            return FailInitAsync(runtimeApi, LambdaRuntimeLoop.InvalidSettings, $"the function's settings are invalid: {ex.Message}", cancellationToken);
        }

        return RunAsync(args, server, adapter, settings, cancellationToken);
    }

    /// <summary>Runs the function under <paramref name="settings"/> instead of those of the process environment.</summary>
    internal static Task<int> RunAsync(string[] args, StdioServerOptions server, LambdaEventAdapter adapter, McpLambdaSettings settings, CancellationToken cancellationToken)
        => RunAsync(args, server, adapter, settings, () => ParameterStores.For(settings.SsmEndpoint), cancellationToken);

    /// <summary>Runs the function under <paramref name="settings"/>, resolving secret references in the stores <paramref name="parameterStore"/> makes.</summary>
    internal static async Task<int> RunAsync(
        string[] args, StdioServerOptions server, LambdaEventAdapter adapter, McpLambdaSettings settings, Func<IParameterStore> parameterStore, CancellationToken cancellationToken)
    {
        Log.Configure(settings.LogFormat, settings.LogLevel);
        args = ExecWrapper.FunctionArguments(args, settings);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });

        if (await AgentCoreSchemaExport.TryRunAsync(args, settings.ApplyTo(server), stop.Token).ConfigureAwait(false) is { } exported)
        {
            return exported;
        }

        FunctionHost created;
        try
        {
            created = new FunctionHost(server, adapter, settings, parameterStore);
        }
        catch (SecretResolutionException ex)
        {
            return await FailInitAsync(settings.RuntimeApi, LambdaRuntimeLoop.SecretSettingFailed, $"the function's settings could not be read: {ex.Message}", stop.Token).ConfigureAwait(false);
        }

        await using var host = created;
        try
        {
            if (settings.RuntimeApi is { } runtimeApi)
            {
                using var client = new RuntimeApiClient(runtimeApi);
                return await host.CreateLoop(client).RunAsync(settings.MaxConcurrency, stop.Token).ConfigureAwait(false);
            }

            return await RunLocallyAsync(args, host, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (HttpRequestException ex)
        {
            Log.Error("the Lambda Runtime API is unreachable: " + ex.Message);
            return 1;
        }
    }

    /// <summary>
    /// An init that failed before the runtime loop could start: reported as the loop reports a server that cannot start,
    /// to the Runtime API's init error (Lambda then starts a new init for the next request), or on stderr locally.
    /// </summary>
    private static async Task<int> FailInitAsync(string? runtimeApi, string errorType, string message, CancellationToken cancellationToken)
    {
        if (runtimeApi is null)
        {
            Console.Error.WriteLine("The function could not initialize: " + message);
            return 1;
        }

        using var client = new RuntimeApiClient(runtimeApi);
        return await LambdaRuntimeLoop.FailInitAsync(client, errorType, message, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunLocallyAsync(string[] args, FunctionHost host, CancellationToken cancellationToken)
    {
        if (!LocalOptions.TryParse(args, host.Settings.LocalPort, out var port, out var problem))
        {
            Console.Error.WriteLine(problem);
            return 2;
        }

        await using var lambda = RuntimeApiEmulator.Start(host.Settings.LocalInvocationTimeout);
        LocalFrontDoor frontDoor;
        try
        {
            frontDoor = LocalFrontDoor.Start(port, host.Adapter, lambda, host.Settings.LocalAllowedOrigins);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            Console.Error.WriteLine($"Cannot serve on 127.0.0.1:{port} ({ex.Message}): pass --port N, or --port 0 for any free port.");
            return 2;
        }

        await using var _ = frontDoor;
        using var client = new RuntimeApiClient(lambda.Address);
        var running = host.CreateLoop(client).RunAsync(Math.Max(4, Environment.ProcessorCount * 2), cancellationToken);

        // The loop asks for its first invocation once init (which starts the server) is over.
        var ready = await Task.WhenAny(running, lambda.FirstNext).ConfigureAwait(false);
        if (ready == running || lambda.InitError.IsCompleted)
        {
            Console.Error.WriteLine("The function could not initialize: " + (lambda.InitError.IsCompleted ? await lambda.InitError.ConfigureAwait(false) : "the runtime loop ended"));
            return 1;
        }

        Console.WriteLine($"McpLambda: '{host.Bridge.Options}' behind {host.Adapter.DisplayName}, {host.Adapter.DescribeLocalEndpoint(frontDoor.Url)}");
        Console.WriteLine("Press Ctrl+C to stop.");
        return await running.ConfigureAwait(false);
    }
}
