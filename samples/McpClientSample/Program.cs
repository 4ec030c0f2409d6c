using System.Text.Json;
using Amazon;
using McpLambda.Client;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

return await McpClientSample.RunAsync(args);

/// <summary>Connects to an MCP server in Lambda by any of the four ways in, lists its tools and calls one.</summary>
internal static class McpClientSample
{
    private const string Usage = """
        Usage:
          McpClientSample --invoke <function name or ARN> [--qualifier <alias>] [--region <region>] [--endpoint <Lambda API URL>]
          McpClientSample --url <function URL> [--region <region>] [--service lambda|execute-api]
          McpClientSample --api-gateway <URL> [--token <bearer token>]
          McpClientSample --agentcore <gateway URL> --token <bearer token>
        Then, for all of them:
          [--tool <name> [--args <JSON object>]]   call a tool after listing them (e.g. --tool echo --args '{"message":"hi"}')
        AWS credentials come from the SDK's default chain (environment, profile, SSO, role); the region from
        --region, the ARN or function URL, or AWS_REGION. A token may also come from MCP_BEARER_TOKEN.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        Dictionary<string, string> options;
        try
        {
            options = Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        IClientTransport transport;
        try
        {
            transport = CreateTransport(options);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        try
        {
            await using var client = await McpClient.CreateAsync(transport);
            Console.WriteLine($"connected to {client.ServerInfo?.Name} {client.ServerInfo?.Version} ({transport.Name})");

            var tools = await client.ListToolsAsync();
            Console.WriteLine($"{tools.Count} tools:");
            foreach (var tool in tools)
            {
                Console.WriteLine($"  {tool.Name}: {tool.Description}");
            }

            if (options.TryGetValue("tool", out var name))
            {
                var arguments = ParseArguments(options.GetValueOrDefault("args"));
                var result = await client.CallToolAsync(name, arguments);
                Console.WriteLine($"{name} ->{(result.IsError == true ? " (error)" : "")}");
                foreach (var block in result.Content)
                {
                    Console.WriteLine(block is TextContentBlock text ? "  " + text.Text : $"  [{block.Type}]");
                }

                return result.IsError == true ? 1 : 0;
            }

            return 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static IClientTransport CreateTransport(Dictionary<string, string> options)
    {
        var ways = new[] { "invoke", "url", "api-gateway", "agentcore" }.Where(options.ContainsKey).ToList();
        if (ways.Count != 1)
        {
            throw new ArgumentException("Choose exactly one of --invoke, --url, --api-gateway, --agentcore.");
        }

        var region = options.GetValueOrDefault("region");
        var token = options.GetValueOrDefault("token") ?? Environment.GetEnvironmentVariable("MCP_BEARER_TOKEN");
        switch (ways[0])
        {
            case "invoke":
                return new LambdaFunctionClientTransport(new LambdaFunctionClientTransportOptions
                {
                    FunctionName = options["invoke"],
                    Qualifier = options.GetValueOrDefault("qualifier"),
                    RegionName = region,
                    Endpoint = options.TryGetValue("endpoint", out var endpoint) ? Url(endpoint) : null,
                });

            case "url":
                var url = Url(options["url"]);
                region ??= RegionFromFunctionUrl(url) ?? Environment.GetEnvironmentVariable("AWS_REGION")
                    ?? throw new ArgumentException("--region is required: it could not be read from the URL or AWS_REGION.");
                return SigV4HttpClientTransport.Create(url, RegionEndpoint.GetBySystemName(region), options.GetValueOrDefault("service") ?? SigV4HttpClientTransport.LambdaService);

            case "api-gateway":
                return Plain(Url(options["api-gateway"]), token, "api-gateway");

            default:
                return Plain(Url(options["agentcore"]), token ?? throw new ArgumentException("--agentcore needs --token (or MCP_BEARER_TOKEN): the gateway's inbound OAuth access token."), "agentcore");
        }
    }

    /// <summary>Plain Streamable HTTP, with a bearer token when there is one.</summary>
    private static HttpClientTransport Plain(Uri url, string? token, string name)
    {
        var options = new HttpClientTransportOptions { Endpoint = url, TransportMode = HttpTransportMode.StreamableHttp, Name = name };
        if (token is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
        }

        return new HttpClientTransport(options);
    }

    /// <summary>A function URL's host is <c>{url-id}.lambda-url.{region}.on.aws</c>.</summary>
    private static string? RegionFromFunctionUrl(Uri url)
    {
        var labels = url.Host.Split('.');
        var at = Array.IndexOf(labels, "lambda-url");
        return at >= 0 && at + 1 < labels.Length ? labels[at + 1] : null;
    }

    private static Uri Url(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new ArgumentException($"Not an http(s) URL: {value}");

    private static Dictionary<string, object?> ParseArguments(string? json)
    {
        var arguments = new Dictionary<string, object?>();
        if (string.IsNullOrWhiteSpace(json))
        {
            return arguments;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("--args must be a JSON object.");
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        return arguments;
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var known = new HashSet<string> { "invoke", "url", "api-gateway", "agentcore", "region", "endpoint", "qualifier", "service", "token", "tool", "args" };
        var options = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new ArgumentException($"Unexpected argument: {args[i]}");
            if (!known.Contains(name))
            {
                throw new ArgumentException($"Unknown option: --{name}");
            }

            options[name] = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"--{name} needs a value.");
        }

        return options;
    }
}
