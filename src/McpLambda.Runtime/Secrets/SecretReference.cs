namespace McpLambda.Runtime.Secrets;

/// <summary>
/// A value in the server's environment that names a secret instead of holding it: <c>ssm:&lt;parameter&gt;</c>, a
/// Parameter Store parameter (SecureString included) or, through Parameter Store's
/// <c>/aws/reference/secretsmanager/&lt;secret&gt;</c>, a Secrets Manager secret.
/// </summary>
/// <param name="Variable">The server's environment variable that gets the value.</param>
/// <param name="Parameter">The parameter's name or ARN, with a <c>:version</c> or <c>:label</c> selector when one is given.</param>
internal readonly record struct SecretReference(string Variable, string Parameter)
{
    /// <summary>What a value that names a secret starts with.</summary>
    public const string Prefix = "ssm:";

    /// <summary>Stands for the verified OAuth caller's subject in a parameter name: each caller gets its own value.</summary>
    public const string CallerPlaceholder = "{sub}";

    /// <summary>Whether the parameter's name depends on the caller (<see cref="CallerPlaceholder"/>).</summary>
    public bool NamesCaller => Parameter.Contains(CallerPlaceholder, StringComparison.Ordinal);

    /// <summary>The reference for the caller whose subject is <paramref name="subject"/> (checked with <see cref="SubjectProblem"/>).</summary>
    public SecretReference ForCaller(string subject) => this with { Parameter = Parameter.Replace(CallerPlaceholder, subject, StringComparison.Ordinal) };

    /// <summary>
    /// Why <paramref name="subject"/> cannot stand in a parameter name, or null when it can: Parameter Store names take
    /// letters, digits, <c>_</c>, <c>.</c> and <c>-</c>, and a <c>/</c> would let a subject reach into another path.
    /// </summary>
    public static string? SubjectProblem(string subject)
        => subject.Length == 0 ? "it is empty"
            : subject.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') ? null
            : "it has characters a parameter name cannot hold (only letters, digits, _ . - are allowed)";

    /// <summary>The reference as written, for logs and errors: never the value.</summary>
    public override string ToString() => $"{Variable}={Prefix}{Parameter}";

    /// <summary>The references among <paramref name="environment"/>'s values, in the order of their variables' names.</summary>
    public static IReadOnlyList<SecretReference> In(IReadOnlyDictionary<string, string> environment)
        => [.. environment
            .Where(variable => variable.Value.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(variable => new SecretReference(variable.Key, variable.Value[Prefix.Length..]))
            .OrderBy(reference => reference.Variable, StringComparer.Ordinal)];

    /// <summary>Why the parameter cannot be asked for, or null when it can: an empty name or one with spaces never resolves.</summary>
    public string? Problem => Parameter.Length == 0 ? "names no parameter"
        : Parameter.Any(char.IsWhiteSpace) ? "has white space in its parameter name"
        : null;
}
