using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>A compact JWS whose format and header passed every rule, but whose signature is not checked yet.</summary>
/// <param name="Token">The compact token.</param>
/// <param name="Header">The JOSE header.</param>
/// <param name="Algorithm">The header's <c>alg</c>, already in the allow-list.</param>
/// <param name="KeyId">The header's <c>kid</c>, or null.</param>
/// <param name="Claims">The payload object in <see cref="JwsPayloadKind.JsonClaims"/> mode; default otherwise.</param>
/// <param name="SigningInputLength">Length of <c>header.payload</c>, the bytes the signature covers.</param>
/// <param name="Signature">The decoded signature.</param>
internal sealed record ParsedJws(
    string Token,
    JsonElement Header,
    string Algorithm,
    string? KeyId,
    JsonElement Claims,
    int SigningInputLength,
    byte[] Signature);
