using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.AgentCore;
using McpLambda.Tests;

namespace McpLambda.AgentCore.Tests;

/// <summary>The <c>--export-agentcore-schema</c> export, run against the real server-everything.</summary>
public sealed class AgentCoreToolSchemaWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agentcore-schema-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Server_everythings_tools_are_written_in_the_Lambda_target_format()
    {
        var file = Path.Combine(_directory, "tools.json");
        var log = new StringWriter();

        var exit = await RunAsync(file, TestRepository.EverythingServer(), new StringWriter(), log);

        Assert.Equal(0, exit);
        var tools = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsArray();
        var names = tools.Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("echo", names);
        Assert.Contains("get-sum", names);

        var echo = tools.Single(t => t!["name"]!.GetValue<string>() == "echo")!.AsObject();
        Assert.Equal(["name", "description", "inputSchema"], echo.Select(p => p.Key));
        Assert.Equal("Echoes back the input string", echo["description"]!.GetValue<string>());
        var input = echo["inputSchema"]!.AsObject();
        Assert.Equal(["type", "properties", "required"], input.Select(p => p.Key));
        Assert.Equal("object", input["type"]!.GetValue<string>());
        Assert.Equal("string", input["properties"]!["message"]!["type"]!.GetValue<string>());
        Assert.Equal("Message to echo", input["properties"]!["message"]!["description"]!.GetValue<string>());
        Assert.Equal("""["message"]""", input["required"]!.ToJsonString());

        var sum = tools.Single(t => t!["name"]!.GetValue<string>() == "get-sum")!["inputSchema"]!;
        Assert.Equal("number", sum["properties"]!["a"]!["type"]!.GetValue<string>());
        Assert.Equal("number", sum["properties"]!["b"]!["type"]!.GetValue<string>());
        Assert.Equal("""["a","b"]""", sum["required"]!.ToJsonString());

        var structured = tools.Single(t => t!["name"]!.GetValue<string>() == "get-structured-content")!;
        Assert.Equal("object", structured["outputSchema"]!["type"]!.GetValue<string>());
        Assert.Equal("number", structured["outputSchema"]!["properties"]!["temperature"]!["type"]!.GetValue<string>());
        Assert.Null(structured["outputSchema"]!["additionalProperties"]);

        // Nothing outside AgentCore's SchemaDefinition is left anywhere.
        foreach (var tool in tools)
        {
            AssertOnlySupportedKeywords(tool!["inputSchema"]!.AsObject());
            if (tool["outputSchema"] is JsonObject output)
            {
                AssertOnlySupportedKeywords(output);
            }
        }

        var report = log.ToString();
        Assert.Contains("tool echo, property path inputSchema: removed \"$schema\": \"http://json-schema.org/draft-07/schema#\"", report);
        Assert.Contains("tool get-resource-links, property path inputSchema.properties.count: removed \"minimum\": 1", report);
        Assert.Contains("tool get-structured-content, property path outputSchema: removed \"additionalProperties\": false", report);
        Assert.Contains($"wrote {tools.Count} tools to {file}", report);
    }

    [Fact]
    public async Task A_dash_writes_the_schema_to_standard_output()
    {
        var output = new StringWriter();

        var exit = await RunAsync("-", TestRepository.EverythingServer(), output, new StringWriter());

        Assert.Equal(0, exit);
        Assert.Contains(JsonNode.Parse(output.ToString())!.AsArray(), tool => tool!["name"]!.GetValue<string>() == "echo");
    }

    [Fact]
    public async Task A_server_that_cannot_start_fails_the_export_with_a_message()
    {
        var log = new StringWriter();
        var missing = new StdioServerOptions(Path.Combine(_directory, "no-such-server"), []) { StartupTimeout = TimeSpan.FromSeconds(5) };

        var exit = await RunAsync(Path.Combine(_directory, "tools.json"), missing, new StringWriter(), log);

        Assert.Equal(1, exit);
        Assert.StartsWith("AgentCore schema export failed: ", log.ToString());
        Assert.False(File.Exists(Path.Combine(_directory, "tools.json")));
    }

    [Fact]
    public async Task An_unwritable_file_fails_the_export_with_a_message()
    {
        var log = new StringWriter();
        var file = Path.Combine(_directory, "no-such-directory", "tools.json");

        var exit = await RunAsync(file, TestRepository.EverythingServer(), new StringWriter(), log);

        Assert.Equal(1, exit);
        Assert.Contains($"could not write '{file}'", log.ToString());
    }

    [Theory]
    [InlineData("--export-agentcore-schema tools.json", "tools.json")]
    [InlineData("--port 9000 --export-agentcore-schema=out/t.json", "out/t.json")]
    [InlineData("--export-agentcore-schema -", "-")]
    public void The_switch_takes_its_file_after_a_space_or_an_equals_sign(string commandLine, string expected)
    {
        Assert.True(AgentCoreToolSchemaWriter.TryParseArguments(commandLine.Split(' '), out var target, out var problem));
        Assert.Null(problem);
        Assert.Equal(expected, target);
    }

    [Theory]
    [InlineData("--export-agentcore-schema")]
    [InlineData("--export-agentcore-schema --port")]
    [InlineData("--export-agentcore-schema=")]
    public void The_switch_without_a_file_is_a_problem(string commandLine)
    {
        Assert.True(AgentCoreToolSchemaWriter.TryParseArguments(commandLine.Split(' '), out var target, out var problem));
        Assert.Null(target);
        Assert.Contains("needs a file to write", problem);
    }

    [Fact]
    public void Without_the_switch_there_is_no_export()
    {
        Assert.False(AgentCoreToolSchemaWriter.TryParseArguments(["--port", "8080"], out _, out _));
    }

    private static async Task<int> RunAsync(string target, StdioServerOptions server, TextWriter output, TextWriter log)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(25));
        return await AgentCoreToolSchemaWriter.RunAsync(target, server, output, log, timeout.Token);
    }

    private static void AssertOnlySupportedKeywords(JsonObject schema)
    {
        foreach (var (keyword, value) in schema)
        {
            Assert.Contains(keyword, AgentCoreToolSchemaConverter.SupportedKeywords);
            if (keyword == "properties")
            {
                foreach (var (_, property) in value!.AsObject())
                {
                    AssertOnlySupportedKeywords(property!.AsObject());
                }
            }
            else if (keyword == "items")
            {
                AssertOnlySupportedKeywords(value!.AsObject());
            }
        }

        Assert.Contains(schema["type"]!.GetValue<string>(), AgentCoreToolSchemaConverter.SupportedTypes);
    }
}
