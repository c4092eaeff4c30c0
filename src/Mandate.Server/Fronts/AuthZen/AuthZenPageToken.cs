using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mandate.Server.Fronts.AuthZen;

/// <summary>
/// A search's opaque <c>next_token</c>: which query it continues (a hash of the endpoint, every entity, the context
/// and the limit, so a changed request is refused, as §8.2 asks) and the last result it returned. Pages continue after
/// that result in the results' order, so a policy reload between two pages never repeats a result, and a result that
/// is allowed before and after the reload is never skipped.
/// </summary>
public static class AuthZenPageToken
{
    /// <summary>The query's fingerprint: 16 hex digits over the request with its <c>page.token</c> left out.</summary>
    public static string Fingerprint(string endpoint, JsonElement root, int limit)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        Add(endpoint);
        Add(limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var name in (string[])["subject", "action", "resource", "context"])
        {
            Add(root.TryGetProperty(name, out var v) ? v.GetRawText() : "");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>The token continuing after <paramref name="last"/>.</summary>
    public static string Create(string fingerprint, string last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(fingerprint + ":" + last)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The last result a token names, when it was issued for <paramref name="fingerprint"/>; null otherwise.</summary>
    public static string? After(string token, string fingerprint)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon == fingerprint.Length && text.StartsWith(fingerprint, StringComparison.Ordinal) ? text[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
