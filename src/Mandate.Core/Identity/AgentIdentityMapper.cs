using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>Turns verified claims into an <see cref="AgentIdentity"/>: who acts, for whom, through whom, with which scopes.</summary>
internal static class AgentIdentityMapper
{
    // Delegation deeper than this is refused rather than walked: a chain is for audit and policy, not for recursion games.
    internal const int MaxDelegationDepth = 16;

    /// <summary>
    /// OIDC mapping. With an RFC 8693 <c>act</c> claim the agent is <c>act.sub</c> and the user is <c>sub</c>;
    /// without one the agent is the <paramref name="agentClaim"/> claim and there is no user.
    /// </summary>
    public static bool TryMapOidc(JsonElement claims, string issuer, string agentClaim, DateTimeOffset expiresAt, out AgentIdentity? identity, out IdentityError? error)
    {
        identity = null;
        if (!TryGetString(claims, "sub", out var subject, out error))
        {
            return false;
        }

        string agentId;
        string? user = null;
        IReadOnlyList<string> chain = [];
        if (claims.TryGetProperty("act", out var act))
        {
            if (!TryReadChain(act, out var actors, out error))
            {
                return false;
            }
            chain = actors;
            agentId = actors[0];
            user = subject;
        }
        else if (!TryGetString(claims, agentClaim, out agentId, out error))
        {
            return false;
        }

        if (!TryReadCommon(claims, out var scopes, out var tokenId, out error))
        {
            return false;
        }
        identity = new AgentIdentity
        {
            AgentId = agentId,
            Method = AuthenticationMethods.Oidc,
            Issuer = issuer,
            Subject = subject,
            User = user,
            DelegationChain = chain,
            Scopes = scopes,
            ExpiresAt = expiresAt,
            TokenId = tokenId,
            Claims = claims,
        };
        return true;
    }

    /// <summary>JWT-SVID mapping: the agent is the SPIFFE ID in <c>sub</c>.</summary>
    public static bool TryMapSpiffe(JsonElement claims, SpiffeId spiffeId, DateTimeOffset expiresAt, out AgentIdentity? identity, out IdentityError? error)
    {
        identity = null;
        if (!TryReadCommon(claims, out var scopes, out var tokenId, out error))
        {
            return false;
        }
        identity = new AgentIdentity
        {
            AgentId = spiffeId.Value,
            Method = AuthenticationMethods.JwtSvid,
            Issuer = spiffeId.TrustDomainId,
            Subject = spiffeId.Value,
            Scopes = scopes,
            ExpiresAt = expiresAt,
            TokenId = tokenId,
            Claims = claims,
        };
        return true;
    }

    private static bool TryReadChain(JsonElement act, out List<string> actors, out IdentityError? error)
    {
        actors = [];
        var current = act;
        while (true)
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                error = new IdentityError(IdentityErrorCodes.InvalidClaim, "an `act` claim is not an object");
                return false;
            }
            if (!current.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || sub.GetString()!.Length == 0)
            {
                error = new IdentityError(IdentityErrorCodes.InvalidClaim, "an `act` claim has no `sub`");
                return false;
            }
            actors.Add(sub.GetString()!);
            if (actors.Count > MaxDelegationDepth)
            {
                error = new IdentityError(IdentityErrorCodes.InvalidClaim, $"the delegation chain is deeper than {MaxDelegationDepth}");
                return false;
            }
            if (!current.TryGetProperty("act", out var next))
            {
                error = null;
                return true;
            }
            current = next;
        }
    }

    private static bool TryReadCommon(JsonElement claims, out IReadOnlyList<string> scopes, out string? tokenId, out IdentityError? error)
    {
        scopes = [];
        tokenId = null;
        if (claims.TryGetProperty("jti", out var jti))
        {
            if (jti.ValueKind != JsonValueKind.String)
            {
                error = new IdentityError(IdentityErrorCodes.InvalidClaim, "the token's `jti` is not a string");
                return false;
            }
            tokenId = jti.GetString();
        }
        if (claims.TryGetProperty("scope", out var scope))
        {
            if (scope.ValueKind != JsonValueKind.String)
            {
                error = new IdentityError(IdentityErrorCodes.InvalidClaim, "the token's `scope` is not a string");
                return false;
            }
            scopes = scope.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        else if (claims.TryGetProperty("scp", out var scp))
        {
            if (scp.ValueKind == JsonValueKind.String)
            {
                scopes = scp.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
            else if (scp.ValueKind == JsonValueKind.Array && scp.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String))
            {
                scopes = scp.EnumerateArray().Select(s => s.GetString()!).ToArray();
            }
            else
            {
                error = new IdentityError(IdentityErrorCodes.InvalidClaim, "the token's `scp` is neither a string nor an array of strings");
                return false;
            }
        }
        error = null;
        return true;
    }

    private static bool TryGetString(JsonElement claims, string name, out string value, out IdentityError? error)
    {
        value = "";
        if (!claims.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String || element.GetString()!.Length == 0)
        {
            error = new IdentityError(IdentityErrorCodes.MissingClaim, $"the token has no string `{name}` claim");
            return false;
        }
        value = element.GetString()!;
        error = null;
        return true;
    }
}
