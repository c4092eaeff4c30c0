using System.Text;
using System.Text.Json;

namespace Mandate.Core.Tokens;

/// <summary>RFC 8414 authorization server metadata for Mandate's token endpoints.</summary>
public static class AuthorizationServerMetadata
{
    /// <summary>The RFC 8693 token exchange grant type.</summary>
    public const string TokenExchangeGrantType = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>The metadata document as JSON.</summary>
    /// <param name="issuer">The <c>iss</c> of task tokens (must equal <see cref="TaskTokenOptions.Issuer"/>).</param>
    /// <param name="tokenEndpoint">Absolute URL of the token endpoint.</param>
    /// <param name="jwksUri">Absolute URL of the JWKS.</param>
    /// <param name="introspectionEndpoint">Absolute URL of the RFC 7662 endpoint, or null when not served.</param>
    /// <param name="revocationEndpoint">Absolute URL of the RFC 7009 endpoint, or null when not served.</param>
    /// <param name="scopesSupported">Scopes to advertise, or null to leave the member out.</param>
    /// <param name="tokenEndpointAuthMethods">Client authentication methods at the token endpoint (default: none, the
    /// actor token authenticates the agent; <c>tls_client_auth</c> when mTLS is used).</param>
    /// <param name="dpopAlgorithms">DPoP proof algorithms the server accepts (default: ES256).</param>
    public static string ToJson(
        string issuer,
        string tokenEndpoint,
        string jwksUri,
        string? introspectionEndpoint = null,
        string? revocationEndpoint = null,
        IReadOnlyList<string>? scopesSupported = null,
        IReadOnlyList<string>? tokenEndpointAuthMethods = null,
        IReadOnlyList<string>? dpopAlgorithms = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("issuer", issuer);
            w.WriteString("token_endpoint", tokenEndpoint);
            w.WriteString("jwks_uri", jwksUri);
            if (introspectionEndpoint is not null)
            {
                w.WriteString("introspection_endpoint", introspectionEndpoint);
            }
            if (revocationEndpoint is not null)
            {
                w.WriteString("revocation_endpoint", revocationEndpoint);
            }
            Array(w, "grant_types_supported", [TokenExchangeGrantType]);
            Array(w, "response_types_supported", []);
            Array(w, "token_endpoint_auth_methods_supported", tokenEndpointAuthMethods ?? ["none"]);
            if (scopesSupported is not null)
            {
                Array(w, "scopes_supported", scopesSupported);
            }
            Array(w, "dpop_signing_alg_values_supported", dpopAlgorithms ?? ["ES256"]);
            Array(w, "authorization_details_types_supported", [TaskTokenClaims.AgentTaskType]);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Array(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }
}
