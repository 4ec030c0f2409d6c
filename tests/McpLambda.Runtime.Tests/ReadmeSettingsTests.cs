using System.Globalization;
using System.Text.RegularExpressions;
using McpLambda.Runtime.Configuration;
using McpLambda.Tests;

namespace McpLambda.Runtime.Tests;

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
    public void The_fault_table_states_the_real_response_limit()
    {
        var mention = ResponseLimitMention().Match(Readme);

        Assert.True(mention.Success, "the fault table does not name the response limit's default");
        Assert.Equal(McpLambdaSettings.Default.MaxResponseBytes, long.Parse(mention.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"\(`MCPLAMBDA_MAX_RESPONSE_BYTES`, default ([0-9,]+) bytes")]
    private static partial Regex ResponseLimitMention();
}
