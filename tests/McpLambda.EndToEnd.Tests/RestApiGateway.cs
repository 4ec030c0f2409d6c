using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Local;
using YamlDotNet.RepresentationModel;
using static McpLambda.Tests.SamYaml;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// An API Gateway REST API as a project's <c>template.yaml</c> deploys it (the function's <c>Api</c> events on
/// <c>McpApi</c>), in front of the function in local mode: the stage in the path; only the template's routes (others get
/// <c>MISSING_AUTHENTICATION_TOKEN</c>); a route's request validation of required headers (<c>BAD_REQUEST_PARAMETERS</c>);
/// the gateway's own refusals answered with the template's gateway responses as API Gateway documents them (the
/// response of the type, else <c>DEFAULT_4XX</c>'s, else the default: status, static headers, <c>{"message": …}</c>);
/// and the Lambda proxy integration, whose events carry the stage in <c>requestContext</c> and whose answers lose their
/// <c>WWW-Authenticate</c> to <c>x-amzn-remapped-www-authenticate</c> (the REST event adapter's local response). The
/// stage's invoke URL, <c>https://${McpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}</c> in the template, is
/// this loopback address. Authorizers are not emulated: a template with one is refused.
/// </summary>
internal sealed class RestApiGateway : IAsyncDisposable
{
    private const string InvokeUrl = "https://${McpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}";

    private readonly RuntimeApiEmulator _lambda;
    private readonly LoopbackHttpServer _server;
    private readonly string _stage;
    private readonly IReadOnlyList<Route> _routes;
    private readonly IReadOnlyDictionary<string, GatewayResponse> _responses;

    private RestApiGateway(YamlMappingNode template, RuntimeApiEmulator lambda)
    {
        _lambda = lambda;
        _server = LoopbackHttpServer.Start(0, HandleAsync);
        Origin = $"http://127.0.0.1:{_server.Port}";
        var api = Map(Map(Map(template, "Resources"), "McpApi"), "Properties");
        if (Has(api, "DefinitionBody") || Has(api, "Auth"))
        {
            throw new NotSupportedException("the emulation reads the API from the function's Api events and has no authorizers");
        }

        _stage = Scalar(api, "StageName")!;
        _routes = [.. Map(Map(Map(Map(template, "Resources"), "McpFunction"), "Properties"), "Events").Children.Values
            .Cast<YamlMappingNode>().Where(e => Scalar(e, "Type") == "Api").Select(e => Route.Read(Map(e, "Properties")))];
        var parameters = Has(template, "Parameters") ? Map(template, "Parameters") : new YamlMappingNode();
        _responses = Resources(template, "AWS::ApiGateway::GatewayResponse").Values
            .Select(r => GatewayResponse.Read(r, value => Substitute(value, parameters)))
            .ToDictionary(r => r.Type);
    }

    /// <summary>The stage's address, e.g. <c>http://127.0.0.1:1234</c>: what <c>https://{api}.execute-api.{region}.amazonaws.com</c> is deployed.</summary>
    public string Origin { get; }

    /// <summary>The MCP endpoint: the stage's <c>/mcp</c>.</summary>
    public Uri Url => new($"{Origin}/{_stage}/mcp");

    /// <summary>The gateway response <c>template.yaml</c> defines for <paramref name="type"/> (e.g. <c>UNAUTHORIZED</c>), with its values resolved.</summary>
    public GatewayResponse Response(string type) => _responses[type];

    /// <summary>Serves the API that <paramref name="templatePath"/> defines in front of the function <paramref name="lambda"/> runs.</summary>
    public static RestApiGateway Start(string templatePath, RuntimeApiEmulator lambda) => new(LoadYaml(templatePath), lambda);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task<BufferedHttpResponse> HandleAsync(BufferedHttpRequest request)
    {
        var stagePrefix = "/" + _stage;
        var route = request.Path.StartsWith(stagePrefix + "/", StringComparison.Ordinal)
            ? _routes.FirstOrDefault(r => r.Matches(request.Method, request.Path[stagePrefix.Length..]))
            : null;
        if (route is null)
        {
            return Refuse("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token");
        }

        if (route.ValidatesParameters && route.RequiredHeaders.Where(h => string.IsNullOrEmpty(request.Headers[h])).ToList() is { Count: > 0 } missing)
        {
            return Refuse("BAD_REQUEST_PARAMETERS", 400, $"Missing required request parameters: [{string.Join(", ", missing)}]");
        }

        // The Lambda proxy integration: the REST event, with what API Gateway says of the stage and the route.
        var path = request.Path[stagePrefix.Length..];
        request.Headers.Set("X-Forwarded-Proto", "http");
        var adapter = ApiGatewayRestEventAdapter.Instance;
        var payload = JsonNode.Parse(adapter.CreateLocalEvent(request with { Path = path }, out _))!;
        payload["resource"] = route.Path;
        payload["path"] = path;
        payload["requestContext"] = new JsonObject
        {
            ["stage"] = _stage,
            ["path"] = request.Path,
            ["resourcePath"] = route.Path,
            ["httpMethod"] = request.Method,
            ["domainName"] = request.Headers["Host"],
            ["requestId"] = Guid.NewGuid().ToString(),
        };
        var result = await _lambda.InvokeAsync(JsonSerializer.SerializeToUtf8Bytes(payload));
        return result.FunctionError is null
            ? adapter.ReadLocalResponse(result.Payload)
            : Refuse("DEFAULT_5XX", 502, "Internal server error");
    }

