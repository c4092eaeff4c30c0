using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Audit;

namespace Mandate.Core.Tests.Audit;

public sealed class AuditRecordFormatTests
{
    private static readonly AuditEvent Sample = new()
    {
        Kind = "decision",
        DecisionId = "01JDEC",
        Time = new DateTimeOffset(2026, 11, 28, 13, 14, 15, 123, 456, TimeSpan.FromHours(1)),
        Node = "n1",
        TraceId = "t1",
        Agent = "agent-1",
        Chain = ["agent-1"],
        Decision = "allow",
        Policies = ["p1"],
        Status = 200,
        Details = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" },
    };

    [Fact]
    public void Serialize_Event_IsCanonicalWithSeqAndUtcMicroseconds()
    {
        var json = Encoding.UTF8.GetString(AuditRecordFormat.Serialize(Sample, 42));

        Assert.Equal(
            "{\"agent\":\"agent-1\",\"chain\":[\"agent-1\"],\"decision\":\"allow\",\"decision_id\":\"01JDEC\",\"details\":{\"a\":\"2\",\"z\":\"1\"}," +
            "\"errors\":[],\"kind\":\"decision\",\"node\":\"n1\",\"policies\":[\"p1\"],\"reasons\":[],\"seq\":42,\"status\":200," +
            "\"time\":\"2026-11-28T12:14:15.123456Z\",\"trace_id\":\"t1\",\"v\":1}",
            json);
    }

    [Fact]
    public void FormatTime_Utf8_MatchesTheTextFormAcrossTheCalendar()
    {
        // The UTF-8 form is written digit by digit on the writer's hot path; the text form goes through DateTime's
        // own formatting. They must never differ: the column and the record body each use one of them.
        var random = new Random(20261129);
        var times = new List<DateTimeOffset>
        {
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch,
            new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999),
            new DateTimeOffset(2026, 11, 28, 12, 14, 15, TimeSpan.FromHours(-7)).AddTicks(1),
        };
        for (var i = 0; i < 10_000; i++)
        {
            times.Add(new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero));
        }
        Span<byte> utf8 = stackalloc byte[AuditRecordFormat.TimeLength];
        foreach (var time in times)
        {
            var written = AuditRecordFormat.FormatTime(time, utf8);
            Assert.Equal(AuditRecordFormat.FormatTime(time), Encoding.UTF8.GetString(utf8[..written]));
        }
    }

    [Fact]
    public void FormatTime_Utf8_TooSmallBuffer_Throws() =>
        Assert.Throws<ArgumentException>(() => AuditRecordFormat.FormatTime(DateTimeOffset.UnixEpoch, new byte[AuditRecordFormat.TimeLength - 1]));

    [Fact]
    public void Parse_SerializedEvent_RoundTrips()
    {
        var parsed = AuditRecordFormat.Parse(AuditRecordFormat.Serialize(Sample, 7));

        Assert.NotNull(parsed);
        Assert.Equal(7, parsed.Value.Seq);
        var e = parsed.Value.Event;
        Assert.Equal(Sample.Time, e.Time);
        Assert.Equal(Sample.Agent, e.Agent);
        Assert.Null(e.SessionId);
        Assert.Equal(200, e.Status);
        Assert.Equal("2", e.Details["a"]);
        Assert.Equal(AuditRecordFormat.Serialize(Sample, 7), AuditRecordFormat.Serialize(e, 7));
    }

    [Fact]
    public void Parse_DuplicateProperty_IsRejected()
    {
        Assert.Null(AuditRecordFormat.Parse("{\"seq\":1,\"kind\":\"a\",\"kind\":\"b\"}"));
    }

    [Fact]
    public void Parse_HostileBodies_ReturnNullOrValueWithoutThrowing()
    {
        var bodies = new[]
        {
            "{\"seq\":1,\"agent\":\"\\uD800\"}",
            "{\"seq\":1,\"details\":{\"a\":\"\\uDC00x\"}}",
            "{\"seq\":1,\"time\":\"not a time\"}",
            "{\"seq\":1,\"status\":1e400}",
            "[1,2]",
            "{\"seq\":1,\"chain\":[{\"deep\":[[[[[[[[[[1]]]]]]]]]]}]}",
        };

        foreach (var body in bodies)
        {
            var parsed = AuditRecordFormat.Parse(body);
            Assert.True(parsed is null || parsed.Value.Seq == 1, body);
        }
    }

    [Fact]
    public void ReadSeq_RecordOrGarbage_ReadsSeqOrNull()
    {
        Assert.Equal(9, AuditRecordFormat.ReadSeq(AuditRecordFormat.Serialize(Sample, 9)));
        Assert.Null(AuditRecordFormat.ReadSeq("not json"u8));
        Assert.Null(AuditRecordFormat.ReadSeq("{\"kind\":\"x\"}"u8));
    }

    [Fact]
    public void Compute_KnownInput_IsSha256OfPrevBytesThenBody()
    {
        var body = "{\"seq\":1}"u8.ToArray();
        var expected = Convert.ToHexStringLower(SHA256.HashData([.. new byte[32], .. body]));

        Assert.Equal(expected, AuditChainHash.Compute(AuditChainHash.Genesis, body));
        Assert.Null(AuditChainHash.Compute("xyz", body));
    }
}
