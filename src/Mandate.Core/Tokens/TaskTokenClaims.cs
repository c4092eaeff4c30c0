using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mandate.Core.Tokens;

/// <summary>The task token format (RFC 9068 profile): what is minted, and how the <c>act</c> chain is read back.</summary>
/// <remarks>
/// <c>act</c> always holds the whole chain, the current actor at the top (<c>{sub: B, act: {sub: A}}</c> for A → B),
/// even for a root token where <c>sub</c> is the agent itself: one shape to check against the record.
/// </remarks>
internal static class TaskTokenClaims
{
    /// <summary>The <c>typ</c> header of a JWT access token (RFC 9068 §2.1).</summary>
    public const string AccessTokenType = "at+jwt";

    /// <summary>The RFC 9396 authorization details type of a task.</summary>
    public const string AgentTaskType = "agent_task";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Signs a token for <paramref name="record"/> with <paramref name="key"/>.</summary>
    public static string Mint(string issuer, TaskTokenRecord record, TaskSigningKey key) =>
        Sign(key, BuildClaims(issuer, record.UserId ?? record.Chain[0], record.ClientId, record.Chain, record.SessionId, record.Grant.Scopes,
            record.Grant.Audiences, record.Grant, record.IssuedAt, record.ExpiresAt, record.Jti, record.Jkt));

    /// <summary>Signs a claim set.</summary>
    public static string Sign(TaskSigningKey key, Dictionary<string, object> claims) => Handler.CreateToken(new SecurityTokenDescriptor
    {
        Claims = claims,
        SigningCredentials = key.Credentials,
        TokenType = AccessTokenType,
    });

    /// <summary>The claim set of a task (or downstream) token.</summary>
    public static Dictionary<string, object> BuildClaims(
        string issuer, string subject, string clientId, IReadOnlyList<string> chain, string sid, IReadOnlyList<string> scopes,
        IReadOnlyList<string> audiences, TaskGrant? task, DateTimeOffset issuedAt, DateTimeOffset expiresAt, string jti, string? jkt)
    {
        var claims = new Dictionary<string, object>(16, StringComparer.Ordinal)
        {
            ["iss"] = issuer,
            ["sub"] = subject,
            ["client_id"] = clientId,
            ["act"] = Act(chain, chain.Count - 1),
            ["sid"] = sid,
            ["aud"] = audiences.Count == 1 ? audiences[0] : audiences.ToArray(),
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["jti"] = jti,
        };
        if (scopes.Count > 0)
        {
            claims["scope"] = string.Join(' ', scopes);
        }
        if (task is not null)
        {
            var detail = new Dictionary<string, object>(StringComparer.Ordinal) { ["type"] = AgentTaskType };
            if (task.Intent.Length > 0)
            {
                detail["intent"] = task.Intent;
            }
            if (task.Tools.Count > 0)
            {
                detail["actions"] = task.Tools.ToArray();
            }
            if (task.Resources.Count > 0)
            {
                detail["resources"] = task.Resources.ToArray();
            }
            claims["authorization_details"] = new object[] { detail };
        }
        if (jkt is not null)
        {
            claims["cnf"] = new Dictionary<string, object>(StringComparer.Ordinal) { ["jkt"] = jkt };
        }
        return claims;
    }

    /// <summary>True when <paramref name="act"/> is exactly the nested chain <paramref name="chain"/> (top = last), each level
    /// an object with a string <c>sub</c> and, except the last, one nested <c>act</c>, and nothing else.</summary>
    public static bool ActMatches(JsonElement act, IReadOnlyList<string> chain)
    {
        var current = act;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            var members = 0;
            JsonElement next = default;
            var hasNext = false;
            foreach (var p in current.EnumerateObject())
            {
                members++;
                if (p.NameEquals("sub"))
                {
                    if (p.Value.ValueKind != JsonValueKind.String || !p.Value.ValueEquals(chain[i]))
                    {
                        return false;
                    }
                }
                else if (p.NameEquals("act"))
                {
                    next = p.Value;
                    hasNext = true;
                }
                else
                {
                    return false;
                }
            }
            var expectedMembers = i > 0 ? 2 : 1;
            if (members != expectedMembers || hasNext != (i > 0))
            {
                return false;
            }
            current = next;
        }
        return true;
    }

    private static Dictionary<string, object> Act(IReadOnlyList<string> chain, int index)
    {
        var act = new Dictionary<string, object>(2, StringComparer.Ordinal) { ["sub"] = chain[index] };
        if (index > 0)
        {
            act["act"] = Act(chain, index - 1);
        }
        return act;
    }
}
