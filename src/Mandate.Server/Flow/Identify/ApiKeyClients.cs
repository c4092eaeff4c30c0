using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Decisions;
using Mandate.Server.Configuration;

namespace Mandate.Server.Flow.Identify;

/// <summary>
/// Decision API clients that prove themselves with an API key (<c>Authorization: Bearer &lt;key&gt;</c>): the key's
/// SHA-256 is compared, in constant time, with every configured client's; the key itself is never stored. A match is
/// a caller named after the client, with method <c>api_key</c>.
/// </summary>
public static class ApiKeyClients
{
    /// <summary>The client whose key <paramref name="token"/> is, as a verified caller; null when it is none.</summary>
    public static ResolvedCaller? Match(ReadOnlySpan<char> token, AuthZenConfig authzen)
    {
        if (token.Length == 0 || token.Length > BearerHeader.MaxTokenLength)
        {
            return null;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(token.ToArray());
        SHA256.HashData(bytes, digest);
        DecisionClientConfig? found = null;
        foreach (var client in authzen.Clients)
        {
            // Every configured key is compared, so the time taken does not say which one (or whether one) matched.
            if (client.ApiKeySha256 is { } key && CryptographicOperations.FixedTimeEquals(digest, key))
            {
                found ??= client;
            }
        }

        return found is null
            ? null
            : new ResolvedCaller(new CallerIdentity(found.Name, DecisionClientConfig.ApiKeyMethod, "mandate", null, [], [], null, null), null);
    }
}
