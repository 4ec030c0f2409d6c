using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// Keeps an authorization flow's facts in the flow itself instead of in storage: a few strings and an expiry, encrypted
/// and authenticated with AES-256-GCM into one URL-safe text. The purpose (a state, a code) is authenticated too, so one
/// kind can never be passed off as the other; whoever lacks the key can neither read nor forge one.
/// </summary>
internal sealed class FlowSeal
{
    /// <summary>The key length: AES-256.</summary>
    public const int KeyBytes = 32;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public FlowSeal(byte[] key, TimeProvider time)
    {
        if (key.Length != KeyBytes)
        {
            throw new ArgumentException($"The sealing key must be {KeyBytes} bytes, not {key.Length}.", nameof(key));
        }

        _key = key;
        _time = time;
    }

    /// <summary>Seals <paramref name="fields"/> for <paramref name="purpose"/>, good for <paramref name="lifetime"/>.</summary>
    public string Seal(string purpose, TimeSpan lifetime, params string?[] fields)
    {
        var plain = Plaintext(_time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds(), fields);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(purpose));
        return Base64UrlEncoder.Encode(sealedBytes);
    }

    /// <summary>The fields sealed for <paramref name="purpose"/>, or null when <paramref name="text"/> is no such seal, was altered, or has expired.</summary>
    public string?[]? Open(string purpose, string? text)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64UrlEncoder.DecodeBytes(text ?? "");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }

        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), plain, Encoding.UTF8.GetBytes(purpose));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        // Authentic, so written by Plaintext: [expiry, fields...].
        using var json = JsonDocument.Parse(plain);
        var items = json.RootElement.EnumerateArray().ToArray();
        return items[0].GetInt64() < _time.GetUtcNow().ToUnixTimeSeconds() ? null : [.. items.Skip(1).Select(i => i.GetString())];
    }

    private static byte[] Plaintext(long expires, string?[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteNumberValue(expires);
            foreach (var field in fields)
            {
                json.WriteStringValue(field);
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
