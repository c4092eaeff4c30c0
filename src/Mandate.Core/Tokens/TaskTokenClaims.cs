using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

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

    private static readonly Dictionary<string, object> Header = new(StringComparer.Ordinal) { ["typ"] = AccessTokenType };

    /// <summary>Signs a token for <paramref name="record"/> with <paramref name="key"/>.</summary>
    public static string Mint(string issuer, TaskTokenRecord record, TaskSigningKey key) =>
        Sign(key, Payload(issuer, record.UserId ?? record.Chain[0], record.ClientId, record.Chain, record.SessionId, record.Grant.Scopes,
            record.Grant.Audiences, record.Grant, record.IssuedAt, record.ExpiresAt, record.Jti, record.Jkt));

    /// <summary>Signs a JSON claim set: IdentityModel writes the header (<c>alg</c>, <c>kid</c>, <c>typ: at+jwt</c>) and the signature.</summary>
    public static string Sign(TaskSigningKey key, string payloadJson) => Handler.CreateToken(payloadJson, key.Credentials, Header);

    /// <summary>The claim set of a task (or downstream) token as JSON, written directly (no intermediate dictionary).</summary>
    public static string Payload(
        string issuer, string subject, string clientId, IReadOnlyList<string> chain, string sid, IReadOnlyList<string> scopes,
        IReadOnlyList<string> audiences, TaskGrant? task, DateTimeOffset issuedAt, DateTimeOffset expiresAt, string jti, string? jkt)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("iss", issuer);
            w.WriteString("sub", subject);
            w.WriteString("client_id", clientId);
            w.WritePropertyName("act");
            WriteAct(w, chain);
            w.WriteString("sid", sid);
            if (audiences.Count == 1)
            {
                w.WriteString("aud", audiences[0]);
            }
            else
            {
                WriteArray(w, "aud", audiences);
            }
            if (scopes.Count > 0)
            {
                w.WriteString("scope", string.Join(' ', scopes));
            }
            if (task is not null)
            {
                w.WriteStartArray("authorization_details");
                w.WriteStartObject();
                w.WriteString("type", AgentTaskType);
                if (task.Intent.Length > 0)
                {
                    w.WriteString("intent", task.Intent);
                }
                if (task.Tools.Count > 0)
                {
                    WriteArray(w, "actions", task.Tools);
                }
                if (task.Resources.Count > 0)
                {
                    WriteArray(w, "resources", task.Resources);
                }
                w.WriteEndObject();
                w.WriteEndArray();
            }
            if (jkt is not null)
            {
                w.WriteStartObject("cnf");
                w.WriteString("jkt", jkt);
                w.WriteEndObject();
            }
            w.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            w.WriteNumber("exp", expiresAt.ToUnixTimeSeconds());
            w.WriteString("jti", jti);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the nested <c>act</c> object of <paramref name="chain"/>: the last agent at the top.</summary>
    public static void WriteAct(Utf8JsonWriter w, IReadOnlyList<string> chain)
    {
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            w.WriteStartObject();
            w.WriteString("sub", chain[i]);
            if (i > 0)
            {
                w.WritePropertyName("act");
            }
        }
        for (var i = 0; i < chain.Count; i++)
        {
            w.WriteEndObject();
        }
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
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
}
