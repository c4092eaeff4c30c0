using System.Buffers.Text;
using System.Text.Json;

namespace Mandate.Server.Flow.Identify;

/// <summary>
/// Reads the <c>iss</c> of a compact JWS without verifying it, only to route the token to the verifier that
/// owns that issuer. Nothing read here is trusted: the chosen verifier checks the signature and every claim.
/// </summary>
public static class UnverifiedClaims
{
    /// <summary>The payload's <c>iss</c>, or null when the token is not a compact JWS with a string <c>iss</c>.</summary>
    public static string? Issuer(string token)
    {
        var first = token.IndexOf('.');
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second < 0)
        {
            return null;
        }
        try
        {
            var payload = Base64Url.DecodeFromChars(token.AsSpan(first + 1, second - first - 1));
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isIss = reader.ValueTextEquals("iss"u8);
                if (!reader.Read())
                {
                    return null;
                }
                if (isIss)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Skip();
            }
            return null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
