namespace Mandate.Core.Identity;

/// <summary>What a JWS payload must be.</summary>
internal enum JwsPayloadKind
{
    /// <summary>A JWT: the payload is one JSON object without repeated names. Production uses only this.</summary>
    JsonClaims,

    /// <summary>Any bytes. Only for conformance vectors whose payloads are not claims (e.g. Wycheproof's <c>foo</c>).</summary>
    Opaque,
}
