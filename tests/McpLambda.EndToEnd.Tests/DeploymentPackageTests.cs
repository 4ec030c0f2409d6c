using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Local;
using McpLambda.Tests;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The artifact a user uploads: `dotnet publish -c Release` builds the Native AOT bootstrap and the zip; the test
/// unzips it and runs that, not the build tree, under the Runtime API emulation.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeploymentPackageTests
{
    [Fact]
    public async Task The_published_zip_runs_under_the_Runtime_API_and_the_AOT_build_has_no_trim_warnings()
    {
        var project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SampleFunction.Executable("EverythingFunction"))!, "../../.."));
        var (exitCode, publishLog) = await CommandLine.RunAsync("dotnet", project, ["publish", "-c", "Release", "-nologo"]);
        Assert.True(exitCode == 0, publishLog);
        Assert.DoesNotMatch(@"warning IL[23]\d{3}", publishLog);
        Assert.DoesNotContain("warning", publishLog, StringComparison.OrdinalIgnoreCase);

        var package = Path.Combine(project, "bin", "lambda", "EverythingFunction.zip");
        var root = Directory.CreateTempSubdirectory("mcplambda-package-").FullName;
        try
        {
            var (unzipped, unzipLog) = await CommandLine.RunAsync("unzip", root, ["-q", package]);
            Assert.True(unzipped == 0, unzipLog);
            Assert.True(File.GetUnixFileMode(Path.Combine(root, "bootstrap")).HasFlag(UnixFileMode.UserExecute), "bootstrap must be executable");
            Assert.True(Directory.Exists(Path.Combine(root, "node_modules", "@modelcontextprotocol", "server-everything")));

            await using var lambda = RuntimeApiEmulator.Start();
            using var function = Process.Start(new ProcessStartInfo(Path.Combine(root, "bootstrap"))
            {
                WorkingDirectory = root,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                Environment = { ["AWS_LAMBDA_RUNTIME_API"] = lambda.Address, ["LAMBDA_TASK_ROOT"] = root },
            })!;
            try
            {
                var request = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "apigateway-rest-tools-call.json")))!;
                var result = await lambda.InvokeAsync(Encoding.UTF8.GetBytes(request.ToJsonString()));

                Assert.Null(result.FunctionError);
                var response = JsonNode.Parse(result.Payload)!;
                Assert.Equal(200, response["statusCode"]!.GetValue<int>());
                var body = JsonNode.Parse(response["body"]!.GetValue<string>())!;
                Assert.Equal("Echo: from API Gateway", body["result"]!["content"]![0]!["text"]!.GetValue<string>());
            }
            finally
            {
                function.Kill(entireProcessTree: true);
                await function.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
