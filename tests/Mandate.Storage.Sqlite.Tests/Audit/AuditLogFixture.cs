using Mandate.Core.Audit;
using Mandate.Storage.Sqlite.Audit;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Tests.Audit;

internal static class AuditLogFixture
{
    public static SqliteAuditOptions Options(TempDirectory dir, int checkpointEvery = 10) => new()
    {
        DataDirectory = dir.Path,
        CheckpointEvery = checkpointEvery,
        CheckpointInterval = TimeSpan.FromMinutes(10),
        AppendTimeout = TimeSpan.FromSeconds(3),
        BusyTimeout = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>Writes <paramref name="count"/> records one by one and closes the log (which adds a final checkpoint).</summary>
    public static async Task WriteAsync(SqliteAuditOptions options, int count)
    {
        await using var log = new SqliteAuditLog(options);
        for (var i = 1; i <= count; i++)
        {
            var receipt = await log.AppendAsync(SampleEvents.Decision(i, decision: i % 4 == 0 ? "deny" : "allow"));
            Assert.True(receipt.Ok, receipt.Error?.Message);
            Assert.Equal(i, receipt.Seq);
        }
    }

    public static SqliteConnection Raw(SqliteAuditOptions options)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = options.DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static void Exec(SqliteConnection connection, string sql, params (string Name, object Value)[] args)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        cmd.ExecuteNonQuery();
    }

    public static (string PrevHash, string Hash, string Body) Row(SqliteConnection connection, long seq)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT prev_hash, hash, body FROM audit_records WHERE seq = $s;";
        cmd.Parameters.AddWithValue("$s", seq);
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    public static async Task<AuditVerification> VerifyAsync(SqliteAuditOptions options) =>
        await new SqliteAuditReader(options).VerifyAsync();
}
