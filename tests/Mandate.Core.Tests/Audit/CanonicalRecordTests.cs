using Mandate.Core.Audit;

namespace Mandate.Core.Tests.Audit;

/// <summary>
/// The record serializer writes members straight to a buffer for speed; these tests hold it to the canonical
/// form the tree writer defines (sorted keys, nulls left out), so stored hashes never depend on which one ran.
/// </summary>
public sealed class CanonicalRecordTests
{
    private static byte[] TreeForm(AuditEvent e, long seq)
    {
        var o = CanonicalJsonWriter.NewObject();
        o["v"] = (long)AuditRecordFormat.Version;
        o["seq"] = seq;
        o["kind"] = e.Kind;
        o["decision_id"] = e.DecisionId;
        o["time"] = AuditRecordFormat.FormatTime(e.Time);
        o["node"] = e.Node;
        o["trace_id"] = e.TraceId;
        o["session_id"] = e.SessionId;
        o["agent"] = e.Agent;
        o["user"] = e.User;
        o["chain"] = e.Chain;
        o["action"] = e.Action;
        o["resource"] = e.Resource;
        o["request_digest"] = e.RequestDigest;
        o["decision"] = e.Decision;
        o["policies"] = e.Policies;
        o["errors"] = e.Errors;
        o["reasons"] = e.Reasons;
        o["status"] = e.Status is int s ? (long)s : null;
        o["bytes"] = e.Bytes;
        o["latency_us"] = e.LatencyMicros;
        var details = CanonicalJsonWriter.NewObject();
        foreach (var (k, v) in e.Details)
        {
            details[k] = v;
        }
        o["details"] = details;
        return CanonicalJsonWriter.ToUtf8(o);
    }

    public static TheoryData<string> Names => ["minimal", "decision", "outcome", "unicode", "details"];

    private static AuditEvent Sample(string name) => name switch
    {
        "minimal" => new AuditEvent { Kind = "config" },
        "decision" => new AuditEvent
        {
            Kind = AuditEvent.Kinds.Decision, DecisionId = "0193", Time = new DateTimeOffset(2026, 11, 28, 19, 30, 1, 123, TimeSpan.Zero).AddTicks(4567),
            Node = "n1", TraceId = "t", SessionId = "s", Agent = "spiffe://example.org/a", User = "alice", Chain = ["b", "a"],
            Action = "Mandate::Action::\"x\"", Resource = "Mandate::Tool::\"s/t\"", RequestDigest = "sha256:00", Decision = "deny",
            Policies = ["p1", "p0"], Errors = ["e"], Reasons = ["no \"quotes\" \\ here"],
        },
        "outcome" => new AuditEvent { Kind = AuditEvent.Kinds.Outcome, DecisionId = "d", Status = 201, Bytes = 0, LatencyMicros = long.MaxValue },
        "unicode" => new AuditEvent { Kind = "decision", Agent = "agent-é-漢字-🙂", Reasons = ["line\nbreak\u0001", "tab\t"] },
        _ => new AuditEvent { Kind = "policy_reload", Details = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2", ["A"] = "3", ["é"] = "4", ["aa"] = "" } },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Serialize_Sample_EqualsTreeWriterBytes(string name)
    {
        var e = Sample(name);

        Assert.Equal(TreeForm(e, 42), AuditRecordFormat.Serialize(e, 42));
    }

    [Fact]
    public void Serialize_LoneSurrogate_SameOutcomeAsTreeWriterAndNextRecordIsClean()
    {
        var bad = new AuditEvent { Kind = "decision", Agent = "x\ud800y" };
        byte[]? tree = null;
        Exception? treeError = null;
        try { tree = TreeForm(bad, 1); } catch (ArgumentException ex) { treeError = ex; }

        if (treeError is null)
        {
            Assert.Equal(tree, AuditRecordFormat.Serialize(bad, 1));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(bad, 1));
        }
        var next = Sample("decision");
        Assert.Equal(TreeForm(next, 2), AuditRecordFormat.Serialize(next, 2));
    }

    [Fact]
    public void Serialize_RandomEvents_EqualTreeWriterBytes()
    {
        var random = new Random(7);
        string? Text() => random.Next(4) == 0 ? null : new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => (char)random.Next(0x20, 0x2FF)).ToArray());
        IReadOnlyList<string> Texts() => Enumerable.Range(0, random.Next(0, 4)).Select(_ => Text() ?? "").ToArray();
        for (var i = 0; i < 500; i++)
        {
            var e = new AuditEvent
            {
                Kind = Text() ?? "k", DecisionId = Text() ?? "", Time = DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, 10_000_000_000_000_000)),
                Node = Text() ?? "", TraceId = Text() ?? "", SessionId = Text(), Agent = Text(), User = Text(), Chain = Texts(), Action = Text(),
                Resource = Text(), RequestDigest = Text(), Decision = Text(), Policies = Texts(), Errors = Texts(), Reasons = Texts(),
                Status = random.Next(3) == 0 ? null : random.Next(100, 600), Bytes = random.Next(3) == 0 ? null : random.NextInt64(),
                LatencyMicros = random.Next(3) == 0 ? null : random.NextInt64(),
                Details = Texts().Distinct().ToDictionary(k => k, _ => Text() ?? ""),
            };
            Assert.Equal(TreeForm(e, i), AuditRecordFormat.Serialize(e, i));
        }
    }
}
