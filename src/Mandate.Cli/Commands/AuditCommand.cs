using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Segments;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Cli.Commands;

/// <summary><c>mandate audit verify|query|tail</c>: read and check the audit chain. Reads only, so it is safe to run
/// while a server appends to the same data directory.</summary>
internal static class AuditCommand
{
    /// <summary>Builds the <c>audit</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("audit", "Verify, query and follow the hash-chained audit log.");
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Query());
        command.Subcommands.Add(Tail());
        command.Subcommands.Add(Bench());
        return command;
    }

    /// <summary>The <c>--data-dir</c> option; defaults to <c>$MANDATE_DATA_DIR</c>, then <c>./data</c>.</summary>
    internal static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "Data directory holding audit.db and vault.db (default: $MANDATE_DATA_DIR or ./data).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MANDATE_DATA_DIR") is { Length: > 0 } dir ? dir : "data",
    };

    private static Command Verify()
    {
        var dataDir = DataDirOption();
        var publicKey = new Option<string?>("--public-key") { Description = "PEM public key checkpoints must verify against (default: the one in the data directory)." };
        var command = new Command("verify", "Check every record, link and checkpoint; exit 1 on the first problem.") { dataDir, publicKey };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = new SqliteAuditOptions { DataDirectory = parse.GetValue(dataDir)!, PublicKeyPath = parse.GetValue(publicKey) };
            var clock = Stopwatch.StartNew();
            var result = await new SqliteAuditReader(options).VerifyAsync(ct);
            clock.Stop();
            if (result.Problem is { } problem)
            {
                await output.WriteLineAsync($"problem: {problem.Code} at seq {problem.Seq}: {problem.Message}");
                return 1;
            }
            await output.WriteLineAsync($"ok: {result.Records} records, {result.Checkpoints} checkpoints");
            if (result.Store == "segments")
            {
                // The class each record was appended in is in the record; say how many of each, and how fast the walk was.
                var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"durability: {result.PowerLossRecords} {AuditDurabilityNames.PowerLoss}, {result.Records - result.PowerLossRecords} {AuditDurabilityNames.ProcessCrash} (segment log, {seconds:0.000} s, {result.Records / seconds:0} records/s)"));
            }
            return 0;
        });
        return command;
    }

    private static Command Query()
    {
        var dataDir = DataDirOption();
        var agent = new Option<string?>("--agent") { Description = "Only records of this agent." };
        var session = new Option<string?>("--session") { Description = "Only records of this session." };
        var since = new Option<string?>("--since") { Description = "Only records at or after this time: ISO 8601, or relative like -15m, -2h, -1d." };
        var until = new Option<string?>("--until") { Description = "Only records before this time (same forms as --since)." };
        var decision = new Option<string?>("--decision") { Description = "Only records with this decision." };
        decision.AcceptOnlyFromAmong("allow", "deny", "error");
        var kind = new Option<string?>("--kind") { Description = "Only records of this kind (decision, outcome, policy_reload, ...)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many records." };
        var command = new Command("query", "Print matching records as JSON lines, oldest first.") { dataDir, agent, session, since, until, decision, kind, limit };
        command.SetAction(async (parse, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            if (!TryParseTime(parse.GetValue(since), now, out var sinceTime) || !TryParseTime(parse.GetValue(until), now, out var untilTime))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("error: --since/--until take an ISO 8601 time or a relative time like -15m, -2h, -1d");
                return 2;
            }
            var query = new AuditQuery
            {
                Agent = parse.GetValue(agent),
                Session = parse.GetValue(session),
                Since = sinceTime,
                Until = untilTime,
                Decision = parse.GetValue(decision),
                Kind = parse.GetValue(kind),
                Limit = parse.GetValue(limit),
            };
            var options = new SqliteAuditOptions { DataDirectory = parse.GetValue(dataDir)! };
            if (await MissingLogAsync(parse, options))
            {
                return 1;
            }
            var reader = new SqliteAuditReader(options);
            await foreach (var entry in reader.QueryAsync(query, ct))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(ToJsonLine(entry));
            }
            return 0;
        });
        return command;
    }

    private static Command Tail()
    {
        var dataDir = DataDirOption();
        var lines = new Option<int>("--lines", "-n") { Description = "How many of the latest records to print first.", DefaultValueFactory = _ => 10 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new records as they are appended (polls)." };
        var interval = new Option<int>("--interval-ms") { Description = "Poll interval with --follow.", DefaultValueFactory = _ => 500 };
        var command = new Command("tail", "Print the latest records as JSON lines; with --follow, keep printing new ones.") { dataDir, lines, follow, interval };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = new SqliteAuditOptions { DataDirectory = parse.GetValue(dataDir)! };
            if (await MissingLogAsync(parse, options))
            {
                return 1;
            }
            var reader = new SqliteAuditReader(options);
            var after = Math.Max(0, await reader.GetHeadAsync(ct) - Math.Max(0, parse.GetValue(lines)));
            while (true)
            {
                await foreach (var entry in reader.QueryAsync(new AuditQuery { AfterSeq = after }, ct))
                {
                    await output.WriteLineAsync(ToJsonLine(entry));
                    after = entry.Seq;
                }
                await output.FlushAsync(ct);
                if (!parse.GetValue(follow))
                {
                    return 0;
                }
                try
                {
                    await Task.Delay(Math.Max(10, parse.GetValue(interval)), ct);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }
            }
        });
        return command;
    }

    private static Command Bench()
    {
        var dataDir = DataDirOption();
        var count = new Option<int>("--count") { Description = "Total appends.", DefaultValueFactory = _ => 20000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent appenders.", DefaultValueFactory = _ => 64 };
        var store = new Option<string>("--log") { Description = "segments (the segment log) or sqlite (the format 1 log).", DefaultValueFactory = _ => "segments" };
        var durability = new Option<string>("--durability") { Description = "process_crash or power_loss.", DefaultValueFactory = _ => AuditDurabilityNames.ProcessCrash };
        // Hidden: a measuring tool for docs/audit.md, not an operator command. It writes real records.
        var command = new Command("bench", "Measure durable appends per second into DIR (writes records).") { dataDir, count, concurrency, store, durability };
        command.Hidden = true;
        command.SetAction(async (parse, ct) =>
        {
            var total = parse.GetValue(count);
            var workers = Math.Max(1, parse.GetValue(concurrency));
            var directory = parse.GetValue(dataDir)!;
            var mode = AuditDurabilityNames.Parse(parse.GetValue(durability)) ?? AuditDurability.ProcessCrash;
            await using AuditLogHandle log = parse.GetValue(store) == "sqlite"
                ? new AuditLogHandle(new SqliteAuditLog(new SqliteAuditOptions { DataDirectory = directory }))
                : new AuditLogHandle(new SegmentAuditLog(new SegmentLogOptions { DataDirectory = directory, DefaultDurability = mode }));
            var warm = await log.AppendAsync(new AuditEvent { Kind = "bench", Time = DateTimeOffset.UtcNow }, ct);
            if (!warm.Ok)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {warm.Error!.Code}: {warm.Error.Message}");
                return 1;
            }
            var next = 0;
            var failures = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) is var i && i <= total)
                {
                    var receipt = await log.AppendAsync(new AuditEvent
                    {
                        Kind = AuditEvent.Kinds.Decision,
                        DecisionId = Guid.CreateVersion7().ToString(),
                        Time = DateTimeOffset.UtcNow,
                        Node = "bench",
                        Agent = $"agent-{i % 50}",
                        SessionId = $"session-{i % 500}",
                        Action = "Mandate::Action::\"read\"",
                        Resource = "Mandate::Endpoint::\"GET /orders/{id}\"",
                        Decision = "allow",
                        Policies = ["allow-read"],
                    }, ct);
                    if (!receipt.Ok)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }, ct)));
            clock.Stop();
            await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"appends: {total}, concurrency: {workers}, failures: {failures}, seconds: {clock.Elapsed.TotalSeconds:0.000}, appends/sec: {total / clock.Elapsed.TotalSeconds:0}"));
            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    // Either log behind one disposable handle, so the bench measures both the same way.
    private sealed class AuditLogHandle(IAuditLog log) : IAsyncDisposable
    {
        public ValueTask<AuditReceipt> AppendAsync(AuditEvent e, CancellationToken ct) => log.AppendAsync(e, ct);

        public ValueTask DisposeAsync() => log is IAsyncDisposable d ? d.DisposeAsync() : ValueTask.CompletedTask;
    }

    internal static async Task<bool> MissingLogAsync(ParseResult parse, SqliteAuditOptions options)
    {
        if (File.Exists(options.DatabasePath))
        {
            return false;
        }
        await parse.InvocationConfiguration.Error.WriteLineAsync($"error: no audit log at `{options.DatabasePath}`");
        return true;
    }

    /// <summary>Parses ISO 8601 or a relative time (<c>-15m</c>, <c>-2h</c>, <c>-1d</c>, <c>-30s</c>); null input is no bound.</summary>
    internal static bool TryParseTime(string? text, DateTimeOffset now, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        text = text.Trim();
        if (text.Length >= 3 && text[0] == '-' && long.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } s)
            {
                time = now - s;
                return true;
            }
            return false;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }
        return false;
    }

    /// <summary>One output line: <c>{"hash":…,"prev_hash":…,"record":{canonical record},"seq":…}</c>.</summary>
    internal static string ToJsonLine(AuditEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(entry.CanonicalJson.Length + 200);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("hash", entry.Hash);
            writer.WriteString("prev_hash", entry.PrevHash);
            writer.WritePropertyName("record");
            try
            {
                writer.WriteRawValue(entry.CanonicalJson);
            }
            catch (ArgumentException)
            {
                // A tampered body that is not JSON is shown as text rather than hidden.
                writer.WriteStringValue(entry.CanonicalJson);
            }
            writer.WriteNumber("seq", entry.Seq);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
