using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using McpLambda.Bench;

var options = BenchOptions.Parse(args);
var events = new EchoEvents(options.EventFile);
var serverIndex = Path.Combine(options.FunctionDirectory, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
var serverVersion = PackageVersion(Path.Combine(options.FunctionDirectory, "node_modules", "@modelcontextprotocol", "server-everything"));
var referenceVersion = PackageVersion(Path.Combine(options.ReferenceDirectory, "node_modules", "@aws", "run-mcp-servers-with-aws-lambda"));
var referenceServerVersion = PackageVersion(Path.Combine(options.ReferenceDirectory, "node_modules", "@modelcontextprotocol", "server-everything"));
if (serverVersion != referenceServerVersion)
{
    throw new InvalidOperationException($"the reference wraps server-everything {referenceServerVersion}, ours {serverVersion}: pin the same version in bench/reference/package.json");
}

Console.WriteLine($"McpLambda benchmark ({(options.Smoke ? "smoke: tiny counts, figures are not meaningful" : "full")}), {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine: nproc={Environment.ProcessorCount}, CPU {ProcFs.CpuModel()}, memory {ProcFs.MemoryTotal()}, {RuntimeInformation.OSDescription}");
Console.WriteLine($"tools: node {NodeVersion()}, driver {RuntimeInformation.FrameworkDescription}");
Console.WriteLine($"wrapped server: @modelcontextprotocol/server-everything {serverVersion}, tools/call echo, one request at a time");
Console.WriteLine("server command: ours and the reference both run `npx --offline @modelcontextprotocol/server-everything` (the sample's attribute);");
Console.WriteLine("                the floor runs `node <node_modules>/@modelcontextprotocol/server-everything/dist/index.js stdio`");
Console.WriteLine($"reference: @aws/run-mcp-servers-with-aws-lambda {referenceVersion}, APIGatewayProxyEventHandler(StdioServerAdapterRequestHandler), node, in-process");
Console.WriteLine();

// Throughput with several calls in flight into one warm server: measured after the one-at-a-time rows (section 2b),
// so that those keep the conditions of earlier runs (the driver's code warms up with every call it makes).
var floorConcurrent = new List<Throughput>();
var oursConcurrent = new List<Throughput>();
var oursConcurrentMetrics = new List<Throughput>();
if (options.OnlyConcurrency)
{
    await RunConcurrencyAsync();
    ThroughputSection();
    Console.WriteLine($"ours / floor, {options.Concurrency} in flight (calls/s) {Stats.Ratio(MedianRate(oursConcurrent) / MedianRate(floorConcurrent)),8}");
    return 0;
}

if (options.OnlyClients)
{
    ClientStartsSection(await ClientStartsAsync());
    return 0;
}

// Secret references: the function built with McpLambdaSecrets, started with no reference and with three (one
// GetParameters call during init), each beside a start of the default build.
await using var secrets = options.SecretsFunctionDirectory is null ? null : new BenchSecrets();
var oursCold = new List<OursRun>();
var secretsNone = new List<OursRun>();
var secretsThree = new List<OursRun>();
var secretsStubNone = new List<OursRun>();
var secretsStubThree = new List<OursRun>();
if (options.OnlySecrets)
{
    for (var i = 0; i < options.ColdRuns; i++)
    {
        Progress($"cold start with secret references {i + 1}/{options.ColdRuns}");
        oursCold.Add(await OursBench.RunAsync(options.FunctionDirectory, events, perInvocation: false, 0, 0));
        await SecretsColdAsync();
    }

    Console.WriteLine($"cold start (ms; median of {options.ColdRuns} [min-max]; clock starts just before the process is started)");
    Cold("ours   process start -> first response", oursCold.Select(r => r.FirstResponseMs));
    SecretsSection();
    SecretsTarget();
    return 0;
}

// 1. The floor.
Progress($"floor: {options.FloorCount} echo calls over one McpClient stdio session (node)");
var floor = await FloorBench.RunAsync("node", [serverIndex, "stdio"], options.FunctionDirectory, options.FloorWarmup, options.FloorCount);
Progress($"floor: {options.FloorCount} echo calls over one McpClient stdio session (npx)");
var floorNpx = await FloorBench.RunAsync("npx", ["--offline", "@modelcontextprotocol/server-everything"], options.FunctionDirectory, options.FloorWarmup, options.FloorCount);

// 2. Ours, warm and PerInvocation (and, for attribution, the Runtime API round trip alone).
Progress($"Runtime API alone: {options.OursWarmCount} round trips to an empty function in this process");
var runtimeApiOnly = await RuntimeApiOnlyBench.RunAsync(events, options.OursWarmup, options.OursWarmCount);
Progress($"ours warm: {options.OursWarmCount} requests through the AOT bootstrap");
var warm = await OursBench.RunAsync(options.FunctionDirectory, events, perInvocation: false, options.OursWarmup, options.OursWarmCount);

// 2a'. The same with OAuth on: every request carries a JWT the function checks against the issuer's keys.
using var issuer = new BenchIssuer();
var oauthEvents = events.WithAuthorization("Bearer " + issuer.Token(events.Resource));
Progress($"ours warm with OAuth: {options.OursWarmCount} requests, each with a bearer token checked in-process");
var warmOAuth = await OursBench.RunAsync(options.FunctionDirectory, oauthEvents, perInvocation: false, options.OursWarmup, options.OursWarmCount, issuer: issuer.Url);
Progress($"ours PerInvocation: {options.PerInvocationCount} requests");
var perInvocation = await OursBench.RunAsync(options.FunctionDirectory, events, perInvocation: true, 1, options.PerInvocationCount);

// 2b. Throughput with calls in flight, floor and ours alternating.
await RunConcurrencyAsync();
var concurrentRatio = MedianRate(oursConcurrent) / MedianRate(floorConcurrent);

// 2c. Server-to-client answers: directly, and relayed between execution environments through DynamoDB.
Progress($"relay: {options.RelayCount} sampling answers each, direct and through dynalite");
var relayPolls = new[] { TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20) };
var (relayDirect, relayed) = await RelayBench.RunAsync(serverIndex, options.DynaliteCli, options.RelayCount, relayPolls);

