using System.Security.Cryptography;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Ids that act as bearer secrets (whoever knows one can answer in its name): 128 bits from the cryptographic random
/// source, as 32 lower-case hex digits. <see cref="Guid.NewGuid"/> is not documented as cryptographic on every platform,
/// and fixes 6 of its bits.
/// </summary>
internal static class UnguessableId
{
    /// <summary>A new id: <paramref name="prefix"/> followed by 32 random hex digits.</summary>
    /// <remarks>
    /// On Linux the source is OpenSSL's, loaded at the first call rather than at start-up; without libssl (which
    /// <c>provided.al2023</c> has) .NET ends the process there.
    /// </remarks>
    public static string New(string prefix) => prefix + RandomNumberGenerator.GetHexString(32, lowercase: true);
}
