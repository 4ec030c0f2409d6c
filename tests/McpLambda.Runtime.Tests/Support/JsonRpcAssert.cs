using System.Text.Json;

namespace McpLambda.Runtime.Tests.Support;

/// <summary>Checks of JSON-RPC 2.0 answers as they appear on the wire.</summary>
internal static class JsonRpcAssert
{
    /// <summary>Asserts an error answer with <paramref name="code"/> and <paramref name="id"/> (null for <c>"id": null</c>); returns its message.</summary>
    public static string Error(JsonElement answer, int code, object? id)
    {
        Assert.Equal("2.0", answer.GetProperty("jsonrpc").GetString());
        Id(answer, id);
        Assert.False(answer.TryGetProperty("result", out _), "an error answer has no result");
        var error = answer.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    /// <summary>Asserts a result answer with <paramref name="id"/>; returns the result.</summary>
    public static JsonElement Result(JsonElement answer, object id)
    {
        Assert.Equal("2.0", answer.GetProperty("jsonrpc").GetString());
        Id(answer, id);
        Assert.False(answer.TryGetProperty("error", out var error), "unexpected error: " + error);
        return answer.GetProperty("result");
    }

    /// <summary>Asserts a <c>tools/call</c> result whose first content block is text; returns the text.</summary>
    public static string ToolText(JsonElement answer, object id)
    {
        var result = Result(answer, id);
        Assert.False(result.TryGetProperty("isError", out var isError) && isError.GetBoolean(), "the tool reported an error: " + result);
        var first = result.GetProperty("content")[0];
        Assert.Equal("text", first.GetProperty("type").GetString());
        return first.GetProperty("text").GetString()!;
    }

    public static void Id(JsonElement answer, object? id)
    {
        var actual = answer.GetProperty("id");
        switch (id)
        {
            case null:
                Assert.Equal(JsonValueKind.Null, actual.ValueKind);
                break;
            case string s:
                Assert.Equal(JsonValueKind.String, actual.ValueKind);
                Assert.Equal(s, actual.GetString());
                break;
            case int or long:
                Assert.Equal(JsonValueKind.Number, actual.ValueKind);
                Assert.Equal(Convert.ToInt64(id), actual.GetInt64());
                break;
            default:
                throw new ArgumentException($"unsupported id {id}", nameof(id));
        }
    }
}
