namespace McpLambda.Package.Tests;

/// <summary>The test's own stdio MCP server in Python (PyPI is not reachable here): installed into a project's packages folder.</summary>
internal static class PythonServer
{
    public static void CopyInto(string project)
    {
        var packages = Directory.CreateDirectory(Path.Combine(project, "python")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Servers", "echo_server.py"), Path.Combine(packages, "echo_server.py"), overwrite: true);
    }
}
