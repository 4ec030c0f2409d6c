using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Protocol;
using McpLambda.Tests;
using ModelContextProtocol.Protocol;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// The relay of server requests between execution environments when its table is slow or refuses: the server's other
/// calls go on being answered, nothing waits on the table that need not, and neither callers nor the server learn the
/// account, role or table from an error (the log does, under the id the error names).
/// </summary>
public sealed partial class RelayStoreFaultTests
{
    private const string Account = "123456789012";

    [Fact]
    public async Task Other_calls_on_the_server_are_answered_on_time_while_a_slow_table_records_a_server_request()
    {
        var store = new InMemoryRelayStore { Latency = _ => TimeSpan.FromSeconds(3) };
        await using var bridge = Bridge(store);
        var client = new LiveClient(request => bridge.HandleAsync(Answer(request.Id, "from the client"), CancellationToken.None).AsTask());

        var sampling = bridge.HandleAsync(MisbehavingServer.Call("sampling", id: 1), client, Deadline(20)).AsTask();
        await store.AddStarted.WaitAsync(TimeSpan.FromSeconds(10));
        var started = Stopwatch.StartNew();
        var echo = await bridge.CallAsync("echo", new JsonObject { ["message"] = "on time" }, deadline: TimeSpan.FromSeconds(1), id: 2);

        Assert.Equal("Echo: on time", echo.Text());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"took {started.Elapsed}");
        Assert.Contains("from the client", (await sampling).Text());
    }

    [Fact]
    public async Task The_timeout_answer_does_not_wait_for_the_table_to_remove_the_record()
    {
        var store = new InMemoryRelayStore { Latency = operation => operation == StoreOperation.Remove ? TimeSpan.FromSeconds(3) : TimeSpan.Zero };
        await using var bridge = Bridge(store);
        var client = LiveClient.Silent();

        var started = Stopwatch.StartNew();
        var result = await bridge.HandleAsync(MisbehavingServer.Call("sampling"), client, Deadline(1.5));

        // Soon after the deadline (the server is replaced meanwhile), not after the removal's 3 s on top.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3.5), $"took {started.Elapsed}");
        Assert.Equal(JsonRpcErrorCodes.RequestTimeout, result!.Error().Code);
        Assert.Single(client.Requests);
        await WaitForAsync(() => store.Count == 0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_call_that_ends_while_its_server_request_is_being_recorded_tells_the_server_at_once_and_leaves_nothing_behind()
    {
        var store = new InMemoryRelayStore { Latency = operation => operation == StoreOperation.Add ? TimeSpan.FromSeconds(3) : TimeSpan.Zero };
        await using var bridge = Bridge(store);
        var client = LiveClient.Silent();

        var sampling = bridge.HandleAsync(MisbehavingServer.Call("sampling", id: 1), client, Deadline(1)).AsTask();
        await store.AddStarted.WaitAsync(TimeSpan.FromSeconds(10));

        // Another call in flight keeps the server: one with nothing else to lose is replaced after a missed deadline.
        var keeper = bridge.HandleAsync(MisbehavingServer.Call("slow", new JsonObject { ["ms"] = 4000 }, id: 2), Deadline(20)).AsTask();
        Assert.Equal(JsonRpcErrorCodes.RequestTimeout, (await sampling)!.Error().Code);
        await store.AddEnded.WaitAsync(TimeSpan.FromSeconds(10));

        await WaitForAsync(() => store.Count == 0, TimeSpan.FromSeconds(5));
        Assert.Empty(client.Requests);
        Assert.Equal("[]", (await bridge.CallAsync("unanswered", id: 3)).Text());
        Assert.Equal("slept 4000 ms", (await keeper).Text());
    }

    [Fact]
    public async Task An_answer_the_table_refuses_gets_a_generic_error_naming_a_correlation_id_that_the_log_has_the_details_under()
    {
        using var stderr = new StderrCapture();
        var store = new InMemoryRelayStore { Fault = operation => operation == StoreOperation.Answer ? AccessDenied("PutItem") : null };
        await using var bridge = Bridge(store);

        var refused = await bridge.HandleAsync(Answer(new RequestId("mcp-lambda-" + Guid.NewGuid().ToString("N")), "an answer"), CancellationToken.None);

        var message = refused!.Error().Message;
        AssertNoAwsDetails(message);
        var correlation = CorrelationId(message);
        Assert.Contains(stderr.Text.Split('\n'), line => line.Contains(correlation) && line.Contains(Account));
    }

    [Fact]
    public async Task A_server_request_that_cannot_be_recorded_is_refused_at_once_with_a_generic_error()
    {
        using var stderr = new StderrCapture();
        var store = new InMemoryRelayStore { Fault = operation => operation == StoreOperation.Add ? AccessDenied("PutItem") : null };
        await using var bridge = Bridge(store);
        var client = LiveClient.Silent();

        var told = (await bridge.HandleAsync(MisbehavingServer.Call("sampling"), client, Deadline(10))).Text();

        Assert.Contains("the relay that carries its answer between execution environments failed", told);
        AssertNoAwsDetails(told);
        Assert.Contains(stderr.Text.Split('\n'), line => line.Contains(CorrelationId(told)) && line.Contains(Account));
        Assert.Empty(client.Requests);
    }

    [Fact]
    public async Task A_table_that_keeps_failing_fails_the_server_request_after_a_few_reads_and_is_logged_once()
    {
        using var stderr = new StderrCapture();
        var store = new InMemoryRelayStore { Fault = operation => operation == StoreOperation.Take ? AccessDenied("GetItem") : null };
        await using var bridge = Bridge(store);
        var client = LiveClient.Silent();
        var started = Stopwatch.StartNew();

        var told = (await bridge.HandleAsync(MisbehavingServer.Call("sampling"), client, Deadline(10))).Text();

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        Assert.Contains("could not read the client's answer", told);
        AssertNoAwsDetails(told);
        var id = Assert.IsType<string>(Assert.Single(client.Requests).Id.Id);
        Assert.Single(stderr.Text.Split('\n'), line => line.Contains(id) && line.Contains(Account));
    }

    [Fact]
    public async Task A_table_that_fails_now_and_then_still_delivers_the_answer_from_another_environment()
    {
        var failures = 0;
        var store = new InMemoryRelayStore
        {
            Fault = operation => operation == StoreOperation.Take && Interlocked.Increment(ref failures) < ServerRequestRelay.MaxConsecutiveReadFailures
                ? new AmazonDynamoDBException("Throughput exceeds the current capacity of your table or index.")
                : null,
        };
        await using var asker = Bridge(store);
        await using var other = Bridge(store);
        var client = new LiveClient(request => other.HandleAsync(Answer(request.Id, "relayed"), CancellationToken.None).AsTask());

        var result = await asker.HandleAsync(MisbehavingServer.Call("sampling"), client, Deadline(10));

        Assert.Contains("relayed", result.Text());
        Assert.All(client.Answers, Assert.Null);
    }

    private static StdioServerBridge Bridge(InMemoryRelayStore store)
        => new(MisbehavingServer.Options(), new ServerRequestRelay(store, TimeSpan.FromMilliseconds(50)));

    /// <summary>What an IAM refusal says: the account, the role and the table, none of which a caller may learn.</summary>
    private static AmazonDynamoDBException AccessDenied(string action) => new(
        $"User: arn:aws:sts::{Account}:assumed-role/relay-role/mcp-function is not authorized to perform: dynamodb:{action} on resource: arn:aws:dynamodb:us-east-1:{Account}:table/secret-relay-table because no identity-based policy allows the dynamodb:{action} action")
    {
        ErrorCode = "AccessDeniedException",
    };

    private static void AssertNoAwsDetails(string message)
    {
        Assert.DoesNotContain(Account, message);
        Assert.DoesNotContain("relay-role", message);
        Assert.DoesNotContain("secret-relay-table", message);
        Assert.DoesNotContain("AccessDenied", message);
    }

    private static string CorrelationId(string message)
    {
        var match = CorrelationPattern().Match(message);
        Assert.True(match.Success, $"no correlation id in: {message}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("relay error ([0-9a-f]{16})")]
    private static partial Regex CorrelationPattern();

    private static CancellationToken Deadline(double seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private static JsonRpcResponse Answer(RequestId id, string text) => new()
    {
        Id = id,
        Result = new JsonObject { ["role"] = "assistant", ["content"] = new JsonObject { ["type"] = "text", ["text"] = text }, ["model"] = "test" },
    };

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < limit)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), $"not so after {limit}");
    }
}
