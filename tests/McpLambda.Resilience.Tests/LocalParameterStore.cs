using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using McpLambda.Client.Tests;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// Systems Manager Parameter Store's <c>GetParameters</c> on loopback, written from the API reference: the JSON 1.1
/// protocol (<c>POST /</c>, <c>X-Amz-Target: AmazonSSM.GetParameters</c>, <c>Content-Type: application/x-amz-json-1.1</c>,
/// errors as <c>{"__type", "message"}</c>), SigV4 verified as the Invoke emulation does (service <c>ssm</c>), 1 to 10
/// names, SecureString values in clear only with <c>WithDecryption</c>, Secrets Manager secrets under
/// <c>/aws/reference/secretsmanager/</c> (which need <c>WithDecryption</c>), <c>name:version</c> selectors, unknown names
/// in <c>InvalidParameters</c>, <c>AccessDeniedException</c> for a parameter the caller's policy does not allow, and
/// <c>ThrottlingException</c> when told to throttle, <c>InternalServerError</c> (500) when told to fail.
/// </summary>
internal sealed class LocalParameterStore : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string Account = "123456789012";
    public const string SecretsManagerPrefix = "/aws/reference/secretsmanager/";
    private const string JsonContentType = "application/x-amz-json-1.1";
    private const int MaxNames = 10;

    /// <summary>The function's role, as its credentials sign.</summary>
    public static readonly AwsCaller Role = new(
        "ASIAMCPLAMBDAFUNCTION",
        "mcpLambdaFunctionRoleKey/0123456789+abcdefgh",
        Account,
        $"arn:aws:sts::{Account}:assumed-role/mcp-function-role/mcp-function",
        "AROAMCPLAMBDAFUNCTION:mcp-function");

    private readonly SigV4Verifier _verifier = new(Region, "ssm", [Role]);
    private readonly ConcurrentDictionary<string, List<(string Type, string Value)>> _parameters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _denied = new(StringComparer.Ordinal);
    private readonly LoopbackServer _server;
    private int _throttle;
    private int _fail;

    public LocalParameterStore() => _server = LoopbackServer.Start(HandleAsync);

    public Uri Endpoint => _server.Url;

    /// <summary>The names of each signed <c>GetParameters</c> call, throttled ones included, with its <c>WithDecryption</c>.</summary>
    public ConcurrentQueue<(string[] Names, bool WithDecryption)> Calls { get; } = new();

    /// <summary>This store, signed for as <see cref="Role"/>, as a function's default credential chain would give.</summary>
    public SsmConnection Connection() => new(Endpoint, Region, RoleCredentials);

    /// <summary><see cref="Role"/>'s credentials.</summary>
    public static AWSCredentials RoleCredentials() => new BasicAWSCredentials(Role.AccessKey, Role.SecretKey);

    /// <summary>A function process's variables that reach this store as <see cref="Role"/>, as Lambda gives a function its role's.</summary>
    public Dictionary<string, string> FunctionEnvironment() => new()
    {
        ["AWS_REGION"] = Region,
        ["AWS_ACCESS_KEY_ID"] = Role.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = Role.SecretKey,
        ["AWS_ENDPOINT_URL_SSM"] = Endpoint.ToString(),
    };

    /// <summary>What Secrets Manager's <c>GenerateSecretString</c> makes with <c>ExcludePunctuation</c>: 64 letters and digits.</summary>
    public static string GeneratedSecret()
        => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 64);

    /// <summary>Writes a new version of a parameter (<c>String</c> or <c>SecureString</c>).</summary>
    public void Put(string name, string value, string type = "SecureString")
        => _parameters.AddOrUpdate(name, _ => [(type, value)], (_, versions) =>
        {
            lock (versions)
            {
                versions.Add((type, value));
            }

            return versions;
        });

    /// <summary>A Secrets Manager secret, which Parameter Store serves under <see cref="SecretsManagerPrefix"/>.</summary>
    public void PutSecret(string secretName, string value) => Put(SecretsManagerPrefix + secretName, value);

    /// <summary>The caller's policy does not allow <c>ssm:GetParameters</c> on <paramref name="name"/>.</summary>
    public void Deny(string name) => _denied[name] = 0;

    /// <summary>Answers the next <paramref name="count"/> signed calls with <c>ThrottlingException</c>.</summary>
    public void ThrottleNext(int count) => Volatile.Write(ref _throttle, count);

    /// <summary>Answers the next <paramref name="count"/> signed calls with the service's own failure (500, <c>InternalServerError</c>).</summary>
    public void FailNext(int count) => Volatile.Write(ref _fail, count);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public static string Arn(string name) => $"arn:aws:ssm:{Region}:{Account}:parameter/{name.TrimStart('/')}";

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var body = await LoopbackServer.ReadBodyAsync(request);
        var verdict = _verifier.Verify(request.HttpMethod, request.RawUrl!, request.Headers, body);
        if (!verdict.Ok)
        {
            Error(response, 400, verdict.ErrorType!, verdict.Message!);
            return;
        }

        if (request.HttpMethod != "POST" || request.RawUrl != "/" || request.Headers["X-Amz-Target"] != "AmazonSSM.GetParameters")
        {
            Error(response, 400, "UnknownOperationException", "Unknown operation " + request.Headers["X-Amz-Target"]);
            return;
        }

        if (request.ContentType?.Split(';')[0].Trim() != JsonContentType)
        {
            Error(response, 400, "SerializationException", "Content-Type must be " + JsonContentType);
            return;
        }

        var input = JsonNode.Parse(body)!;
        var names = input["Names"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
        var decrypt = input["WithDecryption"]?.GetValue<bool>() ?? false;
        Calls.Enqueue((names, decrypt));
        if (Interlocked.Decrement(ref _throttle) >= 0)
        {
            Error(response, 400, "ThrottlingException", "Rate exceeded");
            return;
        }

        if (Interlocked.Decrement(ref _fail) >= 0)
        {
            Error(response, 500, "InternalServerError", "An internal error occurred");
            return;
        }

        if (names.Length is 0 or > MaxNames)
        {
            Error(response, 400, "ValidationException", $"1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to {MaxNames}");
            return;
        }

        if (names.FirstOrDefault(name => _denied.ContainsKey(NameOf(name))) is { } denied)
        {
            Error(response, 400, "AccessDeniedException",
                $"User: {Role.UserArn} is not authorized to perform: ssm:GetParameters on resource: {Arn(NameOf(denied))} because no identity-based policy allows the ssm:GetParameters action");
            return;
        }

        if (!decrypt && names.Any(name => name.StartsWith(SecretsManagerPrefix, StringComparison.Ordinal)))
        {
            Error(response, 400, "ValidationException", "WithDecryption flag must be True for retrieving a Secret Manager secret.");
            return;
        }

        var found = new JsonArray();
        var invalid = new JsonArray();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (Find(name) is { } parameter)
            {
                found.Add(Describe(name, parameter.Type, parameter.Value, parameter.Version, decrypt));
            }
            else
            {
                invalid.Add(name);
            }
        }

        Respond(response, 200, new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid }.ToJsonString());
    }

    /// <summary>The version a name asks for: the latest, or the one its <c>:N</c> selector names.</summary>
    private (string Type, string Value, int Version)? Find(string asked)
    {
        var name = NameOf(asked);
        if (!_parameters.TryGetValue(name, out var versions))
        {
            return null;
        }

        lock (versions)
        {
            var version = asked.Length > name.Length ? int.TryParse(asked[(name.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0 : versions.Count;
            return version >= 1 && version <= versions.Count ? (versions[version - 1].Type, versions[version - 1].Value, version) : null;
        }
    }

    private static JsonObject Describe(string asked, string type, string value, int version, bool decrypt)
    {
        var name = NameOf(asked);
        var parameter = new JsonObject
        {
            ["ARN"] = Arn(name),
            ["DataType"] = "text",
            ["LastModifiedDate"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            ["Name"] = name,
            ["Type"] = type,
            // Without decryption a SecureString comes back as its ciphertext.
            ["Value"] = type == "SecureString" && !decrypt ? Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(value))) : value,
            ["Version"] = version,
        };
        if (asked.Length > name.Length)
        {
            parameter["Selector"] = asked[name.Length..];
        }

        if (name.StartsWith(SecretsManagerPrefix, StringComparison.Ordinal))
        {
            parameter["SourceResult"] = new JsonObject { ["Name"] = name[SecretsManagerPrefix.Length..] }.ToJsonString();
        }

        return parameter;
    }

    /// <summary>The parameter's name without a selector (a name's last ':' that follows its last '/').</summary>
    private static string NameOf(string asked)
    {
        var colon = asked.LastIndexOf(':');
        return colon > asked.LastIndexOf('/') && colon > 0 ? asked[..colon] : asked;
    }

    private static void Error(HttpListenerResponse response, int status, string type, string message)
        => Respond(response, status, new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString());

    private static void Respond(HttpListenerResponse response, int status, string json)
    {
        response.StatusCode = status;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var bytes = Encoding.UTF8.GetBytes(json);
        response.ContentType = JsonContentType;
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }
}
