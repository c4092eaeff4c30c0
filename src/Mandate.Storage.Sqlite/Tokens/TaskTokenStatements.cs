using System.Text.Json;
using Mandate.Core.Tokens;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Tokens;

/// <summary>The prepared inserts of the writer's connection, prepared once and bound to each batch's transaction.</summary>
internal sealed class TaskTokenStatements : IDisposable
{
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _tx;
    private SqliteCommand? _session;
    private SqliteCommand? _token;
    private SqliteCommand? _revocation;

    public TaskTokenStatements(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Binds the statements to the transaction of the next batch.</summary>
    public void Begin(SqliteTransaction tx)
    {
        _tx = tx;
        foreach (var cmd in (SqliteCommand?[])[_session, _token, _revocation])
        {
            if (cmd is not null)
            {
                cmd.Transaction = tx;
            }
        }
    }

    /// <summary>A list as a JSON array of strings.</summary>
    public static string Json(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    /// <summary>A JSON array of strings as a list.</summary>
    public static IReadOnlyList<string> List(string json) => JsonSerializer.Deserialize<string[]>(json) ?? throw new JsonException("a stored list is null");

    public void InsertSession(TaskSessionRecord s)
    {
        var cmd = _session ??= Prepare("""
            INSERT INTO tt_sessions (sid, parent_sid, agent, user_id, intent, tools, resources, depth, created, expires)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9);
            """, 10);
        Set(cmd, s.Id, s.ParentId, s.AgentId, s.UserId, s.Intent, Json(s.Tools), Json(s.Resources), s.Depth,
            s.CreatedAt.ToUnixTimeMilliseconds(), s.ExpiresAt.ToUnixTimeMilliseconds());
        cmd.ExecuteNonQuery();
    }

    public void InsertToken(TaskTokenRecord t)
    {
        var cmd = _token ??= Prepare("""
            INSERT INTO tt_tokens (jti, sid, parent_sid, parent_jti, agent, user_id, client_id, chain, depth, scopes, audiences, intent, tools, resources, issued, expires, jkt, kid, token_sha256)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p16, $p17, $p18);
            """, 19);
        Set(cmd, t.Jti, t.SessionId, t.ParentSessionId, t.ParentJti, t.AgentId, t.UserId, t.ClientId, Json(t.Chain), t.Depth,
            Json(t.Grant.Scopes), Json(t.Grant.Audiences), t.Grant.Intent, Json(t.Grant.Tools), Json(t.Grant.Resources),
            t.IssuedAt.ToUnixTimeMilliseconds(), t.ExpiresAt.ToUnixTimeMilliseconds(), t.Jkt, t.KeyId, t.TokenSha256);
        cmd.ExecuteNonQuery();
    }

    public void InsertRevocation(TaskRevocationRecord r)
    {
        var cmd = _revocation ??= Prepare("""
            INSERT INTO tt_revocations (kind, target, reason, revoked, keep_until) VALUES ($p0, $p1, $p2, $p3, $p4);
            """, 5);
        Set(cmd, r.Target.Kind.ToString(), r.Target.Id, r.Reason, r.RevokedAt.ToUnixTimeMilliseconds(), r.KeepUntil.ToUnixTimeMilliseconds());
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _session?.Dispose();
        _token?.Dispose();
        _revocation?.Dispose();
    }

    private SqliteCommand Prepare(string sql, int parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            cmd.Parameters.Add(new SqliteParameter("$p" + i, null));
        }
        cmd.Prepare();
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