// 2d. A fresh client to its first tool result, by protocol revision.
var clientStarts = await ClientStartsAsync();

// 3. The reference.
Progress($"reference: {options.ReferenceCount} requests (npx)");
var reference = await ReferenceBench.RunAsync(options.ReferenceDirectory, options.EventFile, "npx", cold: false, options.ReferenceCount);
ReferenceRun? referenceNode = null;
if (options.ReferenceNodeCount > 0)
{
    Progress($"reference: {options.ReferenceNodeCount} requests (node index.js)");
    referenceNode = await ReferenceBench.RunAsync(options.ReferenceDirectory, options.EventFile, "node", cold: false, options.ReferenceNodeCount);
}

// 4. Cold starts, alternating ours and the reference so that drift of the machine hits both alike.
var oursColdOAuth = new List<OursRun>();
var oursStub = new List<OursRun>();
var referenceCold = new List<ReferenceRun>();
var floorCold = new List<double>();
for (var i = 0; i < options.ColdRuns; i++)
{
    Progress($"cold start {i + 1}/{options.ColdRuns}");
    floorCold.Add(await FloorBench.ColdAsync("node", [serverIndex, "stdio"], options.FunctionDirectory));
    oursCold.Add(await OursBench.RunAsync(options.FunctionDirectory, events, perInvocation: false, 0, 0));
    oursColdOAuth.Add(await OursBench.RunAsync(options.FunctionDirectory, oauthEvents, perInvocation: false, 0, 0, issuer: issuer.Url));
    referenceCold.Add(await ReferenceBench.RunAsync(options.ReferenceDirectory, options.EventFile, "npx", cold: true, 1));
    oursStub.Add(await OursBench.RunAsync(options.FunctionDirectory, events, perInvocation: false, 0, 0, options.StubDirectory));
    await SecretsColdAsync();
}

