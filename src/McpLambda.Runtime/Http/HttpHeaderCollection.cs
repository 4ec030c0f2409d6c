namespace McpLambda.Runtime.Http;

/// <summary>
/// Request or response headers: names compared case-insensitively, each name with one or more values,
/// as both API Gateway payload formats can carry them.
/// </summary>
internal sealed class HttpHeaderCollection : IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Number of distinct header names.</summary>
    public int Count => _values.Count;

    /// <summary>Adds <paramref name="value"/> to the values of <paramref name="name"/>.</summary>
    public void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = new List<string>(1);
        }

        list.Add(value);
    }

    /// <summary>Replaces every value of <paramref name="name"/> with <paramref name="value"/>.</summary>
    public void Set(string name, string value) => _values[name] = [value];

    /// <summary>Removes every value of <paramref name="name"/>; false when there was none.</summary>
    public bool Remove(string name) => _values.Remove(name);

    /// <summary>Whether a header named <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>All values of <paramref name="name"/>, empty when absent.</summary>
    public IReadOnlyList<string> GetValues(string name) => _values.TryGetValue(name, out var list) ? list : [];

    /// <summary>The values of <paramref name="name"/> joined by commas (RFC 9110 field combination), or null when absent.</summary>
    public string? this[string name] => _values.TryGetValue(name, out var list) ? (list.Count == 1 ? list[0] : string.Join(", ", list)) : null;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator()
    {
        foreach (var (name, list) in _values)
        {
            yield return new(name, list);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
