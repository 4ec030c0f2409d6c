using System.Text;

namespace McpLambda.Runtime.Http;

/// <summary>
/// The fields of an <c>application/x-www-form-urlencoded</c> text: a query string, or a form body such as an OAuth
/// token request's. Names and values are decoded (<c>+</c> is a space); a field may repeat.
/// </summary>
internal sealed class FormFields
{
    private readonly List<KeyValuePair<string, string>> _fields;

    private FormFields(List<KeyValuePair<string, string>> fields) => _fields = fields;

    /// <summary>Every field, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>The first value of <paramref name="name"/>, or null when it is absent.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var (key, value) in _fields)
            {
                if (key == name)
                {
                    return value;
                }
            }

            return null;
        }
    }

    /// <summary>Every value of <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> All(string name) => [.. _fields.Where(f => f.Key == name).Select(f => f.Value)];

    /// <summary>The first name other than <paramref name="repeatable"/> that appears more than once, or null.</summary>
    public string? RepeatedName(params string[] repeatable)
        => _fields.GroupBy(f => f.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Skip(1).Any() && !repeatable.Contains(g.Key))?.Key;

    /// <summary>Reads <paramref name="encoded"/>; a malformed escape stays as written rather than failing.</summary>
    public static FormFields Parse(string encoded)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            fields.Add(equals < 0
                ? new(Decode(pair), "")
                : new(Decode(pair[..equals]), Decode(pair[(equals + 1)..])));
        }

        return new FormFields(fields);
    }

    /// <summary>Reads a form body (UTF-8).</summary>
    public static FormFields Parse(ReadOnlyMemory<byte> body) => Parse(Encoding.UTF8.GetString(body.Span));

    /// <summary><paramref name="fields"/> written as a query string (no leading <c>?</c>), skipping null values.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string?>> fields)
        => string.Join('&', fields.Where(f => f.Value is not null).Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value!)));

    /// <summary><paramref name="url"/> with <paramref name="fields"/> added to its query.</summary>
    public static string AppendTo(string url, IEnumerable<KeyValuePair<string, string?>> fields)
        => Encode(fields) is { Length: > 0 } query ? url + (url.Contains('?') ? '&' : '?') + query : url;

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