var warmStats = warm.Requests!;
var referenceStats = reference.Requests!;
var perInvocationStats = perInvocation.Requests!;

// The report.
Console.WriteLine("per request (ms)                                                        n      p50      p99     mean      max");
Row("floor  C# SDK McpClient, one stdio session, node index.js", floor);
Row("floor  C# SDK McpClient, one stdio session, npx", floorNpx);
Row("ours   warm: AOT bootstrap, Runtime API round trip, server kept", warmStats);
Row("  of which: Runtime API round trip alone (empty in-driver function)", runtimeApiOnly);
Row("ours   warm with OAuth: the same, each request's JWT checked in-process", warmOAuth.Requests!);
Row("ours   PerInvocation: AOT bootstrap, fresh server per request", perInvocationStats);
Row($"ref    reference {referenceVersion}, API GW handler, npx", referenceStats);
if (referenceNode?.Requests is { } referenceNodeStats)
{
    Row($"ref    reference {referenceVersion}, API GW handler, node index.js", referenceNodeStats);
}

ThroughputSection();

Console.WriteLine();
Console.WriteLine("server-to-client answer (ms): the client's answer POST -> the asking call completes (sampling, server-everything)");
Row("ours   answer reaches the asking environment", relayDirect);
foreach (var (poll, stats) in relayed)
{
    Row($"ours   answer relayed through DynamoDB (dynalite), poll {poll.TotalMilliseconds:0} ms", stats);
}

ClientStartsSection(clientStarts);

Console.WriteLine();
Console.WriteLine($"cold start (ms; median of {options.ColdRuns} [min-max]; clock starts just before the process is started)");
Cold("ours   process start -> ready for first next (init, waits for server)", oursCold.Select(r => r.ReadyForNextMs));
var runtimeReady = oursCold.Where(r => r.RuntimeReadyMs is not null).Select(r => r.RuntimeReadyMs!.Value).ToList();
var serverReady = oursCold.Where(r => r.ServerReadyMs is not null).Select(r => r.ServerReadyMs!.Value).ToList();
if (runtimeReady.Count > 0)
{
    Cold("ours   process start -> runtime up, server not (self-reported*)", runtimeReady);
    Cold("ours   process start -> server ready (self-reported*)", serverReady);
}

Cold("ours   process start -> first response", oursCold.Select(r => r.FirstResponseMs));
Cold("ours   process start -> first response, OAuth on (issuer keys fetched during init)", oursColdOAuth.Select(r => r.FirstResponseMs));
SecretsSection();
Cold("floor  server process start -> first echo (node index.js, SDK client)", floorCold);
Cold("ours   process start -> ready for first next, instant stub server", oursStub.Select(r => r.ReadyForNextMs));
Cold("ref    process start -> handler imported (ready for next)", referenceCold.Select(r => r.ImportedMs));
Cold("ref    process start -> first response", referenceCold.Select(r => r.FirstResponseMs));
Console.WriteLine("       * from the bootstrap's init log line; its process start time comes from /proc (10 ms ticks)");
Console.WriteLine($"ours   bootstrap VmRSS right at first next (stub server): {Mb(oursStub[^1].AdapterRss)}");

Console.WriteLine();
Console.WriteLine("resident memory (VmRSS of the adapter process alone, children not counted)");
Console.WriteLine($"ours   bootstrap after {warmStats.Count + options.OursWarmup + 1} warm requests: {Mb(warm.AdapterRss)}  (children {warm.ChildrenNames}: {Mb(warm.ChildrenRss)})");
Console.WriteLine($"ours   bootstrap after {perInvocationStats.Count + 2} PerInvocation requests: {Mb(perInvocation.AdapterRss)}");
Console.WriteLine($"ref    node after {referenceStats.Count + 1} requests: {Mb(reference.AdapterRss)}  (no child between requests)");

