using System.Text.Json;
using Mandate.Core.Audit;
using Mandate.Storage.Sqlite.Audit;
using Mandate.Storage.Sqlite.Tests.Audit;
using static Mandate.Storage.Sqlite.Tests.Audit.AuditLogFixture;

namespace Mandate.Storage.Sqlite.Tests.Cli;

public sealed class AuditCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Verify_CleanLog_PrintsOkAndExitsZero()
    {
        await WriteAsync(Options(_dir), 25);

        var run = await CliRun.RunAsync("audit", "verify", "--data-dir", _dir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("ok: 25 records, 3 checkpoints", run.Output.Trim());
    }

    [Fact]
    public async Task Verify_DeletedRecord_PrintsKindAndSeqAndExitsOne()
    {
        var options = Options(_dir);
        await WriteAsync(options, 25);
        using (var raw = Raw(options))
        {
            Exec(raw, "DELETE FROM audit_records WHERE seq = 7;");
        }

        var run = await CliRun.RunAsync("audit", "verify", "--data-dir", _dir.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("problem: deleted at seq 7", run.Output);
    }

    [Fact]
    public async Task Verify_SessionSpanRowDeleted_PrintsEditedAndExitsOne()
    {
        // Hiding record 8 from `query --session sess-2` by deleting its index row is what verify must name.
        var options = Options(_dir);
        await WriteAsync(options, 25);
        using (var raw = Raw(options))
        {
            Exec(raw, "DELETE FROM audit_spans_recent WHERE term = 'session:sess-2' AND first_seq = 8;");
        }

        var query = await CliRun.RunAsync("audit", "query", "--data-dir", _dir.Path, "--session", "sess-2");
        var run = await CliRun.RunAsync("audit", "verify", "--data-dir", _dir.Path);

        Assert.Equal(0, query.ExitCode);
        Assert.DoesNotContain(query.Lines, line => JsonDocument.Parse(line).RootElement.GetProperty("seq").GetInt64() == 8);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("problem: edited at seq 8: record 8 is missing from the query index for session `sess-2`", run.Output.Trim());
    }

    [Fact]
    public async Task Verify_ForeignPublicKey_ReportsBadCheckpointSignature()
    {
        await WriteAsync(Options(_dir), 10);
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var pem = _dir.File("other.pub.pem");
        File.WriteAllText(pem, other.ExportSubjectPublicKeyInfoPem());

        var run = await CliRun.RunAsync("audit", "verify", "--data-dir", _dir.Path, "--public-key", pem);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("problem: bad_checkpoint_signature at seq 10", run.Output);
    }

    [Fact]
    public async Task Verify_MissingLog_ExitsOne()
    {
        var run = await CliRun.RunAsync("audit", "verify", "--data-dir", _dir.File("nothing"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unreadable", run.Output);
    }

    [Fact]
    public async Task Query_AgentAndDecision_PrintsMatchingJsonLines()
    {
        await using (var log = new SqliteAuditLog(Options(_dir)))
        {
            for (var i = 1; i <= 12; i++)
            {
                await log.AppendAsync(SampleEvents.Decision(i, agent: i % 2 == 0 ? "even" : "odd", decision: i % 3 == 0 ? "deny" : "allow"));
            }
        }

        var run = await CliRun.RunAsync("audit", "query", "--data-dir", _dir.Path, "--agent", "even", "--decision", "deny", "--limit", "5");

        Assert.Equal(0, run.ExitCode);
        var records = run.Lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([6L, 12], records.Select(r => r.GetProperty("seq").GetInt64()));
        Assert.All(records, r => Assert.Equal("even", r.GetProperty("record").GetProperty("agent").GetString()));
        Assert.All(records, r => Assert.Equal(64, r.GetProperty("hash").GetString()!.Length));
    }

    [Fact]
    public async Task Query_RelativeSince_ReturnsOnlyRecentRecords()
    {
        await using (var log = new SqliteAuditLog(Options(_dir)))
        {
            await log.AppendAsync(SampleEvents.Decision(1) with { Time = DateTimeOffset.UtcNow.AddHours(-2) });
            await log.AppendAsync(SampleEvents.Decision(2) with { Time = DateTimeOffset.UtcNow.AddMinutes(-1) });
        }

        var run = await CliRun.RunAsync("audit", "query", "--data-dir", _dir.Path, "--since", "-15m");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, JsonDocument.Parse(Assert.Single(run.Lines)).RootElement.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Query_MissingLog_ExitsOneWithError()
    {
        var run = await CliRun.RunAsync("audit", "query", "--data-dir", _dir.File("nothing"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no audit log", run.Error);
    }

    [Fact]
    public async Task Query_UnreadableSince_ExitsTwo()
    {
        var run = await CliRun.RunAsync("audit", "query", "--data-dir", _dir.Path, "--since", "yesterday-ish");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--since", run.Error);
    }

    [Fact]
    public async Task Tail_Lines_PrintsTheLatestInOrder()
    {
        await WriteAsync(Options(_dir), 20);

        var run = await CliRun.RunAsync("audit", "tail", "--data-dir", _dir.Path, "-n", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([18L, 19, 20], run.Lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Tail_Follow_PrintsRecordsAppendedLater()
    {
        var options = Options(_dir);
        await using var log = new SqliteAuditLog(options);
        await log.AppendAsync(SampleEvents.Decision(1));
        // The tail writes from its own task while this one polls: the text is read under the same lock the writes take
        // (a StringBuilder read while another thread appends can throw or tear).
        var output = new LockedTextWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tail = Mandate.Cli.CliApp.RunAsync(["audit", "tail", "--data-dir", _dir.Path, "--follow", "--interval-ms", "50"], output, TextWriter.Null, stop.Token);

        await log.AppendAsync(SampleEvents.Decision(2, agent: "late-agent"));
        while (!output.Text.Contains("late-agent", StringComparison.Ordinal) && !stop.IsCancellationRequested)
        {
            await Task.Delay(50);
        }
        await stop.CancelAsync();
        await tail;

        var seqs = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("seq").GetInt64());
        Assert.Equal([1L, 2], seqs);
    }

    /// <summary>A text writer whose every write and read of the text holds one lock.</summary>
    private sealed class LockedTextWriter : TextWriter
    {
        private readonly System.Text.StringBuilder _text = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_text)
            {
                _text.Append(buffer, index, count);
            }
        }
    }
}
