using McpLambda.Runtime.Local;
using McpLambda.Tests;

namespace McpLambda.Client.Tests;

/// <summary>
/// The functions the tests call, each under its own Runtime API emulator: the LambdaInvokeFunction and
/// FunctionUrlFunction samples as their own processes (wrapping server-everything), and the in-process
/// fault function; with the local Invoke API and function URL in front.
/// </summary>
public sealed class LambdaFixture : IAsyncLifetime
{
    public const string EverythingFunction = "mcp-everything";
    public const string FaultyFunction = "mcp-fault";

    private RuntimeApiEmulator? _invokeLambda;
    private RuntimeApiEmulator? _faultLambda;
    private RuntimeApiEmulator? _urlLambda;
    private FaultFunction? _fault;

    public LocalInvokeApi InvokeApi { get; private set; } = null!;

    public LocalFunctionUrl FunctionUrl { get; private set; } = null!;

    public SampleFunction InvokeSample { get; private set; } = null!;

    /// <summary>The Runtime API the FunctionUrlFunction sample runs against.</summary>
    internal RuntimeApiEmulator UrlLambda => _urlLambda!;

    public SampleFunction UrlSample { get; private set; } = null!;

    public LambdaFunctionClientTransportOptions Options(string function = EverythingFunction) => new()
    {
        FunctionName = function,
        RegionName = TestAws.Region,
        Credentials = TestAws.Credentials,
        Endpoint = InvokeApi.Endpoint,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    public Task InitializeAsync()
    {
        _invokeLambda = RuntimeApiEmulator.Start();
        _faultLambda = RuntimeApiEmulator.Start();
        _urlLambda = RuntimeApiEmulator.Start();
        InvokeSample = SampleFunction.StartUnderLambda("LambdaInvokeFunction", _invokeLambda.Address);
        UrlSample = SampleFunction.StartUnderLambda("FunctionUrlFunction", _urlLambda.Address);
        _fault = new FaultFunction(_faultLambda.Address);
        InvokeApi = new LocalInvokeApi(TestAws.Verifier());
        InvokeApi.AddFunction(EverythingFunction, _invokeLambda);
        InvokeApi.AddFunction(FaultyFunction, _faultLambda);
        FunctionUrl = new LocalFunctionUrl(TestAws.Verifier(), _urlLambda);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await InvokeApi.DisposeAsync();
        await FunctionUrl.DisposeAsync();
        await InvokeSample.DisposeAsync();
        await UrlSample.DisposeAsync();
        await _fault!.DisposeAsync();
        await _invokeLambda!.DisposeAsync();
        await _faultLambda!.DisposeAsync();
        await _urlLambda!.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LambdaCollection : ICollectionFixture<LambdaFixture>
{
    public const string Name = "Lambda functions";
}
