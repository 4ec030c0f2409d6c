namespace McpLambda.Runtime.Bridge;

/// <summary>Reading a child's exit code.</summary>
internal static class ExitCodes
{
    /// <summary>
    /// Whether <paramref name="exitCode"/> says the process was ended by a signal: .NET reports 128 + the signal's
    /// number (137 for SIGKILL, 143 for SIGTERM), as shells do.
    /// </summary>
    public static bool IsSignal(int? exitCode) => exitCode is > 128 and <= 128 + 64;
}
