using Mandate.Core.Audit;
using Mandate.Storage.Sqlite.Audit;
using static Mandate.Storage.Sqlite.Tests.Audit.AuditLogFixture;

namespace Mandate.Storage.Sqlite.Tests.Audit;

/// <summary>
/// The span-driven reader against a brute-force filter over every record read back: same seqs, same order, for
/// 250 random filter combinations over a log written through the real writer with varying concurrency, long enough that
/// span rows were merged once.
/// </summary>
public sealed class AuditQueryEquivalenceTests : IDisposable
{
    private static readonly string?[] Agents = ["agent-a", "agent-b", "agent-c", "agent-d", "", null];
    private static readonly string?[] Sessions = ["s-1", "s-2", "s-3", "s-4", "s-5", null];
    private static readonly string[] Decisions = ["allow", "deny", "error"];
    private static readonly string[] Kinds = [AuditEvent.Kinds.Decision, AuditEvent.Kinds.Outcome];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task QueryAsync_RandomFilters_MatchBruteForceOverAllRecords()
    {
        var random = new Random(20261129);
        var options = Options(_dir, checkpointEvery: 500);
        await using (var log = new SqliteAuditLog(options))
        {
            // Phases of different concurrency give batches of 1 to ~64 records; times advance ~125 ms a record and
            // about 20 times step back a minute or two (clock corrections), so one minute's spans recur and interleave.
            var clock = SampleEvents.Start;
            foreach (var (count, callers) in new[] { (150, 1), (900, 8), (16000, 64), (300, 3) })
            {
                var events = new AuditEvent[count];
                for (var i = 0; i < count; i++)
                {
                    clock = random.Next(800) == 0 ? clock.AddSeconds(-random.Next(30, 120)) : clock.AddMilliseconds(random.Next(0, 250));
                    events[i] = RandomEvent(random, clock);
                }
                await AppendAllAsync(log, events, callers);
            }
        }

        var reader = new SqliteAuditReader(options);
        var verification = await reader.VerifyAsync();
        Assert.True(verification.Ok, verification.Problem?.Message);
        var all = await ToListAsync(reader.QueryAsync(new AuditQuery()));
        Assert.Equal(17350, all.Count);
        // Past SpanMergeEvery: queries read both merged and recent span rows.
        Assert.True(all.Count > AuditSchema.SpanMergeEvery);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Seq));
        var first = all.Min(e => e.Event.Time);
        var last = all.Max(e => e.Event.Time);

        var times = all.Select(e => AuditRecordFormat.FormatTime(e.Event.Time)).ToArray();
        for (var q = 0; q < 250; q++)
        {
            var query = RandomQuery(random, first, last, all.Count);
            var expected = BruteForce(all, times, query).ToList();
            var actual = (await ToListAsync(reader.QueryAsync(query))).Select(e => e.Seq).ToList();
            Assert.True(expected.SequenceEqual(actual), $"query {q} {query}: expected {expected.Count} records, got {actual.Count}");
        }
    }

    private static AuditEvent RandomEvent(Random random, DateTimeOffset time) => new()
    {
        Kind = Kinds[random.Next(Kinds.Length)],
        DecisionId = $"d-{random.Next()}",
        Time = time.AddTicks(random.Next(0, 10)),
        Node = "node-a",
        Agent = Agents[random.Next(Agents.Length)],
        SessionId = Sessions[random.Next(Sessions.Length)],
        Decision = random.Next(5) == 0 ? null : Decisions[random.Next(Decisions.Length)],
    };

    private static AuditQuery RandomQuery(Random random, DateTimeOffset first, DateTimeOffset last, int count)
    {
        var span = (last - first).Ticks;
        DateTimeOffset SomeTime() => random.Next(10) == 0
            ? first.AddMinutes(random.Next(-3, 20)) // whole minutes, and outside the range
            : first.AddTicks((long)(random.NextDouble() * span));
        T? Maybe<T>(T[] values) => random.Next(3) == 0 ? values[random.Next(values.Length)] : default;
        return new AuditQuery
        {
            Agent = random.Next(3) == 0 ? (random.Next(8) == 0 ? "nobody" : Agents[random.Next(Agents.Length - 1)]) : null,
            Session = random.Next(4) == 0 ? (random.Next(8) == 0 ? "no-session" : Sessions[random.Next(Sessions.Length - 1)]) : null,
            Decision = Maybe(Decisions),
            Kind = Maybe(Kinds),
            Since = random.Next(3) == 0 ? SomeTime() : null,
            Until = random.Next(3) == 0 ? SomeTime() : null,
            AfterSeq = random.Next(3) == 0 ? random.Next(-2, count + 3) : 0,
            Limit = random.Next(4) == 0 ? random.Next(0, 200) : null,
        };
    }

    private static IEnumerable<long> BruteForce(List<AuditEntry> all, string[] times, AuditQuery q)
    {
        var since = q.Since is { } s ? AuditRecordFormat.FormatTime(s) : null;
        var until = q.Until is { } u ? AuditRecordFormat.FormatTime(u) : null;
        var matches = all.Where((r, i) =>
            r.Seq > q.AfterSeq
            && (q.Agent is null || r.Event.Agent == q.Agent)
            && (q.Session is null || r.Event.SessionId == q.Session)
            && (q.Decision is null || r.Event.Decision == q.Decision)
            && (q.Kind is null || r.Event.Kind == q.Kind)
            && (since is null || string.CompareOrdinal(times[i], since) >= 0)
            && (until is null || string.CompareOrdinal(times[i], until) < 0))
            .Select(r => r.Seq);
        return q.Limit is { } limit ? matches.Take(Math.Max(0, limit)) : matches;
    }

    private static async Task AppendAllAsync(SqliteAuditLog log, AuditEvent[] events, int callers)
    {
        var next = -1;
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < events.Length)
            {
                var receipt = await log.AppendAsync(events[i]);
                Assert.True(receipt.Ok, receipt.Error?.Message);
            }
        }));
        await Task.WhenAll(workers);
    }

    internal static async Task<List<AuditEntry>> ToListAsync(IAsyncEnumerable<AuditEntry> entries)
    {
        var list = new List<AuditEntry>();
        await foreach (var entry in entries)
        {
            list.Add(entry);
        }
        return list;
    }
}
