using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mandate.Core.OAuth;

/// <summary>
/// The RFC 7638 JWK thumbprint with SHA-256: a JSON object of only the required public members of the key,
/// in lexicographic order, without whitespace, hashed and base64url-encoded. DPoP binds a token to it (<c>cnf.jkt</c>).
/// </summary>
public static class JwkThumbprint
{
    /// <summary>The thumbprint of <paramref name="jwk"/>, or null when it is not an EC, RSA or OKP public key with string members.</summary>
    public static string? Compute(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object || Member(jwk, "kty") is not { } kty)
        {
            return null;
        }
        // Required members per key type, already in lexicographic order (RFC 7638 §3.2).
        string[] names = kty switch
        {
            "EC" => ["crv", "kty", "x", "y"],
            "RSA" => ["e", "kty", "n"],
            "OKP" => ["crv", "kty", "x"],
            _ => [],
        };
        if (names.Length == 0)
        {
            return null;
        }
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var name in names)
            {
                if (Member(jwk, name) is not { } value)
                {
                    return null;
                }
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
        }
        return Base64Url.EncodeToString(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>The thumbprint of a JWK given as JSON text; null when it is not a usable public key.</summary>
    public static string? Compute(string jwkJson)
    {
        try
        {
            using var document = JsonDocument.Parse(jwkJson);
            return Compute(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Member(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
