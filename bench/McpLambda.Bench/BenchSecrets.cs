using McpLambda.Resilience.Tests;

namespace McpLambda.Bench;

/// <summary>
/// The secret-reference rows: three references (a SecureString, a String, a Secrets Manager secret) in Parameter Store's
/// emulation on loopback, and the environment that gives them to the server as a deployment does.
/// </summary>
internal sealed class BenchSecrets : IAsyncDisposable
{
    private readonly LocalParameterStore _store = new();

    public BenchSecrets()
    {
        _store.Put("/bench/github-token", "ghp_bench-token");
        _store.Put("/bench/api-base", "https://api.example", "String");
        _store.PutSecret("bench/database", "{\"password\":\"bench\"}");
    }

    /// <summary><c>GetParameters</c> calls so far.</summary>
    public int Calls => _store.Calls.Count;

    /// <summary>The function's role and the local endpoint; with <paramref name="references"/>, the server's three references.</summary>
    public IReadOnlyDictionary<string, string?> Environment(bool references) => new Dictionary<string, string?>(
        _store.FunctionEnvironment().Select(variable => KeyValuePair.Create(variable.Key, (string?)variable.Value)))
    {
        ["MCPLAMBDA_SERVER_ENV_GITHUB_TOKEN"] = references ? "ssm:/bench/github-token" : null,
        ["MCPLAMBDA_SERVER_ENV_API_BASE"] = references ? "ssm:/bench/api-base" : null,
        ["MCPLAMBDA_SERVER_ENV_DATABASE"] = references ? "ssm:/aws/reference/secretsmanager/bench/database" : null,
    };

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
