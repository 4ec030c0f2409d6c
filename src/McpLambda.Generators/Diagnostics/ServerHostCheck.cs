using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpLambda.Generators.Diagnostics
{
    /// <summary>
    /// Whether the Lambda runtime the project builds for (<c>McpLambdaHost</c>) has the server's command on its PATH
    /// (MCPL010): a function that builds and runs locally, where node or python is installed, otherwise fails only once
    /// deployed. The build properties reach the analyzer as <c>build_property.*</c> (McpLambda.targets makes them
    /// visible); without them (a project outside the McpLambda build logic) nothing is checked. It does not gate the
    /// generator: the code is right, the deployment is not.
    /// </summary>
    internal static class ServerHostCheck
    {
        public const string HostProperty = "build_property.McpLambdaHost";
        public const string BundleNodeProperty = "build_property.McpLambdaBundleNode";
        public const string LayerCommandsProperty = "build_property.McpLambdaLayerCommandList";

        private const string ProvidedHost = "provided.al2023";
        private const string NodeHost = "nodejs22.x";
        private const string PythonHost = "python3.13";

        private static readonly Regex Python = new Regex(@"^python3?(\.\d+)?$", RegexOptions.CultureInvariant);

        private const string SameRuntimeEverywhere = "the same runtime in template.yaml and aws-lambda-tools-defaults.json, with AWS_LAMBDA_EXEC_WRAPPER=/var/task/bootstrap";

        /// <summary>
        /// The fix for <paramref name="command"/> on the project's host, or null when the host can start it (or nothing is
        /// known). <c>McpLambdaLayerCommandList</c> is <c>McpLambdaLayerCommands</c> with commas for semicolons.
        /// </summary>
        public static string? Check(string? command, AnalyzerConfigOptions options)
        {
            if (command is null || !options.TryGetValue(HostProperty, out var host) || string.IsNullOrWhiteSpace(host))
            {
                return null;
            }

            options.TryGetValue(BundleNodeProperty, out var bundleNode);
            options.TryGetValue(LayerCommandsProperty, out var layerCommands);
            return Check(
                command.Trim(),
                host.Trim(),
                string.Equals(bundleNode?.Trim(), "true", StringComparison.OrdinalIgnoreCase),
                (layerCommands ?? "").Split(new[] { ';', ',', ' ' }, StringSplitOptions.RemoveEmptyEntries));
        }

        /// <summary>The fix, or null. A command given as a path is the project's own file, which any host can start.</summary>
        public static string? Check(string command, string host, bool bundleNode, IReadOnlyCollection<string> layerCommands)
        {
            if (command.IndexOf('/') >= 0 || layerCommands.Contains(command, StringComparer.Ordinal))
            {
                return null;
            }

            var layer = "or, if a layer puts it on the PATH, say so: <McpLambdaLayerCommands>" + command + "</McpLambdaLayerCommands>";
            switch (command)
            {
                case "node":
                case "npx":
                case "npm":
                    if (host == NodeHost || (host == ProvidedHost && bundleNode && command != "npm"))
                    {
                        return null;
                    }

                    var bundle = host == ProvidedHost && command != "npm"
                        ? ", or ship node in the package with <McpLambdaBundleNode>true</McpLambdaBundleNode>"
                        : "";
                    return host is ProvidedHost or PythonHost
                        ? $"use the Node.js runtime: <McpLambdaHost>{NodeHost}</McpLambdaHost> in the project and {SameRuntimeEverywhere} (dotnet new mcp-lambda picks it for npx servers){bundle}; {layer}"
                        : null;
                case "uv":
                case "uvx":
                    if (host is ProvidedHost or NodeHost or PythonHost)
                    {
                        return $"no Lambda runtime has uv: install the server's package into ./python (pip install <package> -t python) and start it with python -m <module>, with <McpLambdaHost>{PythonHost}</McpLambdaHost> in the project and {SameRuntimeEverywhere}; {layer}";
                    }

                    return null;
                case "dotnet":
                    if (host is ProvidedHost or NodeHost or PythonHost)
                    {
                        return $"publish the server self-contained into a folder of the project (dotnet publish <server project> -c Release -r linux-x64 --self-contained -o server), ship that folder (<McpLambdaServerFile Include=\"server\" />) and start its executable by path, [McpStdioServer(\"server/<name>\")], on {ProvidedHost}; {layer}";
                    }

                    return null;
                default:
                    if (Python.IsMatch(command) && host is ProvidedHost or NodeHost)
                    {
                        return $"use the Python runtime: <McpLambdaHost>{PythonHost}</McpLambdaHost> in the project and {SameRuntimeEverywhere}, with the server's packages in ./python (pip install -t python); {layer}";
                    }

                    return null;
            }
        }
    }
}
