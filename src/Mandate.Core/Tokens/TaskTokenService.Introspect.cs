using System.Text;
using System.Text.Json;

namespace Mandate.Core.Tokens;

public sealed partial class TaskTokenService
{
    /// <summary>
    /// The RFC 7662 introspection response for <paramref name="token"/> as JSON: <c>{"active":false}</c> for anything
    /// that does not pass <see cref="Verify"/> (no reason is given, as the RFC advises); otherwise <c>active</c>,
    /// <c>scope</c>, <c>client_id</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>iat</c>, <c>iss</c>, <c>jti</c>,
    /// <c>sid</c>, <c>act</c>, <c>token_type</c>, <c>authorization_details</c> and <c>cnf</c>, from the record.
    /// </summary>
    public string Introspect(string token, DateTimeOffset now)
    {
        var check = Verify(token, now);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (check.Principal is not { } p)
            {
                w.WriteBoolean("active", false);
            }
            else
            {
                w.WriteBoolean("active", true);
                if (p.Grant.Scopes.Count > 0)
                {
                    w.WriteString("scope", p.Grant.ScopeString);
                }
                w.WriteString("client_id", p.ClientId);
                w.WriteString("sub", p.Subject);
                w.WriteStartArray("aud");
                foreach (var a in p.Grant.Audiences)
                {
                    w.WriteStringValue(a);
                }
                w.WriteEndArray();
                w.WriteNumber("exp", p.ExpiresAt.ToUnixTimeSeconds());
                w.WriteNumber("iat", p.IssuedAt.ToUnixTimeSeconds());
                w.WriteString("iss", Options.Issuer);
                w.WriteString("jti", p.Jti);
                w.WriteString("sid", p.SessionId);
                w.WritePropertyName("act");
                TaskTokenClaims.WriteAct(w, p.Chain);
                w.WriteString("token_type", p.Jkt is null ? "Bearer" : "DPoP");
                w.WriteStartArray("authorization_details");
                w.WriteStartObject();
                w.WriteString("type", TaskTokenClaims.AgentTaskType);
                if (p.Grant.Intent.Length > 0)
                {
                    w.WriteString("intent", p.Grant.Intent);
                }
                WriteList(w, "actions", p.Grant.Tools);
                WriteList(w, "resources", p.Grant.Resources);
                w.WriteEndObject();
                w.WriteEndArray();
                if (p.Jkt is not null)
                {
                    w.WriteStartObject("cnf");
                    w.WriteString("jkt", p.Jkt);
                    w.WriteEndObject();
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }
}
