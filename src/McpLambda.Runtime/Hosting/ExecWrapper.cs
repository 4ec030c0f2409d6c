using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Hosting;

/// <summary>
/// A managed Lambda runtime (<c>nodejs22.x</c>, <c>python3.13</c>) whose <c>AWS_LAMBDA_EXEC_WRAPPER</c> names the
/// bootstrap starts it as <c>bootstrap &lt;interpreter&gt; &lt;runtime args…&gt;</c>. Those arguments start the
/// managed runtime's own client, which the bootstrap replaces with its Runtime API loop: they are not the function's.
/// </summary>
internal static class ExecWrapper
{
    /// <summary>The arguments meant for the function: none when it was started as an exec wrapper under Lambda.</summary>
    public static string[] FunctionArguments(string[] args, McpLambdaSettings settings)
    {
        if (args.Length == 0 || !settings.IsExecWrapper || settings.RuntimeApi is null)
        {
            return args;
        }

        Log.Info($"started as the exec wrapper of '{args[0]}': the managed runtime's arguments are ignored and this function answers the Runtime API itself");
        return [];
    }
}
