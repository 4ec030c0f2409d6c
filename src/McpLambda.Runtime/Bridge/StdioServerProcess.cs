using System.Diagnostics;
using System.Text;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The child process, with its standard streams owned here rather than by the SDK's stdio transport, so that
/// nothing it writes is read unbounded: stdout goes through a <see cref="BoundedLineStream"/> to the SDK's
/// <see cref="StreamClientTransport"/>, stderr is read line by line with long lines cut. Disposing it ends the
/// whole process tree (<c>npx</c> starts <c>node</c>).
/// </summary>
internal sealed class StdioServerProcess : IAsyncDisposable
{
    private const int MaxStderrLineBytes = 16 * 1024;
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);
    private readonly Process _process;
    private readonly Task _stderrReader;

    private StdioServerProcess(Process process, int maxStdoutLineBytes, Action<string> stderrLine)
    {
        _process = process;
        var stdout = new BoundedLineStream(process.StandardOutput.BaseStream, maxStdoutLineBytes, line => Replace(line, maxStdoutLineBytes));
        Transport = new StreamClientTransport(process.StandardInput.BaseStream, stdout);
        _stderrReader = Task.Run(() => ReadStderrAsync(process.StandardError.BaseStream, stderrLine));
    }

    /// <summary>The MCP transport over the child's stdin and stdout.</summary>
    public IClientTransport Transport { get; }

    /// <summary>Starts the child.</summary>
    /// <exception cref="InvalidOperationException">It could not be started (e.g. the command does not exist); the message says why.</exception>
    public static StdioServerProcess Start(StdioServerOptions options, Action<string> stderrLine)
    {
        var process = new Process { StartInfo = StdioProcessSettings.Create(options) };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new InvalidOperationException($"it could not be run: {ex.Message}", ex);
        }

        return new StdioServerProcess(process, options.MaxMessageBytes, stderrLine);
    }

    /// <summary>The exit code once the child has ended (waiting briefly for it and its last stderr lines), or null while it runs.</summary>
    public async Task<int?> ExitCodeAsync()
    {
        using var wait = new CancellationTokenSource(ExitWait);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            await _stderrReader.WaitAsync(wait.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Still running, or already disposed.
            return null;
        }
    }

    /// <summary>The exit code if the child has already ended, without waiting; null while it runs.</summary>
    public int? ExitedCode
    {
        get
        {
            try
            {
                return _process.HasExited ? _process.ExitCode : null;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    /// <summary>Ends the child's whole process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It ended meanwhile.
        }

        await ExitCodeAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>An oversized stdout line becomes an internal error for the request it answers, when it names one.</summary>
    private static byte[]? Replace(OversizedStdoutLine line, int limit)
    {
        if (line.RequestId is not { } id)
        {
            Log.Warn($"the MCP server wrote a stdout line of {line.Bytes} bytes, over the {limit}-byte limit, naming no request; skipped");
            return null;
        }

        Log.Warn($"the MCP server's answer to request {id} is a stdout line of {line.Bytes} bytes, over the {limit}-byte limit; answered with an error instead");
        return JsonRpcMessages.ToUtf8(JsonRpcMessages.Error(new RequestId(id), JsonRpcErrorCodes.InternalError,
            $"The MCP server's answer is over this function's response limit: a line of {line.Bytes} bytes on its stdout, where AWS Lambda returns at most {limit} bytes; ask for less, e.g. page through results."));
    }

    /// <summary>Hands on stderr line by line; a line longer than <see cref="MaxStderrLineBytes"/> is cut and the rest of it skipped.</summary>
    private static async Task ReadStderrAsync(Stream stderr, Action<string> stderrLine)
    {
        var line = new byte[MaxStderrLineBytes];
        var length = 0;
        var cut = false;
        var buffer = new byte[8 * 1024];
        try
        {
            int read;
            while ((read = await stderr.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                foreach (var b in buffer.AsSpan(0, read))
                {
                    if (b == (byte)'\n')
                    {
                        stderrLine(Decode(line, length, cut));
                        length = 0;
                        cut = false;
                    }
                    else if (length < line.Length)
                    {
                        line[length++] = b;
                    }
                    else
                    {
                        cut = true;
                    }
                }
            }

            if (length > 0)
            {
                stderrLine(Decode(line, length, cut));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The child is gone.
        }
    }

    private static string Decode(byte[] line, int length, bool cut)
    {
        var text = Encoding.UTF8.GetString(line, 0, length > 0 && line[length - 1] == '\r' ? length - 1 : length);
        return cut ? text + "… (cut)" : text;
    }
}