    /// <summary>A refusal of the gateway's own, as the template's gateway responses shape it.</summary>
    private BufferedHttpResponse Refuse(string type, int status, string message)
    {
        var fallback = status < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX";
        var response = _responses.GetValueOrDefault(type) ?? _responses.GetValueOrDefault(fallback);
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", "application/json");
        headers.Set("x-amzn-ErrorType", type);
        foreach (var (name, value) in response?.Headers ?? new Dictionary<string, string>())
        {
            headers.Set(name, value);
        }

        // DEFAULT_4XX's status code, where set, is every other 4XX response's unless that one sets its own.
        var code = response?.StatusCode ?? _responses.GetValueOrDefault(fallback)?.StatusCode ?? status;
        return new BufferedHttpResponse(code, headers, Encoding.UTF8.GetBytes(new JsonObject { ["message"] = message }.ToJsonString()));
    }

    /// <summary>A <c>!Sub</c> value: the stage's invoke URL is this address, <c>${Parameter}</c> its default.</summary>
    private string Substitute(string value, YamlMappingNode parameters)
    {
        var resolved = value.Replace(InvokeUrl, Origin, StringComparison.Ordinal);
        foreach (var (name, parameter) in parameters.Children)
        {
            if (Has((YamlMappingNode)parameter, "Default"))
            {
                resolved = resolved.Replace("${" + ((YamlScalarNode)name).Value + "}", Scalar((YamlMappingNode)parameter, "Default"), StringComparison.Ordinal);
            }
        }

        return resolved.Contains("${", StringComparison.Ordinal) ? throw new NotSupportedException("the emulation cannot resolve " + value) : resolved;
    }

    /// <summary>One of the function's <c>Api</c> events: a path (<c>{proxy+}</c> taking the rest) and a method (or <c>ANY</c>).</summary>
    private sealed record Route(string Path, string Method, IReadOnlyList<string> RequiredHeaders, bool ValidatesParameters)
    {
        public static Route Read(YamlMappingNode properties)
        {
            const string headerPrefix = "method.request.header.";
            var required = Has(properties, "RequestParameters")
                ? ((YamlSequenceNode)properties.Children["RequestParameters"]).Children.Cast<YamlMappingNode>().SelectMany(p => p.Children)
                    .Where(p => ((YamlScalarNode)p.Key).Value!.StartsWith(headerPrefix, StringComparison.Ordinal) && Scalar((YamlMappingNode)p.Value, "Required") == "true")
                    .Select(p => ((YamlScalarNode)p.Key).Value![headerPrefix.Length..]).ToList()
                : [];
            var validates = Has(properties, "RequestModel") && Scalar(Map(properties, "RequestModel"), "ValidateParameters") == "true";
            return new Route(Scalar(properties, "Path")!, Scalar(properties, "Method")!.ToUpperInvariant(), required, validates);
        }

        public bool Matches(string method, string path)
        {
            if (Method != "ANY" && Method != method)
            {
                return false;
            }

            var greedy = Path.IndexOf("{proxy+}", StringComparison.Ordinal);
            return greedy < 0 ? path == Path : path.Length > greedy && path.StartsWith(Path[..greedy], StringComparison.Ordinal);
        }
    }
}

/// <summary>An <c>AWS::ApiGateway::GatewayResponse</c>: its type, status code (when it sets one) and static headers.</summary>
internal sealed record GatewayResponse(string Type, int? StatusCode, IReadOnlyDictionary<string, string> Headers)
{
    public static GatewayResponse Read(YamlMappingNode properties, Func<string, string> substitute)
    {
        const string headerPrefix = "gatewayresponse.header.";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, node) in Has(properties, "ResponseParameters") ? Map(properties, "ResponseParameters").Children : new YamlMappingNode().Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var value = ((YamlScalarNode)node).Value!;
            if (!name.StartsWith(headerPrefix, StringComparison.Ordinal) || value.Length < 2 || value[0] != '\'' || value[^1] != '\'')
            {
                throw new NotSupportedException($"the emulation takes static header values ('…') only: {name}: {value}");
            }

            headers[name[headerPrefix.Length..]] = node.Tag.Value == "!Sub" ? substitute(value[1..^1]) : value[1..^1];
        }

        return new GatewayResponse(
            Scalar(properties, "ResponseType")!,
            Has(properties, "StatusCode") ? int.Parse(Scalar(properties, "StatusCode")!, System.Globalization.CultureInfo.InvariantCulture) : null,
            headers);
    }
}
