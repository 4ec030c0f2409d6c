using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Hosting;

/// <summary>
/// The custom runtime: starts the wrapped server during init, then fetches invocations and answers
/// them until the Runtime API goes away. A failed invocation is reported, a failed Runtime API call is logged and
/// retried, and the loop goes on.
/// </summary>
internal sealed class LambdaRuntimeLoop
{
    /// <summary>How long init waits for the server before taking invocations anyway (Lambda's init phase lasts at most 10 s).</summary>
    private static readonly TimeSpan InitBudget = TimeSpan.FromSeconds(8);

    /// <summary>The init error's type when the wrapped server could not start.</summary>
    internal const string ServerStartFailed = "Runtime.McpServerStartFailed";

    /// <summary>The init error's type when a setting of the function's own that names a secret could not be resolved.</summary>
    internal const string SecretSettingFailed = "Runtime.SecretSettingFailed";

    /// <summary>The init error's type when a setting of the function's own has a value it cannot take.</summary>
    internal const string InvalidSettings = "Runtime.InvalidSettings";

    private readonly RuntimeApiClient _client;
    private readonly StdioServerBridge _bridge;
    private readonly InvocationHandler _invocations;
    private readonly RuntimeApiRetryPolicy _retry;

    /// <summary>Creates the loop with the default deadline margin.</summary>
    /// <param name="client">The Runtime API.</param>
    /// <param name="adapter">The event translation.</param>
    /// <param name="bridge">The wrapped server.</param>
    /// <param name="handlers">The HTTP rules over <paramref name="bridge"/>.</param>
    public LambdaRuntimeLoop(RuntimeApiClient client, LambdaEventAdapter adapter, StdioServerBridge bridge, McpHandlers handlers)
        : this(client, bridge, new InvocationHandler(adapter, handlers, McpLambdaSettings.Default.DeadlineMargin))
    {
    }

    internal LambdaRuntimeLoop(RuntimeApiClient client, StdioServerBridge bridge, InvocationHandler invocations, RuntimeApiRetryPolicy? retry = null)
    {
        _client = client;
        _bridge = bridge;
        _invocations = invocations;
        _retry = retry ?? RuntimeApiRetryPolicy.Default;
    }

    /// <summary>
    /// Runs init, then <paramref name="concurrency"/> invocation loops until cancelled or until the Runtime API is gone
    /// (it refused connections for a bounded period); every other failure is logged and retried with back-off.
    /// </summary>
    /// <returns>The process exit code: 0 when cancelled, 1 when init failed or the Runtime API is gone.</returns>
    public async Task<int> RunAsync(int concurrency, CancellationToken cancellationToken)
    {
        var runtimeReady = MillisecondsSinceProcessStart();
        var start = _bridge.StartAsync(cancellationToken);
        await Task.WhenAny(start, Task.Delay(InitBudget, cancellationToken)).ConfigureAwait(false);
        if (start.IsCompletedSuccessfully)
        {
            Log.Info($"init: runtime ready {runtimeReady} ms after process start; MCP server '{_bridge.Options}' ready after {MillisecondsSinceProcessStart()} ms");
        }

        if (start.IsFaulted)
        {
            return await FailInitAsync(_client, ServerStartFailed, start.Exception!.GetBaseException().Message, cancellationToken).ConfigureAwait(false);
        }

        if (!start.IsCompleted)
        {
            Log.Warn($"the MCP server is still starting after {InitBudget.TotalSeconds} s; the first invocation will wait for it");
            _ = start.ContinueWith(t => Log.Error(t.Exception!.GetBaseException().Message), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        // A loop ends only when cancelled or when the Runtime API is gone; either way the others must end too.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(() => LoopAsync(stop.Token), CancellationToken.None)).ToArray();
        await Task.WhenAny(loops).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        return cancellationToken.IsCancellationRequested ? 0 : 1;
    }

    /// <summary>
    /// Ends an init that failed: logs <paramref name="message"/> and posts it to the Runtime API's init error, so that
    /// Lambda reports it to the caller and the next request starts a new init.
    /// </summary>
    /// <returns>The process exit code, 1.</returns>
    internal static async Task<int> FailInitAsync(RuntimeApiClient client, string errorType, string message, CancellationToken cancellationToken)
    {
        Log.Error(message);
        await ReportAsync(() => client.PostInitErrorAsync(errorType, message, cancellationToken)).ConfigureAwait(false);
        return 1;
    }

    /// <summary>For the init timings in the log.</summary>
    private static long MillisecondsSinceProcessStart()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return (long)(DateTime.Now - self.StartTime).TotalMilliseconds;
    }

    /// <summary>Fetches and answers invocations; returns when cancelled or when the Runtime API is gone, never with an exception.</summary>
    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var outage = new RuntimeApiOutage(_retry);
        while (!cancellationToken.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await _client.NextAsync(cancellationToken).ConfigureAwait(false);
                outage.Succeeded();
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var delay = outage.Failed(ex);
                if (outage.IsGone)
                {
                    Log.Error($"the Lambda Runtime API at {_client.Address} refused connections for {outage.RefusedFor!.Value.TotalSeconds:0.0} s; exiting");
                    return;
                }

                Log.Error($"asking the Runtime API for the next invocation failed ({ex.GetType().Name}: {ex.Message}); retrying in {delay.TotalMilliseconds:0} ms");
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                await InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Answers one invocation, posting a response or an invocation error; throws only when cancelled.</summary>
    internal async Task InvokeAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var wayIn = _invocations.WayInOf(invocation);
        if (_invocations.Streams(wayIn, invocation))
        {
            await StreamAsync(wayIn, invocation, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var response = await _invocations.AnswerAsync(wayIn, invocation, cancellationToken).ConfigureAwait(false);
            await _client.PostResponseAsync(invocation.RequestId, response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var expected = ex as InvocationErrorException;
            Log.Error($"invocation {invocation.RequestId} failed: {(expected is null ? ex.ToString() : expected.ErrorType + ": " + ex.Message)}");
            await ReportAsync(() => _client.PostErrorAsync(invocation.RequestId, expected?.ErrorType ?? ex.GetType().Name, ex.Message, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Answers one invocation with a streamed response. A failure before the first byte is posted as an ordinary
    /// invocation error; after it, it goes in the response's trailers.
    /// </summary>
    private async Task StreamAsync(LambdaEventAdapter wayIn, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        await using var response = _client.OpenResponseStream(invocation.RequestId, RuntimeApiResponseStream.HttpIntegrationContentType);
        try
        {
            await _invocations.StreamAsync(wayIn, invocation, response, cancellationToken).ConfigureAwait(false);
            await response.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var expected = ex as InvocationErrorException;
            var errorType = expected?.ErrorType ?? ex.GetType().Name;
            Log.Error($"invocation {invocation.RequestId} failed{(response.Started ? " mid-stream" : "")}: {(expected is null ? ex.ToString() : errorType + ": " + ex.Message)}");
            await ReportAsync(() => response.Started
                ? response.FailAsync(errorType, ex.Message, cancellationToken)
                : _client.PostErrorAsync(invocation.RequestId, errorType, ex.Message, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Posts an error document; a failure to post is logged, as there is nobody else left to tell.</summary>
    private static async Task ReportAsync(Func<Task> post)
    {
        try
        {
            await post().ConfigureAwait(false);
        }
        catch (Exception postError) when (postError is not OperationCanceledException)
        {
            Log.Error("could not report the error to the Runtime API: " + postError.Message);
        }
    }
}