var warmOverFloor = warmStats.P50 / floor.P50;
var referenceOverOurs = referenceStats.P50 / warmStats.P50;
var oursColdFirst = Median(oursCold.Select(r => r.FirstResponseMs));
var referenceColdFirst = Median(referenceCold.Select(r => r.FirstResponseMs));
var coldRatio = referenceColdFirst / oursColdFirst;
Console.WriteLine();
Console.WriteLine("ratios (p50 over p50; cold: median first response over median first response)");
Console.WriteLine($"reference / ours warm          {Stats.Ratio(referenceOverOurs),8}");
Console.WriteLine($"ours warm / floor              {Stats.Ratio(warmOverFloor),8}");
Console.WriteLine($"OAuth added per warm request   {Stats.Ms(warmOAuth.Requests!.P50 - warmStats.P50),8} ms (p50 with a token - p50 without)");
Console.WriteLine($"ours cold OAuth / ours cold    {Stats.Ratio(Median(oursColdOAuth.Select(r => r.FirstResponseMs)) / Median(oursCold.Select(r => r.FirstResponseMs))),8}");
Console.WriteLine($"ours PerInvocation / ours warm {Stats.Ratio(perInvocationStats.P50 / warmStats.P50),8}");
Console.WriteLine($"reference / ours PerInvocation {Stats.Ratio(referenceStats.P50 / perInvocationStats.P50),8}");
Console.WriteLine($"reference cold / ours cold     {Stats.Ratio(coldRatio),8}");
Console.WriteLine($"ours cold / floor cold         {Stats.Ratio(oursColdFirst / Median(floorCold)),8}");
Console.WriteLine($"ours / floor, {options.Concurrency} in flight (calls/s) {Stats.Ratio(concurrentRatio),8}");
Console.WriteLine($"ours with metrics / ours       {Stats.Ratio(MedianRate(oursConcurrentMetrics) / MedianRate(oursConcurrent)),8}");
Console.WriteLine($"attribution (p50s, approximate): ours warm {Stats.Ms(warmStats.P50)} = Runtime API round trip {Stats.Ms(runtimeApiOnly.P50)} + handler, bridge and server {Stats.Ms(warmStats.P50 - runtimeApiOnly.P50)} (floor: client and server {Stats.Ms(floor.P50)})");

Console.WriteLine();
Console.WriteLine("targets");
Target(warmStats.P50 <= 2 * floor.P50, $"ours warm p50 <= 2x floor p50: {Stats.Ms(warmStats.P50)} ms vs 2 x {Stats.Ms(floor.P50)} ms ({Stats.Ratio(warmOverFloor)})");
Target(warmOAuth.Requests!.P50 - warmStats.P50 <= 0.1, $"OAuth adds <= 0.1 ms to a warm request (p50): {Stats.Ms(warmOAuth.Requests!.P50 - warmStats.P50)} ms");
Target(Median(oursColdOAuth.Select(r => r.FirstResponseMs)) <= 1.05 * oursColdFirst, $"cold start with OAuth within 5% of without: {Stats.Ms(Median(oursColdOAuth.Select(r => r.FirstResponseMs)))} vs {Stats.Ms(oursColdFirst)} ms");
SecretsTarget();
Target(referenceOverOurs >= 200, $"reference p50 / ours warm p50 >= 200: {Stats.Ratio(referenceOverOurs)}");
var readyForNext = Median(oursCold.Select(r => r.ReadyForNextMs));
var readyWithStub = Median(oursStub.Select(r => r.ReadyForNextMs));
Target(readyWithStub <= 50, $"AOT adapter ready for first next <= 50 ms (server start excluded: instant stub server): {Stats.Ms(readyWithStub)} ms; with server-everything via npx {Stats.Ms(readyForNext)} ms");

