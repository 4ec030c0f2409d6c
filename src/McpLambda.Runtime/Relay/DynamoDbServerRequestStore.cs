using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace McpLambda.Runtime.Relay;

/// <summary>
/// The server-request relay on a DynamoDB table (key <c>id</c>, a string; TTL attribute <c>expiresAt</c>). Each item is
/// one waiting request: the function that made it, its method and expiry (the call's deadline plus a margin, so the
/// table's TTL removes what an environment that vanished left behind), and, once a client answers, the answer. Only
/// <c>GetItem</c>, <c>PutItem</c> and <c>DeleteItem</c> are used, so the function's role needs no more.
/// </summary>
internal sealed class DynamoDbServerRequestStore(IAmazonDynamoDB dynamo, string table, string function) : IServerRequestStore, IDisposable
{
    /// <summary>How long an item outlives its call's deadline before the table's TTL may remove it.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(5);

    /// <summary>DynamoDB's item size limit, attribute names and values together: 400 KB.</summary>
    public const int MaxItemBytes = 400 * 1024;

    private const string Id = "id";
    private const string Function = "function";
    private const string Method = "method";
    private const string ExpiresAt = "expiresAt";
    private const string Answer = "answer";

    /// <inheritdoc/>
    public int MaxRecordBytes => MaxItemBytes;

    /// <inheritdoc/>
    public Task AddAsync(string id, string method, DateTimeOffset deadline, CancellationToken cancellationToken)
        => dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new Dictionary<string, AttributeValue>
            {
                [Id] = new() { S = id },
                [Function] = new() { S = function },
                [Method] = new() { S = method },
                [ExpiresAt] = new() { N = (deadline + ExpiryMargin).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
            },
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<RelayAnswerOutcome> AnswerAsync(string id, string answer, CancellationToken cancellationToken)
    {
        var item = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return RelayAnswerOutcome.Unknown;
        }

        if (!item.TryGetValue(Function, out var owner) || owner.S != function)
        {
            return RelayAnswerOutcome.OtherFunction;
        }

        if (item.ContainsKey(Answer))
        {
            return RelayAnswerOutcome.AlreadyAnswered;
        }

        if (IsExpired(item))
        {
            return RelayAnswerOutcome.Expired;
        }

        item[Answer] = new AttributeValue { S = answer };
        if (Size(item) > MaxItemBytes)
        {
            return RelayAnswerOutcome.TooLarge;
        }

        try
        {
            // Two answers racing: only the first is stored; the waiting request must still be there.
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = item,
                ConditionExpression = "attribute_exists(#id) AND attribute_not_exists(#answer)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#id"] = Id, ["#answer"] = Answer },
            }, cancellationToken).ConfigureAwait(false);
            return RelayAnswerOutcome.Accepted;
        }
        catch (ConditionalCheckFailedException)
        {
            return await GetAsync(id, cancellationToken).ConfigureAwait(false) is null ? RelayAnswerOutcome.Unknown : RelayAnswerOutcome.AlreadyAnswered;
        }
    }

    /// <inheritdoc/>
    public async Task<string?> TakeAnswerAsync(string id, CancellationToken cancellationToken)
    {
        var item = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (item is null || !item.TryGetValue(Answer, out var answer))
        {
            return null;
        }

        await RemoveAsync(id, cancellationToken).ConfigureAwait(false);
        return answer.S;
    }

    /// <inheritdoc/>
    public Task RemoveAsync(string id, CancellationToken cancellationToken)
        => dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = Key(id) }, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => dynamo.Dispose();

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(id), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>
    /// The item's size as DynamoDB counts it, or a little more: attribute names and strings in UTF-8, a number at most its
    /// digits plus one (DynamoDB stores two digits a byte).
    /// </summary>
    private static int Size(Dictionary<string, AttributeValue> item)
        => item.Sum(attribute => Encoding.UTF8.GetByteCount(attribute.Key)
            + (attribute.Value.S is { } text ? Encoding.UTF8.GetByteCount(text) : (attribute.Value.N?.Length ?? 0) + 1));

    /// <summary>TTL removes expired items late (within days), so expiry is checked on every read.</summary>
    private static bool IsExpired(Dictionary<string, AttributeValue> item)
        => item.TryGetValue(ExpiresAt, out var expires)
            && long.TryParse(expires.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            && DateTimeOffset.FromUnixTimeSeconds(seconds) - ExpiryMargin < DateTimeOffset.UtcNow;

    private static Dictionary<string, AttributeValue> Key(string id) => new() { [Id] = new AttributeValue { S = id } };
}
