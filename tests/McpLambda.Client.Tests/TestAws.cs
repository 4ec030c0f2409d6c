using System.Reflection;
using Amazon.Runtime;

namespace McpLambda.Client.Tests;

/// <summary>The identities and region the local emulations use.</summary>
public static class TestAws
{
    public const string Region = "us-east-1";
    public const string FunctionAccount = "123456789012";

    public static readonly AwsCaller Caller = new(
        "AKIAMCPLAMBDACLIENT1",
        "mcpLambdaClientTestSecretKey/0123456789+ab",
        "111122223333",
        "arn:aws:iam::111122223333:user/mcp-client-tests",
        "AIDAMCPLAMBDACLIENT01");

    public static AWSCredentials Credentials => new BasicAWSCredentials(Caller.AccessKey, Caller.SecretKey);

    public static SigV4Verifier Verifier() => new(Region, "lambda", [Caller]);

    public static string Metadata(string key)
        => typeof(TestAws).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
