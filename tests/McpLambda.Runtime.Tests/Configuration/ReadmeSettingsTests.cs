using System.Globalization;
using System.Text.RegularExpressions;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Protocol;
using McpLambda.Tests;

namespace McpLambda.Runtime.Tests.Configuration;

/// <summary>The README's configuration table and fault table state the defaults the settings object really has.</summary>
public sealed partial class ReadmeSettingsTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(TestRepository.RootDirectory, "README.md"));

    public static TheoryData<string, long> NumericDefaults()
    {
        var settings = McpLambdaSettings.Default;
        return new TheoryData<string, long>
        {
            { "MCPLAMBDA_MAX_BODY_BYTES", settings.Http.MaxRequestBodyBytes },
            { "MCPLAMBDA_MAX_RESPONSE_BYTES", settings.MaxResponseBytes },
            { "MCPLAMBDA_MAX_BATCH_LENGTH", settings.MaxBatchLength },
            { "MCPLAMBDA_DEADLINE_MARGIN_MS", (long)settings.DeadlineMargin.TotalMilliseconds },
            { "MCPLAMBDA_REQUEST_TIMEOUT_SECONDS", (long)settings.ManagedRuntimeRequestTimeout.TotalSeconds },
            { "MCPLAMBDA_LOCAL_TIMEOUT_SECONDS", (long)settings.LocalInvocationTimeout.TotalSeconds },
        };
    }

    [Theory]
    [MemberData(nameof(NumericDefaults))]
    public void The_configuration_table_states_the_real_default(string variable, long expected)
    {
        var row = Regex.Match(Readme, $@"^\| `{variable}` \| ([0-9,]+) \|", RegexOptions.Multiline);

        Assert.True(row.Success, $"the README's configuration table has no numeric row for {variable}");
        Assert.Equal(expected, long.Parse(row.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Every_variable_the_settings_read_has_a_row_in_the_configuration_table_and_every_row_is_read()
    {
        var read = typeof(EnvironmentVariableNames).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(name => name.StartsWith("MCPLAMBDA_", StringComparison.Ordinal))
            .ToList();
        var rows = TableRow().Matches(Readme).Select(m => m.Groups[1].Value).Where(name => name.StartsWith("MCPLAMBDA_", StringComparison.Ordinal)).ToList();

        // A name that ends in _ is a prefix (MCPLAMBDA_SERVER_ENV_<NAME>): its row shows the placeholder.
        static bool Names(string row, string name) => row == name || (name.EndsWith('_') && row.StartsWith(name, StringComparison.Ordinal));
        var missing = read.Where(name => !rows.Any(row => Names(row, name))).ToList();
        var unknown = rows.Where(row => !read.Any(name => Names(row, name))).ToList();
        Assert.True(missing.Count == 0, "read by the settings but not in the README's configuration table: " + string.Join(", ", missing));
        Assert.True(unknown.Count == 0, "in the README's configuration table but read by nothing: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_wrapped_server_table_names_exactly_the_variables_passed_through_and_withheld()
    {
        var row = Regex.Match(Readme, @"^\| `InheritEnvironment` \|(.*)$", RegexOptions.Multiline);
        Assert.True(row.Success, "the README has no InheritEnvironment row");
        var named = Regex.Matches(row.Groups[1].Value, "`([A-Z][A-Z0-9_]+)`").Select(m => m.Groups[1].Value)
            .Except(["PATH", "HOME"])
            .ToHashSet();

        Assert.Equal(
            McpLambda.Runtime.Bridge.ServerEnvironment.PassedThrough.Concat(McpLambda.Runtime.Bridge.ServerEnvironment.Withheld).Order(StringComparer.Ordinal),
            named.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_fault_table_states_the_real_response_limit()
    {
        var mention = ResponseLimitMention().Match(Readme);

        Assert.True(mention.Success, "the fault table does not name the response limit's default");
        Assert.Equal(McpLambdaSettings.Default.MaxResponseBytes, long.Parse(mention.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^\| `([A-Z0-9_<>]+)`", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"\(`MCPLAMBDA_MAX_RESPONSE_BYTES`, default ([0-9,]+) bytes")]
    private static partial Regex ResponseLimitMention();
}