Target(coldRatio >= 3, $"reference cold / ours cold >= 3: {Stats.Ratio(coldRatio)}");
Target(oursColdFirst <= 1.3 * Median(floorCold), $"ours cold first response <= 1.3x the floor's (node index.js started, initialize, first echo): {Stats.Ms(oursColdFirst)} vs {Stats.Ms(Median(floorCold))} ms ({Stats.Ratio(oursColdFirst / Median(floorCold))})");
Target(concurrentRatio >= 0.9, $"ours throughput with {options.Concurrency} in flight >= 0.9x floor: {MedianRate(oursConcurrent):0} vs {MedianRate(floorConcurrent):0} calls/s ({Stats.Ratio(concurrentRatio)})");
Target(warm.AdapterRss <= 40L * 1024 * 1024, $"adapter RSS <= 40 MB: {Mb(warm.AdapterRss)}");

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"summary: warm ours/floor={Stats.Ratio(warmOverFloor)}, reference/ours={Stats.Ratio(referenceOverOurs)}, cold reference/ours={Stats.Ratio(coldRatio)}, concurrent{options.Concurrency} ours/floor={Stats.Ratio(concurrentRatio)}, rss ours={MbShort(warm.AdapterRss)} reference={MbShort(reference.AdapterRss)}"));
return 0;

async Task SecretsColdAsync()
{
    if (secrets is not null)
    {
        secretsNone.Add(await OursBench.RunAsync(options.SecretsFunctionDirectory!, events, perInvocation: false, 0, 0, extraEnvironment: secrets.Environment(references: false)));
        secretsThree.Add(await OursBench.RunAsync(options.SecretsFunctionDirectory!, events, perInvocation: false, 0, 0, extraEnvironment: secrets.Environment(references: true)));

        // With the instant stub server, init is the runtime's own work and the fetch: their difference is what the references cost.
        secretsStubNone.Add(await OursBench.RunAsync(options.SecretsFunctionDirectory!, events, perInvocation: false, 0, 0, options.StubDirectory, extraEnvironment: secrets.Environment(references: false)));
        secretsStubThree.Add(await OursBench.RunAsync(options.SecretsFunctionDirectory!, events, perInvocation: false, 0, 0, options.StubDirectory, extraEnvironment: secrets.Environment(references: true)));
    }
}

void SecretsSection()
{
    if (secrets is null)
    {
        return;
    }

    Cold("ours   process start -> first response, McpLambdaSecrets build, no reference", secretsNone.Select(r => r.FirstResponseMs));
    Cold("ours   process start -> first response, three secret references", secretsThree.Select(r => r.FirstResponseMs));
    Cold("ours   process start -> ready for first next, stub server, McpLambdaSecrets build, no reference", secretsStubNone.Select(r => r.ReadyForNextMs));
    Cold("ours   process start -> ready for first next, stub server, three secret references", secretsStubThree.Select(r => r.ReadyForNextMs));
    Console.WriteLine($"       GetParameters calls: {secrets.Calls} for {secretsThree.Count + secretsStubThree.Count} starts with references");
}

void SecretsTarget()
{
    if (secrets is not null)
    {
        // The stub pair isolates the fetch: with server-everything, node's start (hundreds of ms, +-50) drowns a difference this size.
        var added = Median(secretsStubThree.Select(r => r.ReadyForNextMs)) - Median(secretsStubNone.Select(r => r.ReadyForNextMs));
        var addedFirstResponse = Median(secretsThree.Select(r => r.FirstResponseMs)) - Median(oursCold.Select(r => r.FirstResponseMs));
        Target(added <= 50, $"three secret references add <= 50 ms to a cold start: {Stats.Ms(added)} ms to init with the stub server (three references - none, same build); "
            + $"first response with server-everything {Stats.Ms(addedFirstResponse)} ms (three references - default build)");
    }
}

async Task<(ClientStarts Modern, ClientStarts Legacy)> ClientStartsAsync()
{
    Progress($"fresh clients: {options.ClientStartCount} each speaking 2026-07-28 and pinned to 2025-11-25, alternating");
    return await ClientStartBench.RunAsync(options.FunctionDirectory, warmup: options.Smoke ? 1 : 10, options.ClientStartCount);
}

