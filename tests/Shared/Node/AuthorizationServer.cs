using System.Diagnostics;

namespace McpLambda.Tests;

/// <summary>
/// A real OAuth 2.1 authorization server (<c>oidc-provider</c>, see <c>node/authorization-server.mjs</c>) on loopback, on
/// the Node 22 it supports, for as long as the test needs it.
/// </summary>
internal sealed class AuthorizationServer : IAsyncDisposable
{
    private readonly Process _process;

    private AuthorizationServer(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    /// <summary>The issuer URL, as its tokens name it.</summary>
    public string Issuer { get; }

    /// <summary>Starts the server with <paramref name="options"/> (see the script) and waits until it listens.</summary>
    public static async Task<AuthorizationServer> StartAsync(params string[] options)
    {
        var info = new ProcessStartInfo(NodeScript.Node22) { WorkingDirectory = NodeScript.ProjectDirectory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(NodeScript.ProjectDirectory, "node", "authorization-server.mjs"));
        options.ToList().ForEach(info.ArgumentList.Add);
        var process = Process.Start(info)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line?.StartsWith("issuer ", StringComparison.Ordinal) != true)
        {
            process.Kill();
            throw new InvalidOperationException("the authorization server did not start: " + line + await process.StandardError.ReadToEndAsync());
        }

        return new AuthorizationServer(process, line["issuer ".Length..]);
    }

    public async ValueTask DisposeAsync()
    {
        // Closing its input ends it; kill whatever remains.
        _process.StandardInput.Close();
        if (!_process.WaitForExit(3000))
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