static void ClientStartsSection((ClientStarts Modern, ClientStarts Legacy) starts)
{
    Console.WriteLine();
    Console.WriteLine("fresh client -> first tool result (ms): MCP C# SDK client 2.4.0, new connection, AOT bootstrap in local mode (one invocation per exchange)");
    Row($"ours   MCP 2026-07-28 (the client's default): {starts.Modern.Exchanges} HTTP exchanges", starts.Modern.Stats);
    Row($"ours   pinned to 2025-11-25 (initialize handshake): {starts.Legacy.Exchanges} HTTP exchanges", starts.Legacy.Stats);
    Console.WriteLine($"2025-11-25 / 2026-07-28, fresh client to first result {Stats.Ratio(starts.Legacy.Stats.P50 / starts.Modern.Stats.P50),8}");
}

static void Row(string name, Stats stats)
    => Console.WriteLine($"{name,-68} {stats.Count,5} {Stats.Ms(stats.P50),8} {Stats.Ms(stats.P99),8} {Stats.Ms(stats.Mean),8} {Stats.Ms(stats.Max),8}");

static void Cold(string name, IEnumerable<double> samples)
{
    var stats = new Stats(samples);
    Console.WriteLine($"{name,-68} {Stats.Ms(stats.P50),8}  [{Stats.Ms(stats.Min)}-{Stats.Ms(stats.Max)}]");
}

static double Median(IEnumerable<double> samples) => new Stats(samples).P50;

async Task RunConcurrencyAsync()
{
    for (var i = 0; i < options.ConcurrentRuns; i++)
    {
        Progress($"concurrency {options.Concurrency}, run {i + 1}/{options.ConcurrentRuns}: {options.ConcurrentCount} calls each, floor, ours, ours with metrics");
        floorConcurrent.Add(await ConcurrencyBench.FloorAsync("node", [serverIndex, "stdio"], options.FunctionDirectory, options.Concurrency, options.ConcurrentWarmup, options.ConcurrentCount));
        oursConcurrent.Add(await ConcurrencyBench.OursAsync(options.FunctionDirectory, events, options.Concurrency, options.ConcurrentWarmup, options.ConcurrentCount));
        oursConcurrentMetrics.Add(await ConcurrencyBench.OursAsync(options.FunctionDirectory, events, options.Concurrency, options.ConcurrentWarmup, options.ConcurrentCount, metrics: true));
    }
}

void ThroughputSection()
{
    Console.WriteLine();
    Console.WriteLine($"throughput, {options.Concurrency} calls in flight into one warm server (calls/s: median of {options.ConcurrentRuns} runs of {options.ConcurrentCount} calls [min-max]; CPU ms per call: driver/adapter/server)");
    Throughputs($"floor  C# SDK McpClient, {options.Concurrency} concurrent calls on one stdio session", floorConcurrent);
    Throughputs($"ours   AOT bootstrap, AWS_LAMBDA_MAX_CONCURRENCY={options.Concurrency}, Runtime API", oursConcurrent);
    Throughputs("ours   same, with MCPLAMBDA_METRICS=on (EMF line per invocation)", oursConcurrentMetrics);
}

static double MedianRate(IEnumerable<Throughput> runs) => Median(runs.Select(r => r.PerSecond));

static void Throughputs(string name, IReadOnlyList<Throughput> runs)
{
    var rates = new Stats(runs.Select(r => r.PerSecond));
    var median = runs.OrderBy(r => r.PerSecond).ElementAt((runs.Count - 1) / 2).CpuPerCall;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-68} {rates.P50,8:0}  [{rates.Min:0}-{rates.Max:0}]  cpu {median.Driver:0.000}/{median.Adapter:0.000}/{median.Server:0.000}"));
}

static void Target(bool met, string text) => Console.WriteLine($"[{(met ? "met" : "MISSED")}] {text}");

static string Mb(long? bytes) => bytes is { } b ? ProcFs.Mb(b) : "n/a";

static string MbShort(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1024.0 / 1024.0:0}MB") : "n/a";

static void Progress(string text) => Console.Error.WriteLine($"... {text}");

static string PackageVersion(string directory)
    => JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "package.json")))?["version"]?.GetValue<string>() ?? "unknown";

static string NodeVersion()
{
    using var node = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
    var version = node.StandardOutput.ReadToEnd().Trim();
    node.WaitForExit();
    return version;
}
